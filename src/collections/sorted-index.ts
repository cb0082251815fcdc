// One item per key, kept in a sorted array and found by binary search: a look-up with no Map of every key.
import { compareText } from './compare-text.js';
import { itemAt } from './item-at.js';

/**
 * The first listed item of each key, sorted by key (code-unit order), found in O(log n). Use it where the items
 * are many and a Map of all of them would only duplicate the array. Built in O(n log n); pure.
 */
export class SortedIndex<T> {
  /** One item per key (the first listed), in key order. */
  readonly items: readonly T[];

  constructor(
    items: readonly T[],
    private readonly keyOf: (item: T) => string,
  ) {
    // The sort is stable: of one key's items, the first listed comes first and is the one kept.
    const sorted = [...items].sort((x, y) => compareText(keyOf(x), keyOf(y)));
    this.items = sorted.filter((item, i) => i === 0 || keyOf(itemAt(sorted, i - 1)) !== keyOf(item));
  }

  /** The item with this key, or undefined. */
  get(key: string): T | undefined {
    let low = 0;
    let high = this.items.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = itemAt(this.items, middle);
      const order = compareText(this.keyOf(found), key);
      if (order === 0) return found;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Whether an item has this key. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}
