// A fresh in-memory store per test whose clock ticks one second at every read, from 2026-11-30T10:00:00Z, so
// stored timestamps are distinct and predictable.
import { afterEach, beforeEach } from 'vitest';
import { Store } from '../../src/store/store.js';

/** The store of the test running now, and its clock (ms; a test may move it on). */
export interface StoreUnderTest {
  store: Store;
  clock: number;
}

/** Opens the store before each test and closes it after; returns the live state. */
export function useStore(): StoreUnderTest {
  const state = { clock: 0 } as StoreUnderTest;
  beforeEach(async () => {
    state.clock = Date.parse('2026-11-30T10:00:00Z');
    state.store = await Store.open(':memory:', () => new Date((state.clock += 1000)));
  });
  afterEach(async () => {
    await state.store.close();
  });
  return state;
}
