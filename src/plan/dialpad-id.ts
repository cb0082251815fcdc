// Dialpad ids are int64 values carried as strings: ordered as numbers, so "9" comes before "10".

function toBigInt(id: string): bigint | null {
  return /^-?\d+$/.test(id) ? BigInt(id) : null;
}

/** Numeric order for numeric ids; anything else (never expected) falls back to text order, after them. */
export function compareDialpadIds(a: string, b: string): number {
  const x = toBigInt(a);
  const y = toBigInt(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
