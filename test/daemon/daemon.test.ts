// The daemon in-process against the sandboxes: schedules and the run lock, /metrics and /readyz, and no
// secret in any log line (everything runs at trace level and every line is searched).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gateways } from '../../src/wiring/build.js';
import type { DialpadGateway } from '../../src/dialpad/types.js';
import { RELEVANT_EVENT_TYPES } from '../../src/okta/relevant-events.js';
import { HOOK_ELIGIBLE_EVENT_TYPES } from '../../sandbox/okta/event-hooks.js';
import { dialpadUsersWithEmail, eventually, hire, HOOK_SECRET, startDaemon, useSandboxes, type RunningDaemon } from './harness.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

const given = useSandboxes();
let running: RunningDaemon[] = [];

beforeEach(() => {
  running = [];
});

afterEach(async () => {
  const sandboxes = given();
  for (const daemon of running) await daemon.stop();
  // Every scenario's logs, at trace level, are free of the credentials and the hook secret.
  for (const { logs } of running) {
    expect(logs.text.length).toBeGreaterThan(0);
    expect(logs.text).toMatch(/"level":20/);
    for (const secret of [sandboxes.okta.token, sandboxes.dialpad.apiKey, HOOK_SECRET]) expect(logs.text).not.toContain(secret);
  }
  await sandboxes.stop();
});

async function launch(options: Parameters<typeof startDaemon>[1] = {}): Promise<RunningDaemon> {
  const sandboxes = given();
  const daemon = await startDaemon(sandboxes, { ...options, env: { DIALSYNC_HOOK_SECRET: HOOK_SECRET, ...options.env } });
  running.push(daemon);
  return daemon;
}

