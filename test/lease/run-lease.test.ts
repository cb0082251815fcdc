import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { confirmedLease, HeldLease } from '../../src/lease/run-lease.js';
import { RUN_LOCK, type LeaseHolder } from '../../src/store/leases.js';
import { STORE_BACKENDS, useStores } from '../store/backends.js';

const settings = { ttlSeconds: 3, renewIntervalSeconds: 1, waitSeconds: 0 };
const holder: LeaseHolder = { id: 'holder-a', host: 'node-a', pid: 1, kind: 'daemon' };

describe.each(STORE_BACKENDS)('HeldLease on %s', (backend) => {
  const open = useStores(backend);

  it('confirms a lease the database granted after a long wait (a database outage) by renewing it, rather than electing it stale', async () => {
    const store = await open();
    const attempt = await store.leases.tryAcquire(RUN_LOCK, holder, settings.ttlSeconds * 1000);
    if (!attempt.acquired) throw new Error('not acquired');
    // Asked for 10 s ago: by its own clock the lease was past its deadline the moment it was granted.
    const stale = new HeldLease(store, attempt.fence, settings, performance.now() - 10_000);
    expect(stale.valid).toBe(false);
    const confirmed = await confirmedLease(stale);
    expect(confirmed?.valid).toBe(true);
    expect(() => confirmed?.check()).not.toThrow();
  });

  it('gives up a late grant that another process has taken over meanwhile', async () => {
    const store = await open();
    const attempt = await store.leases.tryAcquire(RUN_LOCK, holder, 1);
    if (!attempt.acquired) throw new Error('not acquired');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.leases.tryAcquire(RUN_LOCK, { ...holder, id: 'holder-b' }, 60_000);
    expect(await confirmedLease(new HeldLease(store, attempt.fence, settings, performance.now() - 10_000))).toBeNull();
  });
});
