import { describe, expect, it } from 'vitest';
import { AdaptiveRate } from '../../src/timing/adaptive-rate.js';

function rateAt(clock: { now: number }, options: Partial<ConstructorParameters<typeof AdaptiveRate>[0]> = {}): AdaptiveRate {
  return new AdaptiveRate({ ceiling: 15, floor: 1, increasePerSecond: 0.5, now: () => clock.now, ...options });
}

describe('AdaptiveRate', () => {
  it('starts at the ceiling and cuts by 0.7 on a 429', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock);
    expect(rate.current).toBe(15);
    expect(rate.throttle()).toBe(true);
    expect(rate.current).toBeCloseTo(10.5, 9);
    expect(rate.state()).toEqual({ ceiling: 15, current: rate.current, throttled: 1 });
  });

  it('cuts once for the 429s of requests sent before its window ended, again for one sent after', () => {
    const clock = { now: 1_000 };
    const rate = rateAt(clock);
    rate.throttle(990);
    // Requests already in flight at the cut, answered 429 a little later: one signal.
    clock.now = 1_050;
    expect(rate.throttle(995)).toBe(false);
    clock.now = 1_900;
    expect(rate.throttle(1_500)).toBe(false);
    expect(rate.current).toBeCloseTo(10.5, 9);
    // Sent after the window (1 s from the cut): the new rate is too high as well.
    clock.now = 2_100;
    expect(rate.throttle(2_001)).toBe(true);
    expect(rate.current).toBeCloseTo(10.5 * 0.7, 9);
    expect(rate.state().throttled).toBe(4);
  });

  it('makes the window as long as the pause the API asked for', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock);
    rate.throttle(0, 5_000);
    clock.now = 4_000;
    expect(rate.throttle(3_000)).toBe(false);
    clock.now = 5_100;
    expect(rate.throttle(5_050)).toBe(true);
  });

  it('cuts by decreaseAfterPause when the 429 came with a pause of at least the window, by decrease otherwise', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock, { ceiling: 20, decreaseAfterPause: 0.85 });
    // A pause of a second or more holds every request: the API's window is empty when it ends.
    expect(rate.throttle(0, 1_000)).toBe(true);
    expect(rate.current).toBeCloseTo(17, 9);
    // No pause, or one shorter than the window: the full cut.
    clock.now = 2_000;
    expect(rate.throttle(2_000, 500)).toBe(true);
    expect(rate.current).toBeCloseTo(17 * 0.7, 9);
    clock.now = 4_000;
    expect(rate.throttle(4_000)).toBe(true);
    expect(rate.current).toBeCloseTo(17 * 0.7 * 0.7, 9);
    // Without the option, a pause changes nothing.
    const plain = rateAt(clock);
    plain.throttle(clock.now, 5_000);
    expect(plain.current).toBeCloseTo(10.5, 9);
  });

  it('probes the band set by nearLimit nearLimitSlowdown times slower', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock, { ceiling: 20, nearLimit: 0.5, nearLimitSlowdown: 20 });
    rate.throttle(0);
    // Cut from 20 to 14, inside the band [10, 20): 0.5/s ÷ 20 per second.
    clock.now = 1_000;
    rate.succeed();
    clock.now = 11_000;
    for (let t = 2_000; t <= 11_000; t += 1_000) {
      clock.now = t;
      rate.succeed();
    }
    expect(rate.current).toBeCloseTo(14 + 10 * 0.025, 9);
  });

  it('recovers additively while answers come without a 429, once the window has passed', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock);
    rate.throttle(0);
    // Inside the window: no recovery.
    clock.now = 500;
    rate.succeed();
    expect(rate.current).toBeCloseTo(10.5, 9);
    // An answer every 100 ms for 2 s after the window: +0.5/s per second.
    for (let t = 1_100; t <= 3_000; t += 100) {
      clock.now = t;
      rate.succeed();
    }
    expect(rate.current).toBeCloseTo(10.5 + 0.5 * 2, 6);
  });

  it('probes five times slower just under the rate of the last cut, and at full speed past it', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock, { ceiling: 20 });
    clock.now = 10_000;
    rate.succeed();
    rate.throttle(clock.now);
    clock.now += 1_000;
    rate.succeed();
    const step = (): number => {
      const before = rate.current;
      clock.now += 1_000;
      rate.succeed();
      return rate.current - before;
    };
    // From 14 to 18 (90 % of 20): +0.5 a second.
    while (rate.current < 18 - 0.5) expect(step()).toBeCloseTo(0.5, 9);
    step();
    while (rate.current < 19.9) expect(step()).toBeLessThanOrEqual(0.1 + 1e-9);
    step();
    // Past 20 (the ceiling here, so up to it): nothing more.
    expect(rate.current).toBe(20);
    // Cut from 21 (after a first cut from 30): past 21, more is left than when the 429 came: full speed again.
    const wide = rateAt(clock, { ceiling: 30 });
    wide.throttle(clock.now);
    clock.now += 1_000;
    wide.throttle(clock.now);
    expect(wide.current).toBeCloseTo(14.7, 9);
    const wideStep = (): number => {
      const before = wide.current;
      clock.now += 1_000;
      wide.succeed();
      return wide.current - before;
    };
    while (wide.current <= 21) wideStep();
    expect(wideStep()).toBeCloseTo(0.5, 9);
  });

  it('does not count idle time as recovery: one answer earns at most a second', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock);
    rate.throttle(0);
    clock.now = 600_000;
    rate.succeed();
    expect(rate.current).toBeCloseTo(10.5 + 0.5, 6);
  });

  it('never exceeds the ceiling', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock);
    rate.throttle(0);
    for (let t = 1_000; t <= 120_000; t += 50) {
      clock.now = t;
      rate.succeed();
      expect(rate.current).toBeLessThanOrEqual(15);
    }
    expect(rate.current).toBe(15);
  });

  it('never cuts below the floor', () => {
    const clock = { now: 0 };
    const rate = rateAt(clock);
    for (let i = 0; i < 50; i += 1) {
      clock.now = i * 2_000;
      rate.throttle(clock.now);
    }
    expect(rate.current).toBe(1);
    // A ceiling below the floor: the floor is the ceiling.
    const slow = rateAt(clock, { ceiling: 0.5 });
    slow.throttle(clock.now);
    expect(slow.current).toBe(0.5);
  });

  it.each([
    ['a ceiling of 0', { ceiling: 0 }],
    ['a floor of 0', { floor: 0 }],
    ['no increase', { increasePerSecond: 0 }],
    ['a decrease of 1', { decrease: 1 }],
    ['a decrease of 0', { decrease: 0 }],
    ['a decrease after a pause below the decrease', { decreaseAfterPause: 0.5 }],
    ['a decrease after a pause of 1', { decreaseAfterPause: 1 }],
    ['a near-limit band from 0', { nearLimit: 0 }],
    ['a near-limit band from 1', { nearLimit: 1 }],
    ['a near-limit slowdown below 1', { nearLimitSlowdown: 0.5 }],
  ])('refuses %s', (_name, options) => {
    expect(() => rateAt({ now: 0 }, options)).toThrow(RangeError);
  });
});
