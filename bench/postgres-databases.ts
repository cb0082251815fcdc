// Where the benchmark's PostgreSQL rows keep their store: a fresh, empty database for each org size (as a SQLite
// row gets a fresh file), on a server given by a DSN or, without one, on an embedded server the benchmark starts
// and stops itself.
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { maskDsnPassword } from '../src/config/postgres-dsn.js';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../sandbox/postgres/embedded-server.js';

/** The stores a row can run on. */
export const BENCH_STORES = ['sqlite', 'postgres'] as const;

/** One of BENCH_STORES. */
export type BenchStore = (typeof BENCH_STORES)[number];

/** A database made for one org size: what DIALSYNC_DATABASE is set to, and how to remove it. */
export interface BenchDatabase {
  /** The DSN of the new database (secret: holds the password). */
  dsn: string;
  /** Drops it, ending any connection still open on it. */
  drop: () => Promise<void>;
}

/** Makes fresh databases on one server; close() stops the server when the benchmark started it. */
export interface PostgresDatabases {
  /** Where the databases are made, password masked (for the log and the JSON results). */
  readonly server: string;
  create(): Promise<BenchDatabase>;
  close(): Promise<void>;
}

async function asAdmin(adminDsn: string, sql: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: adminDsn, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

/**
 * Databases on the server `adminDsn` names (its user needs CREATEDB); the database it names is only connected to,
 * to create and drop the others (`dialsync_bench_<hex>`). `embedded` is stopped by close().
 */
export function postgresDatabasesOn(adminDsn: string, embedded?: EmbeddedPostgresServer): PostgresDatabases {
  return {
    server: embedded === undefined ? maskDsnPassword(adminDsn) : 'embedded',
    async create() {
      const name = `dialsync_bench_${randomBytes(6).toString('hex')}`;
      await asAdmin(adminDsn, `CREATE DATABASE ${name}`);
      const dsn = new URL(adminDsn);
      dsn.pathname = `/${name}`;
      return { dsn: dsn.toString(), drop: () => asAdmin(adminDsn, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
    },
    async close() {
      await embedded?.stop();
    },
  };
}

/** An embedded server (started now, about 1 s) that close() stops and removes. */
export async function embeddedPostgresDatabases(): Promise<PostgresDatabases> {
  const server = await startEmbeddedPostgres({ prefix: 'dialsync-bench-pg-' });
  return postgresDatabasesOn(server.adminDsn, server);
}
