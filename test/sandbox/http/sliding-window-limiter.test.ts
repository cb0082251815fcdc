import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from '../../../sandbox/http/fixed-window-limiter.js';
import { SlidingWindowLimiter } from '../../../sandbox/http/sliding-window-limiter.js';

/** Takes one request at each time (ms) with the given limiter; 'ok' or '429' each. */
function takeAt(limiter: { take: () => { allowed: boolean } }, clock: { now: number }, times: readonly number[]): string[] {
  return times.map((time) => {
    clock.now = time;
    return limiter.take().allowed ? 'ok' : '429';
  });
}

describe('SlidingWindowLimiter', () => {
  it.each<[string, number, number[], string[]]>([
    ['the limit within one second', 3, [0, 10, 20, 30], ['ok', 'ok', 'ok', '429']],
    ['room again once the oldest request is a full window old', 2, [0, 500, 999, 1000, 1001], ['ok', 'ok', '429', 'ok', '429']],
    // A fixed window starting at 0 would let 2 more through at 1000: 4 in 20 ms.
    ['no burst across where a fixed window would end', 2, [980, 990, 1000, 1010], ['ok', 'ok', '429', '429']],
    ['a refused request does not count', 1, [0, 500, 1000], ['ok', '429', 'ok']],
  ])('%s', (_name, limit, times, expected) => {
    const clock = { now: 0 };
    expect(takeAt(new SlidingWindowLimiter(limit, 1000, () => clock.now), clock, times)).toEqual(expected);
  });

  it('lets through across a window edge what a fixed window lets through twice (the fixed window stays as it was)', () => {
    const clock = { now: 0 };
    const times = [0, 990, 995, 1000, 1005];
    expect(takeAt(new FixedWindowLimiter(2, 1000, 2, () => clock.now), clock, times)).toEqual(['ok', 'ok', '429', 'ok', 'ok']);
    expect(takeAt(new SlidingWindowLimiter(2, 1000, () => clock.now), clock, times)).toEqual(['ok', 'ok', '429', 'ok', '429']);
  });

  it('says when the next request would be accepted, and what is left', () => {
    const clock = { now: 100 };
    const limiter = new SlidingWindowLimiter(2, 1000, () => clock.now);
    expect(limiter.take()).toEqual({ allowed: true, limit: 2, remaining: 1, resetAtMs: 100 });
    clock.now = 400;
    expect(limiter.take()).toEqual({ allowed: true, limit: 2, remaining: 0, resetAtMs: 1100 });
    clock.now = 700;
    expect(limiter.take()).toEqual({ allowed: false, limit: 2, remaining: 0, resetAtMs: 1100 });
    clock.now = 1100;
    expect(limiter.peek()).toEqual({ allowed: true, limit: 2, remaining: 1, resetAtMs: 1100 });
  });

  it('applies a lower limit at once, counting the requests already in the window', () => {
    const clock = { now: 0 };
    const limiter = new SlidingWindowLimiter(4, 1000, () => clock.now);
    expect(takeAt(limiter, clock, [0, 100, 200, 300])).toEqual(['ok', 'ok', 'ok', 'ok']);
    limiter.setLimit(2);
    // 4 in the window, limit 2: room once 3 of them have left it, at 1200 (the one taken at 200 leaves then).
    expect(limiter.peek()).toMatchObject({ allowed: false, remaining: 0, resetAtMs: 1200 });
    expect(takeAt(limiter, clock, [1100, 1200, 1250])).toEqual(['429', 'ok', '429']);
  });

  it('refuses a limit below 1 and a window that is not positive', () => {
    expect(() => new SlidingWindowLimiter(0, 1000, () => 0)).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter(2, 0, () => 0)).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter(2, 1000, () => 0).setLimit(0.5)).toThrow(RangeError);
  });
});
