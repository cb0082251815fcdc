// The leader's drain of the event hook queue, against a real store; the run is a function recording whom it ran.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MARGIN_MS, HookQueueDrainer, type HookQueueDrainerOptions } from '../../src/daemon/hook-queue-drainer.js';
import { createLogger } from '../../src/log/logger.js';
import type { Store } from '../../src/store/store.js';
import { CaptureStream } from '../capture-stream.js';
import { useStores } from '../store/backends.js';
import { eventually } from './harness.js';

// The drainer's logic is the same on both engines; the queue's own tests run on both.
const open = useStores('sqlite');
let store: Store;
let clock: number;
/** The users of each run, in order. */
let runs: string[][];
let logs: CaptureStream;
let drainers: HookQueueDrainer[];

beforeEach(async () => {
  clock = Date.parse('2026-11-30T10:00:00Z');
  store = await open(() => new Date((clock += 1000)));
  runs = [];
  logs = new CaptureStream();
  drainers = [];
});

afterEach(async () => {
  await Promise.all(drainers.map((drainer) => drainer.stop()));
});

/** A drainer whose run records its users and finishes, unless `run` says otherwise. */
function drainer(overrides: Partial<HookQueueDrainerOptions> = {}): HookQueueDrainer {
  const created = new HookQueueDrainer({
    store,
    runUsers: async (_kind, ids) => {
      runs.push(ids);
      return true;
    },
    pollMs: 60_000,
    logger: createLogger('debug', logs),
    ...overrides,
  });
  drainers.push(created);
  return created;
}

async function queue(uuid: string, ...oktaUserIds: string[]): Promise<void> {
  await store.hookQueue.enqueue([{ uuid, oktaUserIds }], 'replica-b:202');
}

async function waitingUuids(): Promise<string[]> {
  return (await store.hookQueue.pending(100)).map((event) => event.uuid);
}

