// Code-unit order of two strings, for sorts that must come out the same on every machine (no locale).

/** Negative when `a` sorts before `b`, positive after, 0 when equal, by UTF-16 code units (not the locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
