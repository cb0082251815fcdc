// vitest globalSetup: ONE embedded PostgreSQL server for the whole test run. Test files never share a database:
// each asks freshPostgresDatabase() (test/support/postgres.ts) for its own, named uniquely, on this server.
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../sandbox/postgres/embedded-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded server's superuser DSN (database `postgres`): test files create and drop their databases with it. */
    postgresAdminDsn: string;
  }
}

/** Starts the server, provides its admin DSN to the test workers, and returns the teardown (stop, remove the data). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startEmbeddedPostgres({ maxConnections: 300 });
  project.provide('postgresAdminDsn', server.adminDsn);
  return () => server.stop();
}
