// Opens the store (SQLite by default) and brings its schema up to date with the knex migrations in migrations/.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';

/**
 * The package's migrations/ folder: the nearest one above this file. src/store and dist/store sit two levels below
 * the package root; the sandbox and benchmark build (build/src/store) sits three.
 */
export const MIGRATIONS_DIR = findMigrationsDir(dirname(fileURLToPath(import.meta.url)));

function findMigrationsDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = resolve(dir, 'migrations');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return resolve(from, '../../migrations');
  }
}

/**
 * The database could not be opened or migrated (code `store`): the message names the file or the migration step,
 * the driver's error is its cause. A failed query afterwards is the driver's own error, not a StoreError.
 */
export class StoreError extends Error {
  readonly code = 'store';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/**
 * Opens the SQLite file (":memory:" for tests), creating it owner-only (0600), and the directories it creates for
 * it owner-only too (0700: SQLite's -wal and -shm files appear beside it); it holds who is linked to whom. A
 * directory that exists already is left as it is. Throws StoreError when the file or its directory cannot be
 * created; the connection itself opens lazily, on the first query.
 */
export async function openDatabase(filename: string): Promise<Knex> {
  if (filename !== ':memory:') {
    try {
      mkdirSync(dirname(resolve(filename)), { recursive: true, mode: 0o700 });
      if (!existsSync(filename)) closeSync(openSync(filename, 'a', 0o600));
      chmodSync(filename, 0o600);
    } catch (error) {
      throw new StoreError(`cannot create the database file ${filename}: ${(error as Error).message}`, { cause: error });
    }
  }
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and ":memory:" must stay one database.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { run: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.run('PRAGMA foreign_keys = ON', (err) => (err ? done(err, conn) : conn.run('PRAGMA journal_mode = WAL', (err2) => done(err2, conn))));
      },
    },
  });
  return db;
}

/**
 * Applies pending migrations of MIGRATIONS_DIR; returns the file names applied (none when up to date).
 * Throws StoreError.
 */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  try {
    const [, applied] = (await db.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.js'] })) as [number, string[]];
    return applied;
  } catch (error) {
    throw new StoreError(`database migration failed: ${(error as Error).message}`, { cause: error });
  }
}
