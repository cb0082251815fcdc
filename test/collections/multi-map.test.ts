import { describe, expect, it } from 'vitest';
import { MultiMap } from '../../src/collections/multi-map.js';

interface Item {
  id: string;
}

describe('MultiMap', () => {
  it('gives no values for a key never added', () => {
    const map = new MultiMap<string, Item>();
    expect(map.get('a@example.com')).toEqual([]);
    map.add('b@example.com', { id: '1' });
    expect(map.get('a@example.com')).toEqual([]);
  });

  it('gives the one value added under a key', () => {
    const map = new MultiMap<string, Item>();
    const one = { id: '1' };
    map.add('a@example.com', one);
    const values = map.get('a@example.com');
    expect(values).toHaveLength(1);
    expect(values[0]).toBe(one);
  });

  it('gives several values under a key in the order they were added', () => {
    const map = new MultiMap<string, Item>();
    const [first, second, third] = [{ id: '1' }, { id: '2' }, { id: '3' }];
    map.add('a@example.com', first);
    map.add('b@example.com', { id: 'other' });
    map.add('a@example.com', second);
    map.add('a@example.com', third);
    const values = map.get('a@example.com');
    expect(values).toHaveLength(3);
    expect(values[0]).toBe(first);
    expect(values[1]).toBe(second);
    expect(values[2]).toBe(third);
    expect(map.get('b@example.com')).toEqual([{ id: 'other' }]);
  });
});