describe('HookQueueDrainer', () => {
  it('runs the users of every waiting event in one run, each once, then deletes those rows', async () => {
    await queue('e1', '00u1');
    await queue('e2', '00u2', '00u1');
    const outcome = await drainer().drainOnce();
    expect(outcome).toEqual({ code: 'drained', acknowledged: 2, dropped: 0, users: 2 });
    expect(runs).toEqual([['00u1', '00u2']]);
    expect(await waitingUuids()).toEqual([]);
    expect(await drainer().drainOnce()).toEqual({ code: 'idle', acknowledged: 0, dropped: 0, users: 0 });
  });

  it('leaves the rows when the run throws or does not finish; the next drain runs them', async () => {
    await queue('e1', '00u1');
    let answer: () => Promise<boolean> = () => Promise.reject(new Error('dialpad down'));
    const subject = drainer({
      runUsers: async (_kind, ids) => {
        runs.push(ids);
        return answer();
      },
    });
    expect((await subject.drainOnce()).code).toBe('failed');
    answer = async () => false;
    expect((await subject.drainOnce()).code).toBe('failed');
    expect(await waitingUuids()).toEqual(['e1']);
    answer = async () => true;
    expect((await subject.drainOnce()).code).toBe('drained');
    expect(runs).toEqual([['00u1'], ['00u1'], ['00u1']]);
    expect(await waitingUuids()).toEqual([]);
    expect(logs.text).toContain('dialpad down');
  });

  it('keeps the events queued during a run for the next drain', async () => {
    await queue('e1', '00u1');
    const subject = drainer({
      runUsers: async (_kind, ids) => {
        runs.push(ids);
        if (runs.length === 1) await queue('e2', '00u2');
        return true;
      },
    });
    expect((await subject.drainOnce()).acknowledged).toBe(1);
    expect(await waitingUuids()).toEqual(['e2']);
    await subject.drainOnce();
    expect(runs).toEqual([['00u1'], ['00u2']]);
    expect(await waitingUuids()).toEqual([]);
  });

  it('reads at most batchEvents events per run', async () => {
    for (let i = 1; i <= 5; i += 1) await queue(`e${i}`, `00u${i}`);
    expect((await drainer({ batchEvents: 2 }).drainOnce()).acknowledged).toBe(2);
    expect(runs).toEqual([['00u1', '00u2']]);
    expect(await waitingUuids()).toEqual(['e3', 'e4', 'e5']);
  });

  it('drops unrun the events received well before the last finished full run started: that run covered them', async () => {
    await queue('poison', '00u1');
    clock += CLOCK_SKEW_MARGIN_MS;
    await store.runs.start('full-1', 'full', true);
    await store.runs.finish('full-1', 'succeeded', { listedAssignments: 10 });
    await queue('later', '00u2');
    const outcome = await drainer().drainOnce();
    expect(outcome).toEqual({ code: 'drained', acknowledged: 1, dropped: 1, users: 1 });
    expect(runs).toEqual([['00u2']]);
    expect(await waitingUuids()).toEqual([]);
  });

  it('keeps the events of a failed full run, and of one that started within the clock margin', async () => {
    await queue('e1', '00u1');
    await store.runs.start('full-1', 'full', true);
    await store.runs.finish('full-1', 'succeeded', { listedAssignments: 10 });
    clock += CLOCK_SKEW_MARGIN_MS;
    await store.runs.start('full-2', 'full', true);
    await store.runs.finish('full-2', 'failed', {}, 'okta down');
    expect(await drainer().drainOnce()).toEqual({ code: 'drained', acknowledged: 1, dropped: 0, users: 1 });
    expect(runs).toEqual([['00u1']]);
  });

  it('started, drains at once what waits and then polls for events other replicas queue; stopped, drains nothing', async () => {
    await queue('left-by-the-last-leader', '00u1');
    const subject = drainer({ pollMs: 20 });
    subject.start();
    await eventually(async () => (await waitingUuids()).length === 0, 5_000, 'the waiting event drained');
    await queue('from-another-replica', '00u2');
    await eventually(async () => (await waitingUuids()).length === 0, 5_000, 'the polled event drained');
    expect(runs).toEqual([['00u1'], ['00u2']]);
    await subject.stop();
    await queue('after-stop', '00u3');
    expect((await subject.drain()).code).toBe('idle');
    expect(await waitingUuids()).toEqual(['after-stop']);
  });

  it('while a run is going, polls leave the queue: the events that came meanwhile run together after it', async () => {
    let busy = true;
    let checks = 0;
    const subject = drainer({
      pollMs: 20,
      busy: () => {
        checks += 1;
        return busy;
      },
    });
    await queue('e1', '00u1');
    subject.start();
    await eventually(() => checks >= 3, 5_000, 'polls during the run');
    await queue('e2', '00u2');
    const seen = checks;
    await eventually(() => checks >= seen + 2, 5_000, 'more polls during the run');
    expect(runs).toEqual([]);
    expect(await waitingUuids()).toEqual(['e1', 'e2']);
    busy = false;
    await eventually(async () => (await waitingUuids()).length === 0, 5_000, 'the queue drained after the run');
    expect(runs).toEqual([['00u1', '00u2']]);
  });

  it('stop waits for the drain in flight, whose rows stay for the next leader even when its run finishes', async () => {
    await queue('e1', '00u1');
    let release: (finished: boolean) => void = () => undefined;
    const subject = drainer({
      runUsers: (_kind, ids) => {
        runs.push(ids);
        return new Promise<boolean>((resolve) => (release = resolve));
      },
    });
    subject.start();
    await eventually(() => runs.length === 1, 5_000, 'the run started');
    let stopped = false;
    const stopping = subject.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release(true);
    await stopping;
    expect(await waitingUuids()).toEqual(['e1']);
  });

  it('after a failed drain, a wake-up does not run again at once (the backed-off poll does)', async () => {
    await queue('e1', '00u1');
    const subject = drainer({
      runUsers: async (_kind, ids) => {
        runs.push(ids);
        return false;
      },
    });
    subject.start();
    await eventually(() => runs.length === 1, 5_000, 'the first drain');
    await eventually(async () => (await subject.drain()).code === 'idle', 5_000, 'the failed drain settled');
    expect(runs).toHaveLength(1);
    expect(await waitingUuids()).toEqual(['e1']);
  });

  it('a follower (not started) ignores wake-ups', async () => {
    await queue('e1', '00u1');
    expect((await drainer().drain()).code).toBe('idle');
    expect(runs).toEqual([]);
  });
});
