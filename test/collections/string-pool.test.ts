import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/collections/string-pool.js';

describe('StringPool', () => {
  it('passes null and undefined through without pooling anything', () => {
    const pool = new StringPool();
    expect(pool.intern(null)).toBeNull();
    expect(pool.intern(undefined)).toBeUndefined();
    expect(pool.size).toBe(0);
  });

  it('pools a value of 64 characters but not a longer one', () => {
    const pool = new StringPool();
    const long = 'x'.repeat(65);
    expect(pool.intern(long)).toBe(long);
    expect(pool.intern(long)).toBe(long);
    expect(pool.size).toBe(0);
    const limit = 'y'.repeat(64);
    expect(pool.intern(limit)).toBe(limit);
    expect(pool.size).toBe(1);
  });

  it('holds equal values once, however they were built', () => {
    const pool = new StringPool();
    expect(pool.intern('talk')).toBe('talk');
    expect(pool.intern(['ta', 'lk'].join(''))).toBe('talk');
    expect(pool.intern('agents')).toBe('agents');
    expect(pool.intern('talk')).toBe('talk');
    expect(pool.size).toBe(2);
  });

  it('returns new values unchanged once maxEntries is reached, and stops growing', () => {
    const pool = new StringPool(2);
    pool.intern('a');
    pool.intern('b');
    expect(pool.intern('c')).toBe('c');
    expect(pool.intern('d')).toBe('d');
    expect(pool.size).toBe(2);
    // Values pooled before the limit are still served.
    expect(pool.intern('a')).toBe('a');
    expect(pool.size).toBe(2);
  });

  it('StringPool.none hands every value back and keeps none', () => {
    expect(StringPool.none.intern('talk')).toBe('talk');
    expect(StringPool.none.intern(null)).toBeNull();
    expect(StringPool.none.size).toBe(0);
  });
});
