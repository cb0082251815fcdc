import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserBatcher } from '../../src/daemon/user-batcher.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A promise to settle by hand: the batch or the run a test holds open. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A batcher whose batches are recorded and held open until released, in order. */
function heldBatches(options: { minGapMs?: number; busy?: () => Promise<void> | null } = {}) {
  const batches: string[][] = [];
  const held: (() => void)[] = [];
  const batcher = new UserBatcher({
    minGapMs: options.minGapMs ?? 0,
    ...(options.busy ? { busy: options.busy } : {}),
    onBatch: (ids) => {
      batches.push(ids);
      const batch = deferred();
      held.push(batch.resolve);
      return batch.promise;
    },
  });
  const releaseNext = async (): Promise<void> => {
    held.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { batcher, batches, releaseNext };
}

describe('UserBatcher', () => {
  it('idle: hands the users of a delivery over at once, whatever the gap', () => {
    const { batcher, batches } = heldBatches({ minGapMs: 60_000 });
    batcher.add(['00u1', '00u2', '00u1']);
    expect(batches).toEqual([['00u1', '00u2']]);
    expect(batcher.size).toBe(0);
  });

  it('busy with a batch: the users added meanwhile go together in one next batch, as soon as it ends', async () => {
    const { batcher, batches, releaseNext } = heldBatches();
    batcher.add(['00u1']);
    batcher.add(['00u2']);
    batcher.add(['00u3', '00u2']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(batches).toEqual([['00u1']]);
    expect(batcher.size).toBe(2);
    await releaseNext();
    expect(batches).toEqual([['00u1'], ['00u2', '00u3']]);
    await releaseNext();
    // Idle again: the next delivery goes at once.
    batcher.add(['00u4']);
    expect(batches).toEqual([['00u1'], ['00u2', '00u3'], ['00u4']]);
  });

  it('busy with another run: the users wait for its end, then go in one batch', async () => {
    let run: ReturnType<typeof deferred> | null = deferred();
    const { batcher, batches } = heldBatches({ busy: () => run?.promise ?? null });
    batcher.add(['00u1']);
    await vi.advanceTimersByTimeAsync(0);
    batcher.add(['00u2']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(batches).toEqual([]);
    const ended = run;
    run = null;
    ended.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['00u1', '00u2']]);
  });

  it('starts two batches no closer than the gap; users added within it join the next', async () => {
    const batches: string[][] = [];
    const batcher = new UserBatcher({ minGapMs: 1000, onBatch: async (ids) => void batches.push(ids) });
    batcher.add(['00u1']);
    await vi.advanceTimersByTimeAsync(300);
    batcher.add(['00u2']);
    await vi.advanceTimersByTimeAsync(400);
    batcher.add(['00u3']);
    expect(batches).toEqual([['00u1']]);
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toEqual([['00u1'], ['00u2', '00u3']]);
    // Longer than the gap after the last start: at once.
    await vi.advanceTimersByTimeAsync(1000);
    batcher.add(['00u4']);
    expect(batches).toEqual([['00u1'], ['00u2', '00u3'], ['00u4']]);
  });

  it('stop drops the waiting users, takes no more, and waits for the batch in progress', async () => {
    const { batcher, batches, releaseNext } = heldBatches();
    batcher.add(['00u1']);
    batcher.add(['00u2']);
    let stopped = false;
    const stopping = batcher.stop().then(() => (stopped = true));
    batcher.add(['00u3']);
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    await releaseNext();
    await stopping;
    await vi.advanceTimersByTimeAsync(1000);
    expect(batches).toEqual([['00u1']]);
    expect(batcher.size).toBe(0);
  });

  it('stop while the next batch waits for the gap or for a run: that batch never starts', async () => {
    const run = deferred();
    let busy = false;
    const { batcher, batches, releaseNext } = heldBatches({ minGapMs: 1000, busy: () => (busy ? run.promise : null) });
    batcher.add(['00u1']);
    batcher.add(['00u2']);
    await releaseNext();
    expect(batcher.size).toBe(1);
    await batcher.stop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(batches).toEqual([['00u1']]);

    const second = heldBatches({ busy: () => (busy ? run.promise : null) });
    busy = true;
    second.batcher.add(['00u3']);
    await second.batcher.stop();
    run.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(second.batches).toEqual([]);
  });

  it('reports a failed batch and goes on with the next', async () => {
    const errors: [string, string[]][] = [];
    const batches: string[][] = [];
    const batcher = new UserBatcher({
      minGapMs: 0,
      onBatch: async (ids) => {
        if (ids[0] === '00u1') throw new Error('dialpad down');
        batches.push(ids);
      },
      onError: (error, ids) => errors.push([(error as Error).message, ids]),
    });
    batcher.add(['00u1']);
    batcher.add(['00u2']);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([['dialpad down', ['00u1']]]);
    expect(batches).toEqual([['00u2']]);
  });

  it('refuses a negative gap', () => {
    expect(() => new UserBatcher({ minGapMs: -1, onBatch: async () => undefined })).toThrow(RangeError);
  });
});
