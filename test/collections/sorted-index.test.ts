import { describe, expect, it } from 'vitest';
import { compareText } from '../../src/collections/compare-text.js';
import { itemAt } from '../../src/collections/item-at.js';
import { SortedIndex } from '../../src/collections/sorted-index.js';

describe('SortedIndex', () => {
  const items = [
    { id: 'c', n: 1 },
    { id: 'a', n: 2 },
    { id: 'c', n: 3 },
    { id: 'b', n: 4 },
  ];
  const index = new SortedIndex(items, (item) => item.id);

  it('keeps the first listed item of each key, in key order', () => {
    expect(index.items).toEqual([
      { id: 'a', n: 2 },
      { id: 'b', n: 4 },
      { id: 'c', n: 1 },
    ]);
  });

  it('finds an item by key, and nothing for an unknown key', () => {
    expect(index.get('c')).toEqual({ id: 'c', n: 1 });
    expect(index.has('b')).toBe(true);
    expect(index.get('d')).toBeUndefined();
    expect(index.has('')).toBe(false);
  });

  it('is empty for no items', () => {
    expect(new SortedIndex<{ id: string }>([], (item) => item.id).get('a')).toBeUndefined();
  });
});

describe('compareText', () => {
  it('orders by code unit, not by locale', () => {
    expect(['b', 'B', 'a', 'ä'].sort(compareText)).toEqual(['B', 'a', 'b', 'ä']);
  });
});

describe('itemAt', () => {
  it('reads an array or a typed array in range', () => {
    expect(itemAt(['x', 'y'], 1)).toBe('y');
    expect(itemAt(Uint32Array.of(7, 8), 0)).toBe(7);
  });

  it('throws a RangeError out of range', () => {
    expect(() => itemAt(['x'], 1)).toThrow(RangeError);
  });
});
