import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/dialpad/rate-limiter.js';
import { VirtualClock } from '../timing/virtual-clock.js';

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

describe('RateLimiter adapting to 429s', () => {
  it('cuts the rate on a 429 and spaces the next starts at the new rate', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 15, now: clock.now, sleep: clock.sleep });
    const sentAt = await clock.run(limiter.acquire());
    limiter.throttled(sentAt, null);
    expect(limiter.state()).toEqual({ ceiling: 15, current: expect.closeTo(10.5, 9) as number, throttled: 1 });
    const starts = await clock.run(Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]));
    expect(starts[1]! - starts[0]!).toBeCloseTo(1000 / 10.5, 6);
    expect(starts[2]! - starts[1]!).toBeCloseTo(1000 / 10.5, 6);
  });

  it('cuts once for a burst of 429s from requests already in flight', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 15, now: clock.now, sleep: clock.sleep });
    const sent = await clock.run(Promise.all(Array.from({ length: 6 }, () => limiter.acquire())));
    for (const sentAt of sent) limiter.throttled(sentAt, null);
    expect(limiter.state().current).toBeCloseTo(10.5, 9);
    expect(limiter.state().throttled).toBe(6);
  });

  it("holds every caller until a 429's Retry-After, those already waiting for a slot too", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 10, now: clock.now, sleep: clock.sleep });
    const first = await clock.run(limiter.acquire());
    // Four callers hold slots at 100, 200, 300 and 400 ms when the 429 comes (at 50 ms) with Retry-After: 2 s.
    const waiting = Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
    clock.nowMs = 50;
    limiter.throttled(first, 2_000);
    const later = limiter.acquire();
    const starts = await clock.run(Promise.all([waiting, later]));
    const all = [...starts[0], starts[1]];
    expect(Math.min(...all)).toBeGreaterThanOrEqual(2_050);
    // After the pause, at the rate cut gently (×0.85: the pause emptied Dialpad's window), one at a time.
    expect(limiter.state().current).toBeCloseTo(8.5, 9);
    const sorted = [...all].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i += 1) expect(sorted[i]! - sorted[i - 1]!).toBeCloseTo(1000 / 8.5, 6);
  });

  it('recovers by 0.5 requests/s per second of answers without a 429, slower near the rate of the 429, never above the configured rate', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 15, now: clock.now, sleep: clock.sleep });
    limiter.throttled(await clock.run(limiter.acquire()), null);
    const samples: { at: number; rate: number }[] = [];
    for (let i = 0; i < 1_200; i += 1) {
      await clock.run(limiter.acquire());
      limiter.succeeded();
      samples.push({ at: clock.nowMs, rate: limiter.state().current });
    }
    const rates = samples.map((sample) => sample.rate);
    expect(rates.every((rate, i) => rate <= 15 && (i === 0 || rate >= rates[i - 1]!))).toBe(true);
    const reached = (rate: number): number => samples.find((sample) => sample.rate >= rate - 1e-9)!.at;
    // The 1 s window, then 10.5 → 13.5 (90 % of 15) at 0.5/s per second: 6 s; then 13.5 → 15 twenty times slower: ~60 s
    expect(reached(13.5) / 1000).toBeCloseTo(7, 0);
    // (a second less: each answer's step is counted at the speed of the rate before it, and the step into the band
    // at full speed jumps part of it).
    expect(reached(15) / 1000).toBeCloseTo(66, 0);
    expect(rates.at(-1)).toBe(15);
  });

  it('never cuts below one request per second', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ requestsPerSecond: 15, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 30; i += 1) {
      const sentAt = await clock.run(limiter.acquire());
      clock.nowMs += 1_500;
      limiter.throttled(sentAt, null);
    }
    expect(limiter.state().current).toBe(1);
    expect(limiter.intervalMs).toBe(1000);
  });
});
