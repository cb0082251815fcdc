// The engines the store runs on. Each store test file runs its tests on both: describe.each(STORE_BACKENDS) and
// useStores(backend) for the stores it opens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { Redactor } from '../../src/log/redactor.js';
import { Store } from '../../src/store/store.js';
import { usePostgresDatabases } from '../support/postgres.js';

/** SQLite (a file of its own for each store) and PostgreSQL (a database of its own on the run's embedded server). */
export const STORE_BACKENDS = ['sqlite', 'postgres'] as const;

/** One of STORE_BACKENDS. */
export type StoreBackend = (typeof STORE_BACKENDS)[number];

/** Opens a fresh, empty store, with the clock and redactor given. */
export interface StoreOpener {
  (now?: () => Date, redactor?: Redactor): Promise<Store>;
  /** A second handle on the database of `store`, as another process (a second replica) would open it. */
  another(store: Store, now?: () => Date, redactor?: Redactor): Promise<Store>;
}

/**
 * For a describe block: returns a StoreOpener on `backend`, and closes every store it opened after each test.
 * Databases are removed (SQLite files) or dropped (PostgreSQL) after the block's last test.
 */
export function useStores(backend: StoreBackend): StoreOpener {
  const freshPostgres = usePostgresDatabases();
  const opened: Store[] = [];
  const databaseOf = new Map<Store, string>();
  let dir: string | undefined;
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    databaseOf.clear();
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const openOn = async (database: string, now?: () => Date, redactor?: Redactor): Promise<Store> => {
    const store = await Store.open(database, now, redactor);
    opened.push(store);
    databaseOf.set(store, database);
    return store;
  };
  const open = async (now?: () => Date, redactor?: Redactor): Promise<Store> => {
    if (backend === 'postgres') return openOn(await freshPostgres(), now, redactor);
    dir ??= mkdtempSync(join(tmpdir(), 'dialsync-store-'));
    return openOn(join(dir, `${opened.length}-${Math.random().toString(36).slice(2)}.sqlite`), now, redactor);
  };
  return Object.assign(open, {
    another: (store: Store, now?: () => Date, redactor?: Redactor): Promise<Store> => {
      const database = databaseOf.get(store);
      if (database === undefined) throw new Error('another(): the store was not opened by this opener in this test');
      return openOn(database, now, redactor);
    },
  });
}
