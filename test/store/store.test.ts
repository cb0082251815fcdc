import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';
import { rawDatabase } from './raw-database.js';

describe('Store on SQLite: the file', () => {
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

  it('creates the directories of the database owner-only (0700), every level it creates', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dialsync-store-'));
    await open(join(root, 'data', 'nested', 'dialsync.sqlite'));
    expect(statSync(join(root, 'data')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'data', 'nested')).mode & 0o777).toBe(0o700);
  });

  it('leaves the mode of a directory that exists already', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dialsync-store-')), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    await open(join(dir, 'dialsync.sqlite'));
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });
});

describe.each(STORE_BACKENDS)('Store on %s', (backend) => {
  const open = useStores(backend);

  it('keeps one link per Okta user and per Dialpad user', async () => {
    const store = await open();
    await store.links.save({ oktaUserId: '00u1', dialpadUserId: '6200000000000000001', origin: 'created' }, 'A@Example.com');
    await store.links.save({ oktaUserId: '00u1', dialpadUserId: '6200000000000000002', origin: 'adopted' }, 'a@example.com');
    await store.links.save({ oktaUserId: '00u2', dialpadUserId: '6200000000000000002', origin: 'adopted' }, 'b@example.com');
    expect(await store.links.all()).toEqual([{ oktaUserId: '00u2', dialpadUserId: '6200000000000000002', origin: 'adopted' }]);
  });

  it('saves many links in one batch, taking each Dialpad user from any Okta user that held it', async () => {
    const store = await open();
    await store.links.save({ oktaUserId: '00uOld', dialpadUserId: '6200000000000000007', origin: 'created' }, 'old@example.com');
    const batch = Array.from({ length: 1_203 }, (_, i) => ({
      link: { oktaUserId: `00u${i}`, dialpadUserId: String(6300000000000000000n + BigInt(i)), origin: 'adopted' as const },
      email: `User${i}@Example.com`,
    }));
    batch.push({ link: { oktaUserId: '00uNew', dialpadUserId: '6200000000000000007', origin: 'adopted' }, email: 'new@example.com' });
    await store.links.saveMany(batch);
    const links = await store.links.all();
    expect(links).toHaveLength(1_204);
    expect(links.find((link) => link.dialpadUserId === '6200000000000000007')).toEqual({ oktaUserId: '00uNew', dialpadUserId: '6200000000000000007', origin: 'adopted' });
    expect(links.find((link) => link.oktaUserId === '00u1202')).toEqual({ oktaUserId: '00u1202', dialpadUserId: '6300000000000001202', origin: 'adopted' });
    const emails = await rawDatabase(store)('links').whereIn('okta_user_id', ['00u0', '00uOld']).select('okta_user_id', 'email');
    expect(emails).toEqual([{ okta_user_id: '00u0', email: 'user0@example.com' }]);
  });

  it('swaps two links in one batch: each Okta user ends with the Dialpad user the batch gives it', async () => {
    const store = await open();
    await store.links.save({ oktaUserId: '00uX', dialpadUserId: '6200000000000000001', origin: 'created' }, 'x@example.com');
    await store.links.save({ oktaUserId: '00uY', dialpadUserId: '6200000000000000002', origin: 'created' }, 'y@example.com');
    await store.links.saveMany([
      { link: { oktaUserId: '00uY', dialpadUserId: '6200000000000000001', origin: 'adopted' }, email: 'y@example.com' },
      { link: { oktaUserId: '00uX', dialpadUserId: '6200000000000000002', origin: 'adopted' }, email: 'x@example.com' },
    ]);
    expect(await store.links.all()).toEqual([
      { oktaUserId: '00uX', dialpadUserId: '6200000000000000002', origin: 'adopted' },
      { oktaUserId: '00uY', dialpadUserId: '6200000000000000001', origin: 'adopted' },
    ]);
  });

  it('keeps the created_at of a link the batch saves again unchanged', async () => {
    const store = await open();
    const link = { oktaUserId: '00u1', dialpadUserId: '6200000000000000001', origin: 'adopted' as const };
    await store.links.save(link, 'a@example.com');
    const [before] = await rawDatabase(store)('links').select('created_at');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.links.saveMany([{ link, email: 'a@example.com' }]);
    expect(await store.links.all()).toEqual([link]);
    expect(await rawDatabase(store)('links').select('created_at')).toEqual([before]);
  });

  it('refuses a batch naming one Dialpad user twice, and saves none of it', async () => {
    const store = await open();
    const twice = [
      { link: { oktaUserId: '00u1', dialpadUserId: '6200000000000000001', origin: 'adopted' as const }, email: 'a@example.com' },
      { link: { oktaUserId: '00u2', dialpadUserId: '6200000000000000001', origin: 'adopted' as const }, email: 'b@example.com' },
    ];
    await expect(store.links.saveMany(twice)).rejects.toThrow(/appears twice/);
    expect(await store.links.all()).toEqual([]);
  });

  it('passes a link to a re-hire in one step, keeping its origin; doing it again changes nothing', async () => {
    const store = await open();
    const d = '6200000000000000042';
    await store.links.save({ oktaUserId: '00uA', dialpadUserId: d, origin: 'adopted' }, 'tom@example.com');
    // B had a stale link to a Dialpad user that is gone: replaced.
    await store.links.save({ oktaUserId: '00uB', dialpadUserId: '6200000000000000099', origin: 'created' }, 'tom@example.com');
    const move = { dialpadUserId: d, from: '00uA', to: '00uB', origin: 'adopted' as const };
    await store.links.transfer(move, 'Tom@Bücher.example');
    await store.links.transfer(move, 'Tom@Bücher.example');
    expect(await store.links.all()).toEqual([{ oktaUserId: '00uB', dialpadUserId: d, origin: 'adopted' }]);
    // The email is kept by its identity, so --user finds it in either spelling.
    const counted: { n: number | string }[] = await rawDatabase(store)('links').where({ email: 'tom@xn--bcher-kva.example' }).count({ n: '*' });
    // PostgreSQL counts in bigint, which pg hands over as text.
    expect(counted.map(({ n }) => Number(n))).toEqual([1]);
    expect(await store.links.byEmail('tom@bücher.example')).toEqual({ oktaUserId: '00uB', dialpadUserId: d, origin: 'adopted' });
    expect(await store.links.byEmail('TOM@xn--bcher-kva.example')).toEqual({ oktaUserId: '00uB', dialpadUserId: d, origin: 'adopted' });
  });

  it('finds a link by email: by its identity, or as lower-cased text for links saved before identities were kept', async () => {
    const store = await open();
    await store.links.save({ oktaUserId: '00uA', dialpadUserId: '6200000000000000001', origin: 'created' }, 'Ann@Example.com');
    await rawDatabase(store)('links').insert({
      okta_user_id: '00uOld',
      dialpad_user_id: '6200000000000000002',
      origin: 'adopted',
      email: 'old@bücher.example',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    expect(await store.links.byEmail('ann@EXAMPLE.com')).toMatchObject({ oktaUserId: '00uA' });
    expect(await store.links.byEmail('Old@Bücher.example')).toMatchObject({ oktaUserId: '00uOld', origin: 'adopted' });
    expect(await store.links.byEmail('nobody@example.com')).toBeNull();
  });

  it('refuses to pass a link that a third Okta user holds by now, and changes nothing', async () => {
    const store = await open();
    const d = '6200000000000000042';
    await store.links.save({ oktaUserId: '00uC', dialpadUserId: d, origin: 'created' }, 'tom@example.com');
    await expect(store.links.transfer({ dialpadUserId: d, from: '00uA', to: '00uB', origin: 'created' }, 'tom@example.com')).rejects.toMatchObject({
      code: 'link_moved',
      linkedTo: '00uC',
    });
    expect(await store.links.all()).toEqual([{ oktaUserId: '00uC', dialpadUserId: d, origin: 'created' }]);
  });

  it('lists every link exactly once when they fill several pages', async () => {
    const store = await open();
    // Unpadded ids, inserted in reverse: their text order (which all() pages by) is neither insertion nor numeric order.
    const expected = Array.from({ length: 12_001 }, (_, i) => ({
      oktaUserId: `00u${i}`,
      dialpadUserId: String(6_200_000_000_000_000n + BigInt(i)),
      origin: i % 3 === 0 ? ('created' as const) : ('adopted' as const),
    }));
    const at = '2026-11-29T10:00:00.000Z';
    const rows = [...expected].reverse().map((link) => ({
      okta_user_id: link.oktaUserId,
      dialpad_user_id: link.dialpadUserId,
      origin: link.origin,
      email: `${link.oktaUserId}@example.com`,
      created_at: at,
      updated_at: at,
    }));
    // batchInsert runs all its chunks in one transaction.
    await rawDatabase(store).batchInsert('links', rows, 100);

    const links = await store.links.all();

    expect(links).toHaveLength(expected.length);
    expect(new Set(links.map((link) => link.oktaUserId)).size).toBe(expected.length);
    const byId = (a: { oktaUserId: string }, b: { oktaUserId: string }) => (a.oktaUserId < b.oktaUserId ? -1 : a.oktaUserId > b.oktaUserId ? 1 : 0);
    expect([...links].sort(byId)).toEqual([...expected].sort(byId));
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
