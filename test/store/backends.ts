// The engines the store runs on. Each store test file runs its tests on both: describe.each(STORE_BACKENDS) and
// useStores(backend) for the stores it opens, or useStore(backend, clockStart) for one fresh store per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { Redactor } from '../../src/log/redactor.js';
import { Store } from '../../src/store/store.js';
import { perTest } from '../per-test.js';
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

/** The store of the current test, and a second handle on its database. */
export interface TestStore {
  (): Store;
  /** A second handle on the current test's database, as another process would open it (StoreOpener.another). */
  another(now?: () => Date, redactor?: Redactor): Promise<Store>;
}

/**
 * For a describe block: a fresh, empty store on `backend` before each test, closed after it, and the accessor to it
 * (it throws outside a test of the block). The store's clock reads one second later at each read, the first read
 * one second after `clockStart` (an ISO 8601 instant), so the times a test expects follow from its own start.
 */
export function useStore(backend: StoreBackend, clockStart: string): TestStore {
  const open = useStores(backend);
  // useStores closes the store after the test; perTest only hands it out.
  const store = perTest(
    'useStore',
    () => {
      let clock = Date.parse(clockStart);
      return open(() => new Date((clock += 1000)));
    },
    async () => undefined,
  );
  return Object.assign(store, { another: (now?: () => Date, redactor?: Redactor) => open.another(store(), now, redactor) });
}
