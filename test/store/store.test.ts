import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';

describe('Store', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  async function open(filename = ':memory:'): Promise<Store> {
    const store = await Store.open(filename);
    opened.push(store);
    return store;
  }

  it('creates the SQLite file owner-only and applies the migrations', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dialsync-store-')), 'nested', 'dialsync.sqlite');
    const store = await open(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.links.all()).toEqual([]);
  });

  it('keeps one link per Okta user and per Dialpad user', async () => {
    const store = await open();
    await store.links.save({ oktaUserId: '00u1', dialpadUserId: '6200000000000000001', origin: 'created' }, 'A@Example.com');
    await store.links.save({ oktaUserId: '00u1', dialpadUserId: '6200000000000000002', origin: 'adopted' }, 'a@example.com');
    await store.links.save({ oktaUserId: '00u2', dialpadUserId: '6200000000000000002', origin: 'adopted' }, 'b@example.com');
    expect(await store.links.all()).toEqual([{ oktaUserId: '00u2', dialpadUserId: '6200000000000000002', origin: 'adopted' }]);
  });

  it('journals a write as pending, then done, and lists what a crash left pending', async () => {
    const store = await open();
    await store.runs.start('run-1', 'reconcile', true);
    const first = await store.journal.begin({
      runId: 'run-1', oktaUserId: '00u1', dialpadUserId: null, email: 'a@example.com', action: 'create', target: 'dialpad',
      request: { method: 'POST', path: '/api/v2/users', body: { email: 'a@example.com' } },
    });
    const second = await store.journal.begin({
      runId: 'run-1', oktaUserId: '00u2', dialpadUserId: null, email: 'b@example.com', action: 'create', target: 'dialpad',
      request: { method: 'POST', path: '/api/v2/users' },
    });
    await store.journal.done(first, { dialpadUserId: '6200000000000000001' });
    const pending = await store.journal.unfinished();
    expect(pending.map((entry) => entry.id)).toEqual([second]);
    expect(pending[0]?.request).toEqual({ method: 'POST', path: '/api/v2/users' });
    await store.journal.settle(second, 'found in Dialpad');
    expect(await store.journal.unfinished()).toEqual([]);
  });

  it('counts consecutive failing runs per user, once per run', async () => {
    const store = await open();
    for (const runId of ['r1', 'r1', 'r2']) {
      await store.userErrors.record({ userKey: 'okta:00u1', oktaUserId: '00u1', email: 'a@example.com', runId, action: 'create', message: 'boom' });
    }
    expect((await store.userErrors.all())[0]?.consecutiveFailures).toBe(2);
    await store.userErrors.clear(['okta:00u1']);
    expect(await store.userErrors.all()).toEqual([]);
  });
});
