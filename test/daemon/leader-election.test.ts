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

/** An election for `holder` on `store`, recording what it was told; `ineligible` says why it may not lead. */
function election(store: Store, holder: LeaseHolder, ineligible: () => string | null = () => null) {
  const told: string[] = [];
  const leases: HeldLease[] = [];
  const renewals = { count: 0 };
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
    onRenewed: () => {
      renewals.count += 1;
    },
    ineligible,
    logger: createLogger('info', logs),
  });
  return { instance, told, leases, logs, renewals };
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

  it('does not ask to lead while ineligible (credentials refused), and a leader that becomes ineligible hands the lead over', async () => {
    const storeA = await open();
    const storeB = await open.another(storeA);
    let aRefused: string | null = 'its credentials were refused at the last access check (dialpad_credentials)';
    const a = election(storeA, holder('a'), () => aRefused);
    const b = election(storeB, holder('b'));
    try {
      await a.instance.start();
      expect(a.instance.leading).toBe(false);
      expect(await storeA.leases.current(RUN_LOCK)).toBeNull();
      expect(a.logs.text).toContain('this replica does not ask to lead: its credentials were refused');

      aRefused = null;
      await eventually(() => a.instance.leading, 2_000, 'a to lead once eligible');
      await b.instance.start();
      expect(b.instance.leading).toBe(false);

      aRefused = 'its credentials were refused at the last access check (okta_credentials)';
      await eventually(() => b.instance.leading, 3_000, 'b to take over from a leader that gave up');
      expect(a.instance.leading).toBe(false);
      expect(a.told.at(-1)).toMatch(/^demoted: it gave up the lead: its credentials were refused/);
    } finally {
      await Promise.all([a.instance.stop(), b.instance.stop()]);
    }
  });

  it('tells only the leader of each renewal (where it looks for a Run now), never a follower', async () => {
    const storeA = await open();
    const storeB = await open.another(storeA);
    const a = election(storeA, holder('a'));
    const b = election(storeB, holder('b'));
    try {
      await a.instance.start();
      await b.instance.start();
      // The follower asks as often as the leader renews (the lease's expiry is further off than a renewal).
      await eventually(() => a.renewals.count >= 3, 5_000, 'three renewals by the leader');
      expect(b.instance.leading).toBe(false);
      expect(b.renewals.count).toBe(0);

      await a.instance.stop();
      await eventually(() => b.renewals.count >= 1, 5_000, 'a renewal by the new leader');
      const renewedByA = a.renewals.count;
      expect(a.instance.leading).toBe(false);
      await eventually(() => b.renewals.count >= 3, 5_000, 'more renewals by the new leader');
      expect(a.renewals.count).toBe(renewedByA);
    } finally {
      await Promise.all([a.instance.stop(), b.instance.stop()]);
    }
  });
  it('on taking the lead, closes the runs a dead leader left running before it starts its own', async () => {
    const storeA = await open();
    const storeB = await open.another(storeA);
    // The previous leader started a full run, then was SIGKILLed: its lease lapses, its run stays recorded running.
    await storeA.runs.start('killed-full', 'full', true);
    await storeA.runs.start('dry-run', 'reconcile', false);
    await storeA.leases.tryAcquire(RUN_LOCK, holder('a'), 1);
    const logs = new CaptureStream();
    const started: Promise<void>[] = [];
    const elected = new LeaderElection({
      store: storeB,
      holder: holder('b'),
      settings,
      // As the daemon does: a run starts the moment it is elected.
      onElected: () => void started.push(storeB.runs.start('new-full', 'full', true)),
      onDemoted: () => undefined,
      logger: createLogger('info', logs),
    });
    try {
      await elected.start();
      await eventually(() => elected.leading, 3_000, 'b to lead');
      await Promise.all(started);
      const outcomes = Object.fromEntries((await storeB.runs.recent(5)).map((run) => [run.id, run.outcome]));
      expect(outcomes).toEqual({ 'killed-full': 'partial', 'dry-run': 'running', 'new-full': 'running' });
      expect(logs.text).toContain('closed 1 run left running by a process that lost the run lock');
    } finally {
      await elected.stop();
    }
  });
});
