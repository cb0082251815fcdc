import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/dialpad/rate-limiter.js';

function fakeClock() {
  const clock = { now: 0, waits: [] as number[] };
  const sleep = async (ms: number) => {
    clock.waits.push(ms);
    clock.now += ms;
  };
  return { clock, now: () => clock.now, sleep };
}

describe('RateLimiter', () => {
  it('spaces requests 1000/N ms apart', async () => {
    const { clock, now, sleep } = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 10, now, sleep });
    const starts: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      await limiter.acquire();
      starts.push(clock.now);
    }
    expect(starts).toEqual([0, 100, 200, 300]);
  });

  it('gives concurrent callers distinct slots', async () => {
    const waits: number[] = [];
    const limiter = new RateLimiter({ requestsPerSecond: 20, now: () => 0, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    // All three asked at t=0: they were told to wait 0, 50 and 100 ms.
    expect(waits).toEqual([50, 100]);
  });

  it('does not make a caller wait after an idle period, and allows no burst either', async () => {
    const { clock, now, sleep } = fakeClock();
    const limiter = new RateLimiter({ requestsPerSecond: 15, now, sleep });
    await limiter.acquire();
    clock.now = 10_000;
    await limiter.acquire();
    expect(clock.waits).toEqual([]);
    await limiter.acquire();
    expect(clock.waits).toHaveLength(1);
    expect(clock.waits[0]).toBeCloseTo(1000 / 15, 6);
  });

  it('defaults to 15 requests per second', () => {
    expect(new RateLimiter().intervalMs).toBeCloseTo(1000 / 15, 6);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new RateLimiter({ requestsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ requestsPerSecond: Number.NaN })).toThrow(RangeError);
  });
});

describe('RateLimiter and the stop signal', () => {
  it('ends a wait for a slot when the signal is aborted, and refuses a slot after', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1, now: () => 0, sleep: () => new Promise(() => undefined) });
    const stop = new AbortController();
    await limiter.acquire(stop.signal);
    const waiting = limiter.acquire(stop.signal);
    stop.abort();
    await expect(waiting).rejects.toThrow();
    await expect(limiter.acquire(stop.signal)).rejects.toThrow();
  });
});
