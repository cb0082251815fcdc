import { describe, expect, it } from 'vitest';
import { keepFirstByKey } from '../../src/collections/keep-first-by-key.js';

describe('keepFirstByKey', () => {
  it('keeps the first item of each key, in the listing order, in place', () => {
    const items = [
      { id: 'b', page: 1 },
      { id: 'a', page: 1 },
      { id: 'b', page: 2 },
      { id: 'c', page: 2 },
      { id: 'a', page: 3 },
    ];
    const result = keepFirstByKey(items, (item) => item.id);
    expect(result).toBe(items);
    expect(result).toEqual([
      { id: 'b', page: 1 },
      { id: 'a', page: 1 },
      { id: 'c', page: 2 },
    ]);
  });

  it('keeps every item without a key: they cannot be told apart', () => {
    const items = [{ id: null }, { id: '1' }, { id: null }, { id: '1' }];
    expect(keepFirstByKey(items, (item) => item.id)).toEqual([{ id: null }, { id: '1' }, { id: null }]);
  });

  it('leaves a listing without repeats as it is', () => {
    const items = ['3', '1', '2'];
    expect(keepFirstByKey(items, (id) => id)).toEqual(['3', '1', '2']);
    expect(keepFirstByKey([], (id: string) => id)).toEqual([]);
  });
});
