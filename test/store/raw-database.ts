// The store's knex handle, for the few tests that must reach past the store: to damage what it wrote (a corrupt
// row, a dropped table, a read-only database) or to check how it keeps a value. Product code asks the store.
import type { Knex } from 'knex';
import type { Store } from '../../src/store/store.js';

/** The database `store` queries (its private handle: element access is TypeScript's way past `private`). */
export function rawDatabase(store: Store): Knex {
  return store['db'];
}
