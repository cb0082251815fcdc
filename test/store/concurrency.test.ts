// Writes that two processes (two replicas on one PostgreSQL database) may make at the same moment. On PostgreSQL
// each "replica" is a store of its own, with its own connection pool, on one database; SQLite has one writer per
// file, so there the two share one store (several processes on a SQLite file are the run lock's matter).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';

const ROUNDS = 20;

describe.each(STORE_BACKENDS)('concurrent store writes on %s', (backend) => {
  const open = useStores(backend);
  let first: Store;
  let second: Store;

  beforeEach(async () => {
    first = await open();
    second = backend === 'postgres' ? await open.another(first) : first;
  });

  /** `write(store, i, replica)` ROUNDS times on each replica ('A' and 'B'), all started at once. */
  async function race<T>(write: (store: Store, i: number, replica: 'A' | 'B') => Promise<T>): Promise<T[]> {
    return Promise.all(Array.from({ length: ROUNDS }, (_, i) => [write(first, i, 'A'), write(second, i, 'B')]).flat());
  }

  it('claims each hook event uuid on exactly one replica when both receive it at once', async () => {
    const uuids = Array.from({ length: 50 }, (_, i) => `evt-${i}`);
    const claimed = await race((store, i) => store.hookEvents.claim(i % 2 === 0 ? uuids : [...uuids].reverse()));
    expect(claimed.flat().sort()).toEqual([...uuids].sort());
  });

  it('counts every run in which a user failed, when the failures are recorded at once', async () => {
    await race((store, i, replica) =>
      store.userErrors.record({ userKey: 'okta:00u1', oktaUserId: '00u1', email: 'ann@example.com', runId: `run-${replica}-${i}`, action: 'update', message: 'boom' }),
    );
    const [error] = await first.userErrors.all();
    expect(error?.consecutiveFailures).toBe(2 * ROUNDS);
  });

  it('counts a run once, however many of its failures are recorded at once', async () => {
    await race((store) => store.userErrors.record({ userKey: 'okta:00u1', oktaUserId: '00u1', email: 'ann@example.com', runId: 'run-1', action: 'update', message: 'boom' }));
    expect((await first.userErrors.all()).map((error) => error.consecutiveFailures)).toEqual([1]);
  });

  it('remembers a systemic cause once when both replicas see it first at once', async () => {
    const cause = { key: 'okta.E0000001', code: 'okta.E0000001', class: 'data' as const, service: 'okta' as const, kind: 'write_back' as const, status: 400, detail: null, users: 5, rule: 'shared' as const, summary: 'no attribute', hint: 'add it' };
    await first.runs.start('run-1', 'reconcile', true);
    await race((store) => store.systemicFailures.seen('run-1', [cause]));
    expect((await second.systemicFailures.active()).map((stored) => stored.key)).toEqual(['okta.E0000001']);
  });

  it('keeps one Okta user per Dialpad user when two replicas link it to different Okta users at once', async () => {
    const dialpadUserId = '6200000000000000001';
    await race((store, i, replica) => store.links.save({ oktaUserId: `00u${replica}${i}`, dialpadUserId, origin: 'adopted' }, `u${i}@example.com`));
    const links = await first.links.all();
    expect(links).toHaveLength(1);
    expect(links[0]?.dialpadUserId).toBe(dialpadUserId);
  });

  it('saves batches of links at once without breaking the one-Okta-user-per-Dialpad-user rule', async () => {
    const batch = (i: number, replica: string) =>
      Array.from({ length: 30 }, (_, n) => ({ link: { oktaUserId: `00u${replica}${i}-${n}`, dialpadUserId: `62000000000000${String(n).padStart(5, '0')}`, origin: 'adopted' as const }, email: `u${n}@example.com` }));
    await race((store, i, replica) => store.links.saveMany(batch(i, replica)));
    const links = await second.links.all();
    expect(links).toHaveLength(30);
    expect(new Set(links.map((link) => link.dialpadUserId)).size).toBe(30);
  });

  it('passes a link to a re-hire once when two replicas do it at once', async () => {
    const dialpadUserId = '6200000000000000042';
    await first.links.save({ oktaUserId: '00uOld', dialpadUserId, origin: 'created' }, 'tom@example.com');
    const move = { dialpadUserId, from: '00uOld', to: '00uNew', origin: 'created' as const };
    await race((store) => store.links.transfer(move, 'tom@example.com'));
    expect(await second.links.all()).toEqual([{ oktaUserId: '00uNew', dialpadUserId, origin: 'created' }]);
  });
});
