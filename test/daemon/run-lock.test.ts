import { describe, expect, it } from 'vitest';
import { RunLock, type DaemonRunKind } from '../../src/daemon/run-lock.js';

/** A run that stays open until released, counting how many runs overlap. */
function harness() {
  let active = 0;
  let maxActive = 0;
  const log: string[] = [];
  const skipped: string[] = [];
  const releases: (() => void)[] = [];
  const body = (label: string) => async () => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    log.push(`start ${label}`);
    await new Promise<void>((resolve) => releases.push(resolve));
    log.push(`end ${label}`);
    active -= 1;
  };
  const lock = new RunLock({
    runFull: body('full'),
    runTargeted: (kind, ids) => body(`${kind}:${ids.join(',')}`)(),
    onSkipped: (kind: DaemonRunKind, reason: string) => skipped.push(`${kind}: ${reason}`),
  });
  const releaseNext = async (): Promise<void> => {
    // Let the lock start whatever is queued before releasing it.
    await new Promise((resolve) => setImmediate(resolve));
    const release = releases.shift();
    if (!release) throw new Error('nothing is running');
    release();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { lock, log, skipped, releaseNext, maxActive: () => maxActive };
}

describe('RunLock', () => {
  it('skips a full run asked for while one is going, and says why', async () => {
    const h = harness();
    const first = h.lock.requestFull();
    const second = await h.lock.requestFull();
    expect(second).toBe('skipped');
    expect(h.skipped).toEqual(['full: a full run is still going']);
    await h.releaseNext();
    expect(await first).toBe('ran');
    expect(h.log).toEqual(['start full', 'end full']);
  });

  it('queues a full run behind the full run going for a Run now (requestFullAfterCurrent), and joins one already waiting', async () => {
    const h = harness();
    const going = h.lock.requestFull();
    const after = h.lock.requestFullAfterCurrent();
    const joined = h.lock.requestFullAfterCurrent();
    expect(h.skipped).toEqual([]);
    await h.releaseNext();
    expect(await going).toBe('ran');
    await h.releaseNext();
    expect(await after).toBe('ran');
    expect(await joined).toBe('ran');
    expect(h.log).toEqual(['start full', 'end full', 'start full', 'end full']);
    expect(h.maxActive()).toBe(1);
  });

  it('queues targeted users behind the run going, merges them, and never runs two at once', async () => {
    const h = harness();
    const full = h.lock.requestFull();
    const a = h.lock.requestTargeted('incremental', ['u1', 'u2']);
    const b = h.lock.requestTargeted('incremental', ['u2', 'u3']);
    await h.releaseNext(); // full ends; users asked for during it may have been read before their change
    await h.releaseNext();
    await Promise.all([full, a, b]);
    const c = h.lock.requestTargeted('hook', ['u4']);
    const d = h.lock.requestTargeted('hook', ['u5']);
    await h.releaseNext();
    await h.releaseNext();
    await Promise.all([c, d]);
    expect(h.log).toEqual(['start full', 'end full', 'start incremental:u1,u2,u3', 'end incremental:u1,u2,u3', 'start hook:u4', 'end hook:u4', 'start hook:u5', 'end hook:u5']);
    expect(h.maxActive()).toBe(1);
  });

  it('runs users queued during a targeted run together afterwards', async () => {
    const h = harness();
    const first = h.lock.requestTargeted('hook', ['u1']);
    const second = h.lock.requestTargeted('hook', ['u2']);
    const third = h.lock.requestTargeted('hook', ['u3', 'u2']);
    await h.releaseNext();
    await first;
    await h.releaseNext();
    await Promise.all([second, third]);
    expect(h.log).toEqual(['start hook:u1', 'end hook:u1', 'start hook:u2,u3', 'end hook:u2,u3']);
  });

  it('drops users queued before a full run starts: the full run reads them', async () => {
    const h = harness();
    const targeted = h.lock.requestTargeted('hook', ['u1']);
    const full = h.lock.requestFull();
    const covered = h.lock.requestTargeted('hook', ['u2']);
    await h.releaseNext();
    await targeted;
    await h.releaseNext();
    await Promise.all([full, covered]);
    expect(h.log).toEqual(['start hook:u1', 'end hook:u1', 'start full', 'end full']);
  });

  it('lets a full run wait behind a targeted run rather than skipping it', async () => {
    const h = harness();
    const targeted = h.lock.requestTargeted('incremental', ['u1']);
    const full = h.lock.requestFull();
    expect(await h.lock.requestFull()).toBe('skipped'); // one is already waiting
    await h.releaseNext();
    await targeted;
    await h.releaseNext();
    expect(await full).toBe('ran');
    expect(h.log).toEqual(['start incremental:u1', 'end incremental:u1', 'start full', 'end full']);
    expect(h.skipped).toEqual(['full: a full run is already waiting']);
  });

  it('on close drops what is queued and waits for the run going', async () => {
    const h = harness();
    void h.lock.requestFull();
    const queued = h.lock.requestTargeted('hook', ['u1']);
    let closed = false;
    const closing = h.lock.close().then(() => {
      closed = true;
    });
    await queued; // dropped, resolved at once
    expect(closed).toBe(false);
    await h.releaseNext();
    await closing;
    expect(closed).toBe(true);
    expect(await h.lock.requestFull()).toBe('skipped');
    expect(h.log).toEqual(['start full', 'end full']);
  });

  it('keeps going after a run throws', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const lock = new RunLock({
      runFull: async () => {
        runs += 1;
        if (runs === 1) throw new Error('boom');
      },
      runTargeted: async () => undefined,
      onError: (_kind, error) => errors.push(error),
    });
    expect(await lock.requestFull()).toBe('ran');
    expect(await lock.requestFull()).toBe('ran');
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
