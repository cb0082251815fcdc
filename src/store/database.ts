// Opens the store (SQLite by default, or PostgreSQL) and brings its schema up to date with the knex migrations in migrations/.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { dsnSecretsAsWritten, isPostgresDsn, looksLikeKeywordValueDsn, MASKED_PASSWORD, maskDsnPassword, parsePostgresDsn, type SslMode } from '../config/postgres-dsn.js';

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

/** Which engine a store runs on: the `database` setting's form decides (a postgres:// DSN, else a SQLite path). */
export type DatabaseBackend = 'sqlite' | 'postgres';

/**
 * How PostgreSQL is reached besides the DSN (config `postgres:`); ignored for SQLite. Every field is optional:
 * a DSN alone works (TLS from its sslmode=, else none; a pool of DEFAULT_POOL_SIZE).
 */
export interface PostgresOptions {
  /** TLS mode; the DSN's sslmode= when left out, else `disable`. */
  sslmode?: SslMode;
  /** PEM text of the CA(s) to trust (verify-ca, verify-full); Node's CAs when null or left out. */
  ca?: string | null;
  /** Connections at most. */
  poolSize?: number;
  /** Secret: the password when the DSN holds none. */
  password?: string | null;
}

/** How long a new connection to PostgreSQL may take before the attempt fails (ms). */
export const CONNECT_TIMEOUT_MS = 10_000;

/** How long a PostgreSQL query may go unanswered before it fails (ms). */
export const QUERY_TIMEOUT_MS = 60_000;

/** Connections per process to PostgreSQL when no pool size is given. */
export const DEFAULT_POOL_SIZE = 10;

/** The engine `database` names: PostgreSQL for a postgres:// or postgresql:// DSN, else SQLite. */
export function backendOf(database: string): DatabaseBackend {
  return isPostgresDsn(database) ? 'postgres' : 'sqlite';
}

/** The engine an open knex handle talks to. */
export function backendOfHandle(db: Knex): DatabaseBackend {
  return db.client.config.client === 'pg' ? 'postgres' : 'sqlite';
}

/**
 * `database` as it may be shown (messages, `status`): a DSN with its password and every secret query parameter
 * masked (a libpq keyword/value string too, should one get this far), a SQLite path as it is.
 */
export function describeDatabase(database: string): string {
  return isPostgresDsn(database) || looksLikeKeywordValueDsn(database) ? maskDsnPassword(database) : database;
}

/**
 * Opens the database `database` names: a SQLite file or a PostgreSQL DSN (postgres://...). The connection itself
 * opens lazily, on the first query. Throws StoreError when the SQLite file or its directory cannot be created, or
 * the DSN is malformed (no password in the message).
 */
export async function openDatabase(database: string, postgres: PostgresOptions = {}): Promise<Knex> {
  return isPostgresDsn(database) ? openPostgres(database, postgres) : openSqlite(database);
}

/**
 * Opens the SQLite file (":memory:" for tests), creating it owner-only (0600), and the directories it creates for
 * it owner-only too (0700: SQLite's -wal and -shm files appear beside it); it holds who is linked to whom. A
 * directory that exists already is left as it is.
 */
function openSqlite(filename: string): Knex {
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
        // Several processes may share the file (a daemon and a reconcile --apply asking for the run lock): a writer
        // waits up to 5 s for another's transaction instead of failing at once with SQLITE_BUSY.
        conn.run('PRAGMA foreign_keys = ON', (err) =>
          err ? done(err, conn) : conn.run('PRAGMA busy_timeout = 5000', (err2) => (err2 ? done(err2, conn) : conn.run('PRAGMA journal_mode = WAL', (err3) => done(err3, conn)))),
        );
      },
    },
  });
  return db;
}

/**
 * Runs `work` in one transaction that is a writer from its first statement; resolves with what `work` resolves with,
 * rejects (after rolling back) with what it throws. Every store method that reads and then writes in a transaction
 * goes through here. On SQLite knex begins a transaction DEFERRED (`BEGIN;`): one that reads first and then writes
 * while another connection (the daemon, a CLI command) holds the write lock fails at once with SQLITE_BUSY, since
 * SQLite does not call the busy handler for that upgrade (waiting could deadlock). A write as the first statement
 * takes the write lock before any read, and that wait honours busy_timeout; knex offers no `BEGIN IMMEDIATE`, so the
 * first statement is a write that changes nothing, on knex's own migration lock table (always there once migrated).
 * PostgreSQL waits on row locks anyway: a plain transaction there.
 */
