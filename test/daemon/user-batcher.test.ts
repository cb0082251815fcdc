import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserBatcher } from '../../src/daemon/user-batcher.js';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('UserBatcher', () => {
  it('gathers the users added within the delay into one batch, each once', async () => {
    const batches: string[][] = [];
    const batcher = new UserBatcher({ delayMs: 2000, onBatch: async (ids) => void batches.push(ids) });
    batcher.add(['00u1', '00u2']);
    await vi.advanceTimersByTimeAsync(1500);
    batcher.add(['00u2', '00u3']);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(batches).toEqual([['00u1', '00u2', '00u3']]);
    batcher.add(['00u4']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(batches).toEqual([['00u1', '00u2', '00u3'], ['00u4']]);
  });

  it('runs one batch at a time, in order', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const batcher = new UserBatcher({
      delayMs: 10,
      onBatch: async (ids) => {
        log.push(`start ${ids.join(',')}`);
        if (ids[0] === '00u1') await new Promise<void>((resolve) => (release = resolve));
        log.push(`end ${ids.join(',')}`);
      },
    });
    batcher.add(['00u1']);
    await vi.advanceTimersByTimeAsync(10);
    batcher.add(['00u2']);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(['start 00u1']);
    release();
    await batcher.flush();
    expect(log).toEqual(['start 00u1', 'end 00u1', 'start 00u2', 'end 00u2']);
  });

  it('flush hands the waiting users over at once', async () => {
    const batches: string[][] = [];
    const batcher = new UserBatcher({ delayMs: 60_000, onBatch: async (ids) => void batches.push(ids) });
    batcher.add(['00u1']);
    expect(batcher.size).toBe(1);
    await batcher.flush();
    expect(batches).toEqual([['00u1']]);
    expect(batcher.size).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(batches).toHaveLength(1);
  });

  it('stop drops the waiting users, takes no more, and waits for the batch in progress', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const batcher = new UserBatcher({
      delayMs: 10,
      onBatch: async (ids) => {
        await new Promise<void>((resolve) => (release = resolve));
        batches.push(ids);
      },
    });
    batcher.add(['00u1']);
    await vi.advanceTimersByTimeAsync(10);
    batcher.add(['00u2']);
    let stopped = false;
    const stopping = batcher.stop().then(() => (stopped = true));
    batcher.add(['00u3']);
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await vi.advanceTimersByTimeAsync(1000);
    expect(batches).toEqual([['00u1']]);
  });

  it('reports a failed batch and goes on with the next', async () => {
    const errors: [string, string[]][] = [];
    const batches: string[][] = [];
    const batcher = new UserBatcher({
      delayMs: 10,
      onBatch: async (ids) => {
        if (ids[0] === '00u1') throw new Error('dialpad down');
        batches.push(ids);
      },
      onError: (error, ids) => errors.push([(error as Error).message, ids]),
    });
    batcher.add(['00u1']);
    await vi.advanceTimersByTimeAsync(10);
    batcher.add(['00u2']);
    await vi.advanceTimersByTimeAsync(10);
    await batcher.flush();
    expect(errors).toEqual([['dialpad down', ['00u1']]]);
    expect(batches).toEqual([['00u2']]);
  });

  it('refuses a negative delay', () => {
    expect(() => new UserBatcher({ delayMs: -1, onBatch: async () => undefined })).toThrow(RangeError);
  });
});
