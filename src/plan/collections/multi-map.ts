// A key → values index for the planner's email look-ups. Almost every email belongs to one user, so a lone value
// is stored as itself and an array is made only for the rare shared key: at 100,000 users that is 100,000 arrays
// (and their garbage) fewer per index.

const NONE: readonly never[] = [];

export class MultiMap<K, V extends object> {
  private readonly entries = new Map<K, V | V[]>();

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