export async function writeTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (backendOfHandle(db) === 'postgres') return db.transaction(work);
  return db.transaction(async (trx) => {
    await trx.raw('UPDATE knex_migrations_lock SET is_locked = is_locked WHERE 0');
    return work(trx);
  });
}

/**
 * Opens a pool on PostgreSQL. The DSN is taken apart here and handed to pg as separate fields (pg would let a
 * connection string override the TLS settings given beside it). The pool starts empty and grows to poolSize.
 */
function openPostgres(dsn: string, options: PostgresOptions): Knex {
  let parsed;
  try {
    parsed = parsePostgresDsn(dsn);
  } catch (error) {
    throw new StoreError(`cannot use the database ${maskDsnPassword(dsn)}: ${(error as Error).message}`);
  }
  const sslmode = options.sslmode ?? parsed.sslmode ?? 'disable';
  const password = options.password ?? parsed.password;
  return knexFactory({
    client: 'pg',
    connection: {
      host: parsed.host,
      port: parsed.port,
      user: parsed.user,
      database: parsed.database,
      // Left out, pg falls back to PGPASSWORD and ~/.pgpass, as libpq does.
      ...(password !== null ? { password } : {}),
      ...(parsed.applicationName !== null ? { application_name: parsed.applicationName } : { application_name: 'dialsync' }),
      ssl: tlsOptions(sslmode, options.ca ?? null),
      // A process paused in the middle of a transaction (SIGSTOP, a long GC, a partition) must not keep its row
      // locks, and so the replicas that go on, waiting: the server ends such a session after 10 s idle.
      idle_in_transaction_session_timeout: 10_000,
      // A server that accepts the connection but never answers (frozen, or a black hole on the network) must not
      // hang a command or the daemon: the connection attempt gives up, and TCP keep-alive notices a dead peer.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      // A server that stops answering mid-way (frozen, partitioned) fails each query instead of hanging it: the
      // run ends, the lease renewal reports it, and the command or the daemon can stop. Far above any query's time.
      query_timeout: QUERY_TIMEOUT_MS,
    },
    acquireConnectionTimeout: CONNECT_TIMEOUT_MS + 5_000,
    pool: { min: 0, max: options.poolSize ?? DEFAULT_POOL_SIZE },
    // knex would print connection failures to the console itself, past dialsync's log format and redactor; each
    // reaches the caller anyway, as the rejection of the query that needed the connection.
    log: { warn: ignore, error: ignore, deprecate: ignore, debug: ignore },
  });
}

function ignore(): void {}

/** libpq's sslmode as Node TLS options for pg: false for no TLS. */
function tlsOptions(sslmode: SslMode, ca: string | null): false | ConnectionOptions {
  const trust = ca !== null ? { ca } : {};
  switch (sslmode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // The chain is checked, the host name is not (libpq's verify-ca).
      return { ...trust, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...trust, rejectUnauthorized: true };
  }
}

/**
 * Whether the PostgreSQL database `dsn` names exists and holds dialsync's tables (knex's migration table): what the
 * commands that only read the database ask before opening it, so they never create the schema in a database that
 * is not dialsync's. False for a database that does not exist (SQLSTATE 3D000); throws StoreError (password
 * masked) when the server cannot be reached or refuses the credentials.
 */
export async function hasDialsyncSchema(dsn: string, postgres: PostgresOptions = {}): Promise<boolean> {
  const db = openPostgres(dsn, { ...postgres, poolSize: 1 });
  try {
    return await db.schema.hasTable('knex_migrations');
  } catch (error) {
    if ((error as { code?: unknown }).code === '3D000') return false;
    throw postgresError(error, dsn, postgres);
  } finally {
    await db.destroy();
  }
}

