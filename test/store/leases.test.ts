import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../src/errors/lease-lost.js';
import { describeHolder } from '../../src/lease/run-lease.js';
import { RUN_LOCK, type LeaseHolder, type WriteFence } from '../../src/store/leases.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';

const daemonA: LeaseHolder = { id: 'holder-a', host: 'node-a', pid: 101, kind: 'daemon' };
const daemonB: LeaseHolder = { id: 'holder-b', host: 'node-b', pid: 202, kind: 'daemon' };


const entry = { runId: 'run-1', oktaUserId: 'u1', dialpadUserId: null, email: 'a@example.com', action: 'create', target: 'dialpad' as const, request: { method: 'POST', path: '/api/v2/users' } };

describe.each(STORE_BACKENDS)('LeaseStore, the run lock, on %s', (backend) => {
  const open = useStores(backend);
  /** Two processes' handles on one database (several processes share one SQLite file or one PostgreSQL). */
  async function twoHandles(): Promise<[Store, Store]> {
    const a = await open();
    return [a, await open.another(a)];
  }

  it('grants a free lease once, and tells the second asker who holds it', async () => {
    const [a, b] = await twoHandles();
    const first = await a.leases.tryAcquire(RUN_LOCK, daemonA, 15_000);
    const second = await b.leases.tryAcquire(RUN_LOCK, daemonB, 15_000);
    expect(first).toMatchObject({ acquired: true, fence: { name: RUN_LOCK, holderId: 'holder-a', token: 1 } });
    expect(second.acquired).toBe(false);
    if (second.acquired) return;
    expect(second.heldBy).toMatchObject({ holder: { host: 'node-a', pid: 101, kind: 'daemon' }, token: 1, expired: false, released: false });
  });

  it('tells who holds it by kind: a `dialsync apply` of a plan file is said as such, not as a reconcile', async () => {
    const [a, b] = await twoHandles();
    await a.leases.tryAcquire(RUN_LOCK, { ...daemonA, kind: 'apply' }, 15_000);
    const second = await b.leases.tryAcquire(RUN_LOCK, daemonB, 15_000);
    expect(second.acquired).toBe(false);
    if (second.acquired) return;
    expect(second.heldBy?.holder.kind).toBe('apply');
    expect(describeHolder(second.heldBy)).toMatch(/^the run lock is held by a dialsync apply \(of a plan file\) on node-a \(pid 101\)/);
  });

  it('lets exactly one of many racing askers have a free lease', async () => {
    const [a, b] = await twoHandles();
    const holders = Array.from({ length: 8 }, (_, i) => ({ ...daemonA, id: `racer-${i}` }));
    const attempts = await Promise.all(holders.map((holder, i) => (i % 2 === 0 ? a : b).leases.tryAcquire(RUN_LOCK, holder, 15_000)));
    expect(attempts.filter((attempt) => attempt.acquired)).toHaveLength(1);
  });

  it('hands an expired lease to the next asker with a higher fencing token; the old holder can no longer renew', async () => {
    const [a, b] = await twoHandles();
    const first = await a.leases.tryAcquire(RUN_LOCK, daemonA, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await b.leases.tryAcquire(RUN_LOCK, daemonB, 15_000);
    expect(first.acquired && second.acquired).toBe(true);
    if (!first.acquired || !second.acquired) return;
    expect(second.fence.token).toBe(first.fence.token + 1);
    expect(await a.leases.renew(first.fence, 15_000)).toBe(false);
    expect(await b.leases.renew(second.fence, 15_000)).toBe(true);
  });

  it('frees a released lease at once, keeping the token counting up', async () => {
    const [a, b] = await twoHandles();
    const first = await a.leases.tryAcquire(RUN_LOCK, daemonA, 15_000);
    if (!first.acquired) throw new Error('not acquired');
    await a.leases.release(first.fence);
    expect((await b.leases.current(RUN_LOCK))?.expired).toBe(true);
    const second = await b.leases.tryAcquire(RUN_LOCK, daemonB, 15_000);
    expect(second).toMatchObject({ acquired: true, fence: { token: 2 } });
  });

  it('fences the journal: a write begun under a lease another process took over is refused and not recorded', async () => {
    const [a, b] = await twoHandles();
    await a.runs.start('run-1', 'full', true);
    const first = await a.leases.tryAcquire(RUN_LOCK, daemonA, 1);
    if (!first.acquired) throw new Error('not acquired');
    const fence: WriteFence = { lease: first.fence, check: () => undefined };
    a.journal.fenceWith(fence);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await b.leases.tryAcquire(RUN_LOCK, daemonB, 15_000);
    await expect(a.journal.begin(entry)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await b.journal.forRun('run-1')).toEqual([]);
  });

  it('records a write begun while the lease is held, and refuses one the holder itself judges too late', async () => {
    const [a] = await twoHandles();
    await a.runs.start('run-1', 'full', true);
    const held = await a.leases.tryAcquire(RUN_LOCK, daemonA, 15_000);
    if (!held.acquired) throw new Error('not acquired');
    let late = false;
    a.journal.fenceWith({
      lease: held.fence,
      check: () => {
        if (late) throw new LeaseLostError();
      },
    });
    expect(await a.journal.begin(entry)).toBeGreaterThan(0);
    late = true;
    await expect(a.journal.begin(entry)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await a.journal.forRun('run-1')).toHaveLength(1);
  });
});
