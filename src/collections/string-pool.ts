// JSON.parse gives every string value its own copy: 100,000 users listed with the same license, office id,
// state or title hold 100,000 copies of it, and at that size those copies are a large part of a run's memory.
// A pool hands back the first copy of each value, so the repeats are garbage as soon as their page is.

/** Longer values are kept as they are: the repeats worth sharing are short (ids, names, states, titles). */
const MAX_POOLED_LENGTH = 64;
/**
 * Bounds the pool when values are mostly unique (logins, emails): past it, new values are no longer pooled and
 * nothing else changes. A pool lives for one listing; 200,000 entries are about 7 MB while it does.
 */
const DEFAULT_MAX_ENTRIES = 200_000;

/**
 * Hands back one copy of each short string value (at most 64 UTF-16 units) for up to `maxEntries` distinct values;
 * other values pass through unchanged. One pool per listing.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /** The pooled copy of the value (the value itself the first time it is seen). */
  intern<T extends string | null | undefined>(value: T): T {
    if (typeof value !== 'string' || value.length > MAX_POOLED_LENGTH) return value;
    const pooled = this.strings.get(value);
    if (pooled !== undefined) return pooled as T;
    if (this.strings.size < this.maxEntries) this.strings.set(value, value);
    return value;
  }

  /** How many distinct values are pooled. */
  get size(): number {
    return this.strings.size;
  }

  /** Pools nothing: for a single read, where there is nothing to share. Safe to share, as it never stores. */
  static readonly none = new StringPool(0);
}
