// Run now carried out by the leader: two daemon replicas on one database, a request written to the store (as the
// console on either replica writes it); the leader takes it at a lease renewal and runs a full run, recorded with
// the request; the follower never takes it. And the taker alone: a request carried out once, or handed back when no
// run started.
import { afterEach, describe, expect, it } from 'vitest';
import { RunRequestTaker } from '../../src/daemon/run-request-taker.js';
import { createLogger } from '../../src/log/logger.js';
import { Store } from '../../src/store/store.js';
import { CaptureStream } from '../capture-stream.js';
import { eventually, hire, startDaemon, useSandboxes, dialpadUsersWithEmail, SLOW_CREATES, type RunningDaemon } from './harness.js';

const given = useSandboxes();
let running: RunningDaemon[] = [];

afterEach(async () => {
  for (const daemon of running.reverse()) await daemon.stop();
  running = [];
});

/** A replica with short lease renewals (0.5 s) and no run of its own at start. */
async function replica(): Promise<RunningDaemon> {
  const daemon = await startDaemon(given(), { runOnStart: false, rest: { lock: { ttlSeconds: 3, renewIntervalSeconds: 0.5 } } });
  running.push(daemon);
  return daemon;
}

describe('a Run now request', () => {
  it('is taken by the leader at a lease renewal and carried out as a full run recorded with the request; the follower never takes it', async () => {
    const sandboxes = given();
    const leader = await replica();
    const follower = await replica();
    expect(leader.daemon.leading).toBe(true);
    expect(follower.daemon.leading).toBe(false);
    hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');

    // Written through the follower's store handle, as the console served by the follower would.
    const { request } = await follower.store.runRequests.request('okta:admin@acme.com');
    const done = await eventually(async () => {
      const row = await follower.store.runRequests.get(request.id);
      return row?.runId ? row : undefined;
    }, 15_000, 'the request carried out');

    const run = await leader.store.runs.get(done.runId ?? '');
    expect(run).toMatchObject({ kind: 'full', apply: true, outcome: 'succeeded' });
    expect(done.takenBy).toMatch(/^daemon@.+:\d+\/[0-9a-f]{8}$/);
    // The run applied: Ann, assigned before the request, is in Dialpad.
    expect(dialpadUsersWithEmail(sandboxes.dialpad, 'ann@acme.com')).toHaveLength(1);
    // The leader said so; the follower took nothing and ran nothing.
    expect(leader.logs.text).toContain('a full run was requested by okta:admin@acme.com: starting it');
    expect(leader.logs.text).toContain(`the requested full run ${done.runId} has ended`);
    expect(follower.logs.text).not.toContain('a full run was requested');
    expect((await leader.store.runs.recent(10)).map((r) => r.kind)).toEqual(['full']);
    expect(await leader.store.runRequests.pending()).toBeNull();
  }, 30_000);

  it('is carried out by the replica that took over the lead', async () => {
    const first = await replica();
    const second = await replica();
    await first.daemon.stop('handing over');
    running = running.filter((daemon) => daemon !== first);
    await first.store.close();
    await eventually(() => second.daemon.leading, 10_000, 'the second replica to lead');

    const { request } = await second.store.runRequests.request('token:ci');
    const done = await eventually(async () => {
      const row = await second.store.runRequests.get(request.id);
      return row?.runId ? row : undefined;
    }, 15_000, 'the request carried out by the new leader');
    expect(await second.store.runs.get(done.runId ?? '')).toMatchObject({ kind: 'full', outcome: 'succeeded' });
  }, 30_000);
});

describe('a Run now request while a full run is going', () => {
  const slow = useSandboxes(SLOW_CREATES);

  it('gets a full run of its own once the one going has ended: that run planned before the request', async () => {
    const sandboxes = slow();
    const daemon = await startDaemon(sandboxes, { runOnStart: false, rest: { lock: { ttlSeconds: 3, renewIntervalSeconds: 0.5 } } });
    running.push(daemon);
    hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    const going = daemon.daemon.requestFull();
    const first = await eventually(async () => (await daemon.store.runs.recent(1)).find((r) => r.outcome === 'running'), 10_000, 'the full run to start');

    const { request } = await daemon.store.runRequests.request('okta:admin@acme.com');
    const done = await eventually(async () => {
      const row = await daemon.store.runRequests.get(request.id);
      return row?.runId ? row : undefined;
    }, 20_000, 'the request carried out');
    await going;
    expect(done.runId).not.toBe(first.id);
    const covering = await daemon.store.runs.get(done.runId ?? '');
    expect(covering).toMatchObject({ kind: 'full', outcome: 'succeeded' });
    expect((covering?.startedAt ?? '') >= request.requestedAt).toBe(true);
    expect((await daemon.store.runs.recent(10)).map((r) => r.kind)).toEqual(['full', 'full']);
  }, 40_000);
});

describe('RunRequestTaker', () => {
  /** A taker on a fresh store whose full run resolves with `runId` (null: no run started), counting the runs asked for. */
  async function taker(runId: string | null) {
    const store = await Store.open(':memory:');
    const asked = { runs: 0 };
    const instance = new RunRequestTaker({
      store,
      replica: 'daemon@pod-a:7/0123abcd',
      runFull: async () => {
        asked.runs += 1;
        return runId;
      },
      logger: createLogger('info', new CaptureStream()),
    });
    return { store, instance, asked };
  }

  it('asks for no run when no request waits', async () => {
    const { store, instance, asked } = await taker('run-1');
    try {
      await instance.check();
      expect(asked.runs).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('records the run that carried a request out, once', async () => {
    const { store, instance, asked } = await taker('run-1');
    try {
      await store.runs.start('run-1', 'full', true);
      const { request } = await store.runRequests.request('okta:admin@acme.com');
      await instance.check();
      await instance.check();
      expect(asked.runs).toBe(1);
      expect(await store.runRequests.get(request.id)).toMatchObject({ takenBy: 'daemon@pod-a:7/0123abcd', runId: 'run-1' });
    } finally {
      await store.close();
    }
  });

  it('hands a request back to wait for the next leader when no run started (stopping, lead lost)', async () => {
    const { store, instance, asked } = await taker(null);
    try {
      const { request } = await store.runRequests.request('okta:admin@acme.com');
      await instance.check();
      expect(asked.runs).toBe(1);
      expect(await store.runRequests.pending()).toMatchObject({ id: request.id, takenBy: null, runId: null });
    } finally {
      await store.close();
    }
  });
});