/**
 * Applies pending migrations of MIGRATIONS_DIR; returns the file names applied (none when up to date). On
 * PostgreSQL this is also where the connection is first made, so a refused connection is reported here.
 * `database` and `postgres` (as given to openDatabase) are only used to keep the password out of the message.
 * Throws StoreError: on PostgreSQL its message names the database with the password masked and holds the
 * driver's message and SQLSTATE, with every spelling of the password replaced, and it has no cause (the driver's
 * error object is not passed on, so nothing downstream can print more of it).
 */
export async function migrateToLatest(db: Knex, database = '', postgres: PostgresOptions = {}): Promise<string[]> {
  try {
    return await migrateRacingOthers(db);
  } catch (error) {
    const newer = newerSchema(error);
    if (newer !== null) throw new StoreError(`the database ${describeDatabase(database)} ${newer}`);
    if (!isPostgresDsn(database)) throw new StoreError(`database migration failed: ${(error as Error).message}`, { cause: error });
    throw postgresError(error, database, postgres);
  }
}

/** A PostgreSQL driver error as a StoreError: the DSN masked, the SQLSTATE kept, no spelling of the password, no cause. */
function postgresError(error: unknown, database: string, postgres: PostgresOptions): StoreError {
  const sqlstate = (error as { code?: unknown }).code;
  const message = (error as Error).message;
  // pg's and knex's words for a server that never answered ("timeout expired", "Timeout acquiring a connection.
  // The pool is probably full...") send people looking in the wrong place.
  const detail = /timeout expired|Timeout acquiring a connection|connection timeout/i.test(message)
    ? `no answer from the server within ${CONNECT_TIMEOUT_MS / 1000} s (is it running and reachable?)`
    : `${message}${typeof sqlstate === 'string' ? ` (${sqlstate})` : ''}`;
  const passwords = [postgres.password, ...dsnSecretsAsWritten(database)];
  return new StoreError(`cannot open or migrate the database ${maskDsnPassword(database)}: ${withoutPasswords(detail, passwords)}`);
}

/**
 * What to tell when the database holds migrations this dialsync does not have (knex: "The migration directory is
 * corrupt, the following files are missing: ..."): a newer dialsync upgraded it. Null for any other error.
 */
function newerSchema(error: unknown): string | null {
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string') return null;
  const missing = /migration directory is corrupt, the following files are missing: (.*)$/s.exec(message);
  if (missing?.[1] === undefined) return null;
  return `was upgraded by a newer dialsync (its schema has migrations this version does not know: ${missing[1].trim()}); run that version or a newer one, or restore the database from before the upgrade to go back`;
}

/** How long a process waits for another that is migrating the same database (several replicas starting at once). */
const MIGRATION_WAIT_MS = 60_000;

/**
 * db.migrate.latest, tried again while another process migrates the same database: replicas starting together on
 * an empty PostgreSQL race to create knex's own tables (one gets "already exists"), and knex refuses to migrate
 * while another holds its migration lock. Each retry finds the work done or the lock free.
 */
async function migrateRacingOthers(db: Knex): Promise<string[]> {
  const deadline = Date.now() + MIGRATION_WAIT_MS;
  for (;;) {
    try {
      const [, applied] = (await db.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.js'] })) as [number, string[]];
      return applied;
    } catch (error) {
      if (backendOfHandle(db) !== 'postgres' || !isMigrationRace(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
    }
  }
}

/** Another process's concurrent migration: knex's lock held, or a table or type created under our feet. */
function isMigrationRace(error: unknown): boolean {
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  // 42P07 duplicate_table, 23505 unique_violation (pg_type, when two sessions create one table at once).
  return name === 'MigrationLocked' || code === '42P07' || code === '23505' || (typeof message === 'string' && message.includes('Migration table is already locked'));
}

/** `text` with each password (as given, percent-encoded and decoded) replaced by MASKED_PASSWORD. */
function withoutPasswords(text: string, passwords: (string | null | undefined)[]): string {
  const spellings = new Set<string>();
  for (const password of passwords) {
    if (!password) continue;
    spellings.add(password);
    spellings.add(encodeURIComponent(password));
    try {
      spellings.add(decodeURIComponent(password));
    } catch {
      // Not percent-encoded text: the other spellings stand.
    }
  }
  let result = text;
  for (const spelling of [...spellings].sort((a, b) => b.length - a.length)) result = result.split(spelling).join(MASKED_PASSWORD);
  return result;
}
