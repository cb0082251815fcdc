// `dialsync token create|list|revoke` against a database file: the token is printed once and works as a bearer
// credential's hash lookup, is listed without its value, revoked, and each change is audited.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { runCliInProcess, type CliRun } from '../e2e/in-process-cli.js';

let database: string;

beforeEach(async () => {
  database = join(mkdtempSync(join(tmpdir(), 'dialsync-token-')), 'dialsync.sqlite');
  const store = await Store.open(database);
  await store.close();
});

function cli(...args: string[]): Promise<CliRun> {
  return runCliInProcess(['token', ...args], { DIALSYNC_DATABASE: database, DIALSYNC_LOG_LEVEL: 'warn', USER: 'ada' });
}

async function withStore<T>(body: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(database);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

describe('dialsync token', () => {
  it('creates a token, prints it once, lists it without it, revokes it; both changes audited', async () => {
    const created = await cli('create', '--name', 'ci', '--role', 'admin');
    expect(created.code, created.stderr).toBe(0);
    const token = /\n(dsk_[A-Za-z0-9_-]{43})\n/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    expect((await withStore((store) => store.apiTokens.findActive(token ?? '')))?.role).toBe('admin');

    const listed = await cli('list', '--json');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(token);
    const list = JSON.parse(listed.stdout) as { count: number; tokens: { name: string; role: string; prefix: string; lastUsedAt: string | null; revokedAt: string | null; createdBy: string }[] };
    expect(list.count).toBe(1);
    expect(list.tokens[0]).toMatchObject({ name: 'ci', role: 'admin', prefix: token?.slice(0, 10), lastUsedAt: null, revokedAt: null });
    expect(list.tokens[0]?.createdBy).toMatch(/^cli:.+@.+/);
    const text = await cli('list');
    expect(text.stdout).toMatch(/ci\s+admin\s+dsk_/);
    expect(text.stdout).not.toContain(token);

    expect((await cli('create', '--name', 'ci')).code).toBe(2);
    const revoked = await cli('revoke', 'ci');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await withStore((store) => store.apiTokens.findActive(token ?? ''))).toBeNull();
    expect((await cli('revoke', 'ci')).code).toBe(2);

    const audit = await withStore((store) => store.audit.list({ limit: 10 }));
    expect(audit.map((event) => [event.action, event.target])).toEqual([
      ['token_revoke', 'ci'],
      ['token_create', 'ci'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('makes a viewer token unless told otherwise, and refuses a bad name', async () => {
    const created = await cli('create', '--name', 'dash', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'dash', role: 'viewer' });
    expect((await cli('create', '--name', 'has space')).code).toBe(2);
    expect((await cli('create', '--name', 'x', '--role', 'owner')).code).not.toBe(0);
  });
});
