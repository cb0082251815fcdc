// Listings are not snapshots: a user added or moved while the pages are read can show on two pages, and a listing
// restarted after a refused cursor repeats its first pages. Each item must count once.

/**
 * Removes, in place, every item whose key an earlier item already has, keeping the first and the listing's order.
 * An item whose key is null (an unreadable item without an id) cannot be told apart from others: it is always kept.
 * Returns the same array. Costs one Uint32Array of positions (4 bytes an item) and a sort of it, instead of a Set
 * of 100,000 keys: a listing's memory stays what its items need.
 */
export function keepFirstByKey<T>(items: T[], keyOf: (item: T) => string | null): T[] {
  if (items.length < 2) return items;
  const keys = items.map(keyOf);
  const order = Uint32Array.from(keys, (_key, i) => i);
  // Stable by position within one key, so the first listed comes first.
  order.sort((a, b) => {
    const x = keys[a] ?? '';
    const y = keys[b] ?? '';
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  let repeated: Uint8Array | null = null;
  for (let i = 1; i < order.length; i += 1) {
    const key = keys[order[i] as number];
    if (key === null || key !== keys[order[i - 1] as number]) continue;
    repeated ??= new Uint8Array(items.length);
    repeated[order[i] as number] = 1;
  }
  if (repeated === null) return items;
  let kept = 0;
  for (let i = 0; i < items.length; i += 1) {
    if (repeated[i] === 0) items[kept++] = items[i] as T;
  }
  items.length = kept;
  return items;
}
