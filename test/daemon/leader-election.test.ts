import { describe, expect, it } from 'vitest';
import { LeaderElection } from '../../src/daemon/leader-election.js';
import type { HeldLease } from '../../src/lease/run-lease.js';
import { createLogger } from '../../src/log/logger.js';
import { RUN_LOCK, type LeaseHolder } from '../../src/store/leases.js';
import type { Store } from '../../src/store/store.js';
import { CaptureStream } from '../capture-stream.js';
import { STORE_BACKENDS, useStores } from '../store/backends.js';
import { eventually } from './harness.js';

const settings = { ttlSeconds: 3, renewIntervalSeconds: 0.5, waitSeconds: 0 };

/** An election for `holder` on `store`, recording what it was told. */
function election(store: Store, holder: LeaseHolder) {
  const told: string[] = [];
  const leases: HeldLease[] = [];
  const logs = new CaptureStream();
  const instance = new LeaderElection({
    store,
    holder,
    settings,
    onElected: (lease) => {
      told.push(`elected ${lease.token}`);
      leases.push(lease);
    },
    onDemoted: (reason) => told.push(`demoted: ${reason}`),
    logger: createLogger('info', logs),
  });
  return { instance, told, leases, logs };
}

const holder = (name: string): LeaseHolder => ({ id: `id-${name}`, host: `host-${name}`, pid: name.charCodeAt(0), kind: 'daemon' });

describe.each(STORE_BACKENDS)('LeaderElection on %s', (backend) => {
  const open = useStores(backend);

  it('elects the first replica to ask; the second follows, and leads once the first steps down, under the next token', async () => {
    const storeA = await open();
    const storeB = await open.another(storeA);
    const a = election(storeA, holder('a'));
    const b = election(storeB, holder('b'));
    try {
      await a.instance.start();
      await b.instance.start();
      expect(a.instance.leading).toBe(true);
      expect(b.instance.leading).toBe(false);
      expect(b.logs.text).toContain('this replica follows');

      await a.instance.stop();
      expect(a.instance.leading).toBe(false);
      // Freed at stop: the follower takes it at its next attempt, well before the TTL.
      await eventually(() => b.instance.leading, 2_000, 'b to lead');
      expect(a.told).toEqual(['elected 1']);
      expect(b.told).toEqual(['elected 2']);
      expect((await storeA.leases.current(RUN_LOCK))?.holder.host).toBe('host-b');
    } finally {
      await Promise.all([a.instance.stop(), b.instance.stop()]);
    }
  });

  it('steps down when another process took the lease over, and its lease no longer passes the fence', async () => {
    const storeA = await open();
    const storeB = await open.another(storeA);
    const a = election(storeA, holder('a'));
    try {
      await a.instance.start();
      const [lease] = a.leases;
      if (lease === undefined) throw new Error('not elected');
      // Another process takes over behind a's back (as after a pause past the TTL): expire the lease, then take it.
      await storeB.leases.release(lease.lease);
      const taken = await storeB.leases.tryAcquire(RUN_LOCK, holder('c'), 60_000);
      expect(taken.acquired).toBe(true);

      await eventually(() => a.told.some((line) => line.startsWith('demoted')), 3_000, 'a to step down');
      expect(a.instance.leading).toBe(false);
      expect(() => lease.check()).toThrow(/no longer this process's/);
      // It keeps asking, and follows the new holder.
      await eventually(() => a.logs.text.includes('this replica follows'), 3_000, 'a to follow');
    } finally {
      await a.instance.stop();
    }
  });
});