async function finishedRuns(daemon: RunningDaemon) {
  return (await daemon.store.runs.recent(100)).filter((run) => run.outcome !== 'running');
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

async function reachedBothSides(oktaUserId: string, email: string): Promise<string | false> {
  const sandboxes = given();
  const users = dialpadUsersWithEmail(sandboxes.dialpad, email);
  const number = users[0]?.phoneNumbers[0];
  return users.length === 1 && number !== undefined && sandboxes.okta.getUser(oktaUserId)?.profile.dialpadPhone === number ? number : false;
}

describe('dialsync daemon', () => {
  it('brings a user assigned in Okta to Dialpad, and the number back, through the incremental cycle', async () => {
    const sandboxes = given();
    hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    const daemon = await launch({ daemon: { pollIntervalSeconds: 5 } });
    await eventually(async () => (await finishedRuns(daemon)).length === 1, 10_000, 'the first full run');

    const bob = hire(sandboxes.okta, 'bob@acme.com', 'Bob', 'Ray');
    await eventually(() => reachedBothSides(bob, 'bob@acme.com'), 15_000, 'Bob in Dialpad and his number in Okta');
    const runs = await eventually(async () => {
      const finished = await finishedRuns(daemon);
      return finished.some((run) => run.kind === 'incremental') && finished;
    }, 5_000, 'the incremental run recorded');
    expect(runs.filter((run) => run.kind === 'full')).toHaveLength(1);
    expect(runs.filter((run) => run.kind === 'incremental').length).toBeGreaterThanOrEqual(1);
    expect(runs.every((run) => run.outcome === 'succeeded')).toBe(true);

    // dialsync's own write-back of Bob's number is in the System Log too, and makes no work.
    await daemon.daemon.pollOnce();
    const before = (await finishedRuns(daemon)).length;
    await daemon.daemon.pollOnce();
    expect((await finishedRuns(daemon)).length).toBe(before);
    // Bob's creation and assignment came in one poll; nothing after them was work.
    expect((await finishedRuns(daemon)).filter((run) => run.kind === 'incremental')).toHaveLength(1);
    expect(await daemon.store.checkpoints.get('okta-system-log')).toMatch(/\/api\/v1\/logs\?/);
  }, 30_000);

  it('brings a user assigned in Okta to Dialpad, and the number back, within 5 s of an event hook delivery', async () => {
    const sandboxes = given();
    const daemon = await launch({ daemon: { hooks: { enabled: true, batchDelaySeconds: 0.2 } } });
    await eventually(async () => (await finishedRuns(daemon)).length === 1, 10_000, 'the first full run');
    await sandboxes.okta.registerEventHook({ url: `${daemon.baseUrl}/hooks/okta`, secret: HOOK_SECRET, eventTypes: RELEVANT_EVENT_TYPES.filter((type) => HOOK_ELIGIBLE_EVENT_TYPES.has(type)), deliverTwice: true });

    const assignedAt = Date.now();
    const ann = hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    await eventually(() => reachedBothSides(ann, 'ann@acme.com'), 5_000, 'Ann in Dialpad and her number in Okta');
    expect(Date.now() - assignedAt).toBeLessThan(5_000);
    await sandboxes.okta.settleEventHooks();
    await eventually(async () => (await finishedRuns(daemon)).some((run) => run.kind === 'hook'), 5_000, 'the hook run recorded');
    expect(sandboxes.okta.hookDeliveries.length).toBeGreaterThan(0);
    expect(sandboxes.okta.hookDeliveries.every((delivery) => delivery.status === 200)).toBe(true);
  }, 30_000);

  it('starts the hook run of a delivery to an idle leader at once: neither batchDelaySeconds nor the queue poll holds it', async () => {
    const sandboxes = given();
    // A gap and a poll far longer than the test may take: only the hand-over on delivery can start the run.
    const daemon = await launch({ daemon: { hooks: { enabled: true, batchDelaySeconds: 60, queuePollSeconds: 300 } } });
    await eventually(async () => (await finishedRuns(daemon)).length === 1, 10_000, 'the first full run');
    await sandboxes.okta.registerEventHook({ url: `${daemon.baseUrl}/hooks/okta`, secret: HOOK_SECRET, eventTypes: RELEVANT_EVENT_TYPES.filter((type) => HOOK_ELIGIBLE_EVENT_TYPES.has(type)) });

    const ann = hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    await eventually(() => reachedBothSides(ann, 'ann@acme.com'), 10_000, 'Ann in Dialpad and her number in Okta');
    await eventually(async () => (await daemon.store.hookQueue.size()) === 0, 5_000, 'the queue drained');
    expect((await finishedRuns(daemon)).map((run) => `${run.kind} ${run.outcome}`)).toEqual(['hook succeeded', 'full succeeded']);
  }, 30_000);

  it('gathers the deliveries that come during a run into one hook run, which starts when that run ends', async () => {
    const sandboxes = given();
    let hold: Promise<void> | null = null;
    let release: () => void = () => undefined;
    let listed = false;
    // The full run reads its listing before the hires, then waits until released.
    const held = (gateways: Gateways): Gateways => {
      const okta = Object.create(gateways.okta) as Gateways['okta'];
      okta.listAssignments = async () => {
        const listing = await gateways.okta.listAssignments();
        listed = true;
        if (hold) await hold;
        return listing;
      };
      return { okta, dialpad: gateways.dialpad };
    };
    const daemon = await launch({ daemon: { hooks: { enabled: true, batchDelaySeconds: 0, queuePollSeconds: 0.2 } }, wrapGateways: held });
    await eventually(async () => (await finishedRuns(daemon)).length === 1, 10_000, 'the first full run');
    await sandboxes.okta.registerEventHook({ url: `${daemon.baseUrl}/hooks/okta`, secret: HOOK_SECRET, eventTypes: RELEVANT_EVENT_TYPES.filter((type) => HOOK_ELIGIBLE_EVENT_TYPES.has(type)) });

    hold = new Promise<void>((resolve) => (release = resolve));
    listed = false;
    const full = daemon.daemon.requestFull();
    await eventually(() => listed, 10_000, 'the full run listed the assignments');
    const ann = hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    await sandboxes.okta.settleEventHooks();
    const bob = hire(sandboxes.okta, 'bob@acme.com', 'Bob', 'Ray');
    await sandboxes.okta.settleEventHooks();
    const deliveries = sandboxes.okta.hookDeliveries.filter((delivery) => delivery.status === 200);
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    // Queued, not run: the run going holds them (and the leader's polls leave the queue alone meanwhile).
    expect(await daemon.store.hookQueue.size()).toBeGreaterThanOrEqual(2);
    expect((await finishedRuns(daemon)).filter((run) => run.kind === 'hook')).toEqual([]);

    release();
    expect(await full).toBe('ran');
    await eventually(async () => (await reachedBothSides(ann, 'ann@acme.com')) && reachedBothSides(bob, 'bob@acme.com'), 10_000, 'Ann and Bob on both sides');
    await eventually(async () => (await daemon.store.hookQueue.size()) === 0, 5_000, 'the queue drained');
    expect((await finishedRuns(daemon)).map((run) => `${run.kind} ${run.outcome}`)).toEqual(['hook succeeded', 'full succeeded', 'full succeeded']);
  }, 30_000);

  it('runs the users of events another replica queued (the leader polls the hook queue), then acknowledges them', async () => {
    const sandboxes = given();
    const daemon = await launch({ daemon: { hooks: { enabled: true, queuePollSeconds: 0.2 } } });
    await eventually(async () => (await finishedRuns(daemon)).length === 1, 10_000, 'the first full run');
    const ann = hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    // As the replica that received the delivery writes it: no hook reaches this daemon's endpoint.
    await daemon.store.hookQueue.enqueue([{ uuid: 'delivered-to-replica-b', oktaUserIds: [ann] }], 'replica-b:202');
    await eventually(() => reachedBothSides(ann, 'ann@acme.com'), 10_000, 'Ann in Dialpad and her number in Okta');
    await eventually(async () => (await daemon.store.hookQueue.size()) === 0, 5_000, 'the queue drained');
    expect((await finishedRuns(daemon)).filter((run) => run.kind === 'hook').map((run) => run.outcome)).toEqual(['succeeded']);
  }, 30_000);

  it('keeps a queued hook event while its run fails, and runs it once runs succeed again', async () => {
    const sandboxes = given();
    let oktaDown = false;
    const failing = (gateways: Gateways): Gateways => {
      const okta = Object.create(gateways.okta) as Gateways['okta'];
      okta.getAssignment = async (id) => {
        if (oktaDown) throw new Error('okta unreachable');
        return gateways.okta.getAssignment(id);
      };
      return { okta, dialpad: gateways.dialpad };
    };
    const daemon = await launch({ daemon: { hooks: { enabled: true, queuePollSeconds: 0.2 } }, wrapGateways: failing });
    await eventually(async () => (await finishedRuns(daemon)).length === 1, 10_000, 'the first full run');
    oktaDown = true;
    const ann = hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    await daemon.store.hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: [ann] }], 'replica-b:202');
    await eventually(async () => (await finishedRuns(daemon)).some((run) => run.kind === 'hook' && run.outcome === 'failed'), 10_000, 'the failed hook run');
    expect(await daemon.store.hookQueue.size()).toBe(1);

    oktaDown = false;
    await daemon.daemon.requestFull();
    await eventually(async () => (await daemon.store.hookQueue.size()) === 0, 10_000, 'the queue drained');
    expect(await reachedBothSides(ann, 'ann@acme.com')).not.toBe(false);
  }, 30_000);

  it('never runs two reconciliations at once: ticks during a slow run are skipped, targeted runs wait', async () => {
    const sandboxes = given();
    const ids = ['ann', 'bob', 'cat'].map((name) => hire(sandboxes.okta, `${name}@acme.com`, name, 'Lee'));
    let active = 0;
    let maxActive = 0;
    const slow = (gateways: Gateways): Gateways => {
      const dialpad: DialpadGateway = Object.create(gateways.dialpad) as DialpadGateway;
      dialpad.createUser = async (input) => {
        await new Promise((resolve) => setTimeout(resolve, 1200));
        return gateways.dialpad.createUser(input);
      };
      return { okta: gateways.okta, dialpad };
    };
    // A full run every second, while the first one takes about four.
    const daemon = await launch({
      daemon: { schedule: '* * * * * *' },
      rest: { concurrency: 1 },
      wrapGateways: slow,
      beforeStart: (store) => {
        const { start, finish } = store.runs;
        store.runs.start = async (...args) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          return start.apply(store.runs, args);
        };
        store.runs.finish = async (...args) => {
          active -= 1;
          return finish.apply(store.runs, args);
        };
      },
    });
    await eventually(() => active === 1, 5000, 'the first run');
    const targeted = daemon.daemon.requestUsers('hook', [ids[0] ?? '']);
    await eventually(() => daemon.logs.text.includes('full run skipped'), 5000, 'a skipped tick');
    await targeted;
    await eventually(async () => (await finishedRuns(daemon)).length >= 3, 10_000, 'more runs');

    expect(maxActive).toBe(1);
    for (const name of ['ann', 'bob', 'cat']) expect(dialpadUsersWithEmail(sandboxes.dialpad, `${name}@acme.com`)).toHaveLength(1);
    const metrics = parsePrometheusText((await get(`${daemon.baseUrl}/metrics`)).text);
    expect(sampleValue(metrics, 'dialsync_runs_total', { kind: 'full', outcome: 'skipped' })).toBeGreaterThanOrEqual(1);
    expect(daemon.logs.text).toMatch(/hook run waits for the full run in progress/);
  }, 30_000);

  it('serves /metrics as Prometheus text whose counters move with a run, and /healthz, /readyz', async () => {
    const sandboxes = given();
    hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    hire(sandboxes.okta, 'bob@acme.com', 'Bob', 'Ray');
    const daemon = await launch();
    await eventually(async () => (await finishedRuns(daemon)).length === 1, 10_000, 'the first full run');

    expect((await get(`${daemon.baseUrl}/healthz`)).status).toBe(200);
    const ready = await get(`${daemon.baseUrl}/readyz`);
    expect(ready.status, ready.text).toBe(200);
    const first = parsePrometheusText((await get(`${daemon.baseUrl}/metrics`)).text);
    expect(sampleValue(first, 'dialsync_runs_total', { kind: 'full', outcome: 'succeeded' })).toBe(1);
    expect(sampleValue(first, 'dialsync_run_duration_seconds_count', { kind: 'full' })).toBe(1);
    expect(sampleValue(first, 'dialsync_actions_total', { kind: 'create', outcome: 'done' })).toBe(2);
    expect(sampleValue(first, 'dialsync_managed_users', {})).toBe(2);
    expect(sampleValue(first, 'dialsync_api_requests_total', { service: 'dialpad', endpoint: '/api/v2/users', status: '200' })).toBeGreaterThan(0);
    expect(sampleValue(first, 'dialsync_api_requests_total', { service: 'okta', endpoint: '/api/v1/apps/{id}/users', status: '200' })).toBeGreaterThan(0);
    const lastSuccess = sampleValue(first, 'dialsync_last_successful_run_timestamp_seconds', {}) ?? 0;
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(60);

    hire(sandboxes.okta, 'cat@acme.com', 'Cat', 'Kim');
    expect(await daemon.daemon.requestFull()).toBe('ran');
    const second = parsePrometheusText((await get(`${daemon.baseUrl}/metrics`)).text);
    expect(sampleValue(second, 'dialsync_runs_total', { kind: 'full', outcome: 'succeeded' })).toBe(2);
    expect(sampleValue(second, 'dialsync_actions_total', { kind: 'create', outcome: 'done' })).toBe(3);
    expect(sampleValue(second, 'dialsync_managed_users', {})).toBe(3);
  }, 30_000);

  it('is unready on bad credentials, with the reason, and still alive', async () => {
    const daemon = await launch({ env: { DIALPAD_API_KEY: 'not-the-key' }, runOnStart: false });
    expect((await get(`${daemon.baseUrl}/healthz`)).status).toBe(200);
    const ready = await get(`${daemon.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unready', reasons: ['dialpad_credentials'] });
    expect(ready.text).not.toContain('not-the-key');
  });

  it('is unready when the Okta token is refused', async () => {
    const daemon = await launch({ env: { OKTA_API_TOKEN: '00wrong-token-value' }, runOnStart: false });
    const ready = await get(`${daemon.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unready', reasons: ['okta_credentials'] });
    expect(daemon.logs.text).not.toContain('00wrong-token-value');
  });
});
