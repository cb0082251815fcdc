// A PostgreSQL database of its own for a test file or a test, on the run's one embedded server
// (test/support/postgres-server.ts, a vitest globalSetup).
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { afterAll, inject } from 'vitest';

/** A database created for one caller: its DSN (superuser, password included) and how to drop it. */
export interface PostgresDatabase {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<name>`. */
  dsn: string;
  /** The database's name (`dialsync_test_<hex>`). */
  name: string;
  /** Drops the database, closing any connection still open on it. */
  drop: () => Promise<void>;
}

/** The embedded server's superuser DSN on database `postgres`. */
export function postgresAdminDsn(): string {
  return inject('postgresAdminDsn');
}

async function asAdmin(sql: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: postgresAdminDsn(), pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

/**
 * Creates a uniquely named, empty database and returns its DSN; the caller drops it (or use usePostgresDatabases,
 * which drops every database a file created after its last test).
 */
export async function freshPostgresDatabase(): Promise<PostgresDatabase> {
  const name = `dialsync_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const dsn = new URL(postgresAdminDsn());
  dsn.pathname = `/${name}`;
  return { dsn: dsn.toString(), name, drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * For a test file: returns a function that creates a fresh database (its DSN) each time it is called, and drops all
 * of them after the file's last test.
 */
export function usePostgresDatabases(): () => Promise<string> {
  const created: PostgresDatabase[] = [];
  afterAll(async () => {
    await Promise.all(created.splice(0).map((database) => database.drop()));
  });
  return async () => {
    const database = await freshPostgresDatabase();
    created.push(database);
    return database.dsn;
  };
}
