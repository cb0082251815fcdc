// A key → values index for the planner's email look-ups. Almost every key has one value, so a lone value is stored
// as itself and an array is made only for a shared key: one array fewer per key (bench/findings.md).

const NONE: readonly never[] = [];

/** Key → values, in the order added; `V` is an object so a lone value is never mistaken for an array of them. */
export class MultiMap<K, V extends object> {
  private readonly entries = new Map<K, V | V[]>();

  /** Adds the value under the key, after any already there. */
  add(key: K, value: V): void {
    const held = this.entries.get(key);
    if (held === undefined) this.entries.set(key, value);
    else if (Array.isArray(held)) held.push(value);
    else this.entries.set(key, [held, value]);
  }

  /** The values under the key, in the order they were added (empty when none). */
  get(key: K): readonly V[] {
    const held = this.entries.get(key);
    if (held === undefined) return NONE;
    return Array.isArray(held) ? held : [held];
  }
}
