// Opening the database: a SQLite path or a PostgreSQL DSN, and no password in anything shown about it.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendOf, describeDatabase, StoreError } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { rawDatabase } from './raw-database.js';
import { freshPostgresDatabase, usePostgresDatabases } from '../support/postgres.js';

const WRONG_PASSWORD = 'n0t-the-Passw0rd/with@odd:chars';

/** `dsn` with its password replaced by `password` (percent-encoded, as a URL must hold it). */
function withPassword(dsn: string, password: string): string {
  const url = new URL(dsn);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Every text an error carries that a log line or a message could show: message, stack, cause's message. */
function textsOf(error: Error): string {
  const cause = error.cause instanceof Error ? `${error.cause.message}\n${error.cause.stack ?? ''}` : String(error.cause ?? '');
  return `${error.message}\n${error.stack ?? ''}\n${cause}\n${JSON.stringify(error)}`;
}

describe('the database setting', () => {
  it('is PostgreSQL for a postgres:// or postgresql:// DSN, SQLite for anything else', () => {
    expect(backendOf('postgres://app@db/dialsync')).toBe('postgres');
    expect(backendOf('postgresql://app@db/dialsync')).toBe('postgres');
    expect(backendOf('./data/dialsync.sqlite')).toBe('sqlite');
    expect(backendOf(':memory:')).toBe('sqlite');
  });

  it('is shown with the password masked, a SQLite path as it is', () => {
    expect(describeDatabase('postgres://app:s3cret%40x@db.example.com:5432/dialsync?sslmode=require')).toBe('postgres://app:***@db.example.com:5432/dialsync?sslmode=require');
    expect(describeDatabase('postgres://app@db/dialsync')).toBe('postgres://app@db/dialsync');
    expect(describeDatabase('./data/dialsync.sqlite')).toBe('./data/dialsync.sqlite');
  });
});

describe('Store.open on PostgreSQL', () => {
  const freshDatabase = usePostgresDatabases();

  it('opens a DSN, runs every migration, and describes itself with the password masked', async () => {
    const dsn = await freshDatabase();
    const password = new URL(dsn).password;
    const store = await Store.open(dsn);
    try {
      expect(store.backend).toBe('postgres');
      expect(store.describe()).not.toContain(password);
      expect(store.describe()).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/dialsync_test_/);
      expect(store.fileReplaced()).toBeNull();
      expect(await store.links.all()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('takes the password from the options when the DSN holds none', async () => {
    const dsn = await freshDatabase();
    const url = new URL(dsn);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const store = await Store.open(url.toString(), undefined, undefined, { password, poolSize: 2 });
    try {
      expect(await store.checkpoints.get('x')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('refuses a wrong password with a StoreError that holds neither password, in the DSN or in the options', async () => {
    const { dsn, drop } = await freshPostgresDatabase();
    try {
      const inDsn = await rejection(Store.open(withPassword(dsn, WRONG_PASSWORD)));
      expect(inDsn).toBeInstanceOf(StoreError);
      expect(inDsn.message).toMatch(/^cannot open or migrate the database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/dialsync_test_\w+: .*password authentication failed.*\(28P01\)$/);
      const url = new URL(dsn);
      url.password = '';
      const inOptions = await rejection(Store.open(url.toString(), undefined, undefined, { password: WRONG_PASSWORD }));
      expect(inOptions.message).toMatch(/password authentication failed/);
      for (const error of [inDsn, inOptions]) {
        const texts = textsOf(error);
        expect(texts).not.toContain(WRONG_PASSWORD);
        expect(texts).not.toContain(encodeURIComponent(WRONG_PASSWORD));
        expect(texts).not.toContain(url.password || decodeURIComponent(new URL(dsn).password));
      }
    } finally {
      await drop();
    }
  });

  it('asks for TLS when the sslmode says so (the test server has none, and says so)', async () => {
    const dsn = await freshDatabase();
    for (const [database, options] of [
      [`${dsn}?sslmode=require`, {}],
      [dsn, { sslmode: 'verify-full' as const }],
    ] as const) {
      const error = await rejection(Store.open(database, undefined, undefined, options));
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toMatch(/does not support SSL/);
    }
    const plain = await Store.open(`${dsn}?sslmode=disable`);
    await plain.close();
  });

  it('names an unreachable server without the password', async () => {
    // Port 1 on the loopback: nothing listens there.
    const error = await rejection(Store.open(`postgres://postgres:${encodeURIComponent(WRONG_PASSWORD)}@127.0.0.1:1/dialsync`));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toContain('postgres://postgres:***@127.0.0.1:1/dialsync');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(textsOf(error)).not.toContain(WRONG_PASSWORD);
    expect(textsOf(error)).not.toContain(encodeURIComponent(WRONG_PASSWORD));
  });

  it('refuses a DSN it cannot use without opening anything, and without its password', async () => {
    const error = await rejection(Store.open(`postgres://app:${encodeURIComponent(WRONG_PASSWORD)}@db.example.com/dialsync?sslmode=prefer`));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/sslmode=prefer is not supported/);
    expect(textsOf(error)).not.toContain(encodeURIComponent(WRONG_PASSWORD));
  });
});

describe('opening a database that cannot be used as it is', () => {
  const freshPostgres = usePostgresDatabases();

  it('gives up on a server that accepts connections but never answers, saying so, the password masked', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await rejection(Store.open(`postgres://dialsync:${encodeURIComponent(WRONG_PASSWORD)}@127.0.0.1:${port}/dialsync`));
      expect(error).toBeInstanceOf(StoreError);
      expect(error.message).toMatch(/no answer from the server within 10 s/);
      expect(textsOf(error)).not.toContain(WRONG_PASSWORD);
    } finally {
      silent.close();
    }
  });

  it.each(['sqlite', 'postgres'] as const)('refuses on %s a database a newer dialsync upgraded, saying so', async (backend) => {
    const database = backend === 'postgres' ? await freshPostgres() : join(mkdtempSync(join(tmpdir(), 'dialsync-newer-')), 'dialsync.sqlite');
    const store = await Store.open(database);
    await rawDatabase(store)('knex_migrations').insert({ name: '29991231000000_from_the_future.js', batch: 99, migration_time: new Date() });
    await store.close();
    const error = await rejection(Store.open(database));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(/was upgraded by a newer dialsync \(its schema has migrations this version does not know: 29991231000000_from_the_future\.js\)/);
  });
});
