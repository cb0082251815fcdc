// A rate that adapts to what an API answers, below a ceiling: AIMD (additive increase, multiplicative decrease),
// the way TCP shares a link it cannot see. Dialpad's 20 requests/s and Okta's buckets are shared with every other
// integration of the company or org, so the rate actually left to dialsync is unknown and changes; a 429 is the
// only sign of it. Cutting by a factor on a 429 and adding a constant while none comes makes several clients
// sharing one limit converge to a fair, stable share, and spends few 429s to find it.

/** What an AdaptiveRate stands at: `ceiling` and `current` in the caller's unit (requests/s, a share of a bucket). */
export interface AdaptiveRateState {
  /** The configured rate: never exceeded. */
  ceiling: number;
  /** The rate used now, floor ≤ current ≤ ceiling. */
  current: number;
  /** 429 answers told so far (each one, also those that did not cut). */
  throttled: number;
}

/** How an AdaptiveRate adapts; units as AdaptiveRateState's, times in ms. */
export interface AdaptiveRateOptions {
  /** The configured rate (positive). */
  ceiling: number;
  /** The lowest rate a cut leads to (positive; the ceiling when above it). */
  floor: number;
  /** The factor of a cut, in (0, 1); default DEFAULT_DECREASE. */
  decrease?: number;
  /** How much the rate grows per second of answers without a 429 (positive). */
  increasePerSecond: number;
  /** The shortest congestion window after a cut, in ms; default DEFAULT_WINDOW_MS. */
  minWindowMs?: number;
  /** The clock, in ms (Date.now by default; tests pass a fake one). */
  now?: () => number;
}

/**
 * 0.7, as TCP CUBIC cuts: one cut brings a client 20 % over the rate left to it (15/s configured, 12/s left)
 * under it (10.5/s), without halving the throughput the way Reno's 0.5 would.
 */
export const DEFAULT_DECREASE = 0.7;
/**
 * One second: Dialpad counts requests per second, so the 429s of requests sent within a second of a cut were
 * earned at the old rate and say nothing of the new one.
 */
export const DEFAULT_WINDOW_MS = 1_000;
/**
 * Time without answers (idle, or a queue waiting on something else) earns at most this much increase per answer:
 * the rate grows with answers that proved it, not with the clock.
 */
const MAX_CREDIT_MS = 1_000;
/**
 * The rate the last 429 came at is the best guess of what is left: the rate recovers at full speed to this part of
 * it, then probes the rest NEAR_LIMIT_SLOWDOWN times slower, and past it at full speed again (more is left now).
 * Each probe past the limit costs a 429 and a Retry-After that holds every request: probing slowly near it spends
 * fewer of both than an even sawtooth (at 12/s left of 15/s configured: 3 429s in 300 requests instead of 5).
 */
const NEAR_LIMIT = 0.9;
const NEAR_LIMIT_SLOWDOWN = 5;

/**
 * An AIMD rate: `throttle` (a 429) cuts it by `decrease`, not below the floor, at most once per congestion window
 * (a 429 for a request sent before the window of the last cut ended does not cut again: a burst of 429s for
 * requests already in flight is one signal); `succeed` (an answer that is not a 429) adds `increasePerSecond` per
 * second since the previous one, once the window has passed (five times less just under the rate of the last
 * cut: see NEAR_LIMIT), never above the ceiling. The constructor throws a
 * RangeError for a ceiling, floor or increase that is not positive, or a decrease outside (0, 1).
 */
export class AdaptiveRate {
  readonly ceiling: number;
  readonly floor: number;
  private rate: number;
  private throttledCount = 0;
  private readonly decrease: number;
  private readonly increasePerSecond: number;
  private readonly minWindowMs: number;
  private readonly now: () => number;
  /** When the congestion window of the last cut ends (local clock, ms); -Infinity before any cut. */
  private windowEndMs = Number.NEGATIVE_INFINITY;
  /** The answer the increase was last counted from (ms); null right after a cut. */
  private lastCreditMs: number | null = null;
  /** The rate the last cut was made from (see NEAR_LIMIT); Infinity before any cut. */
  private lastCutFrom = Number.POSITIVE_INFINITY;

  constructor(options: AdaptiveRateOptions) {
    const { ceiling, floor, increasePerSecond } = options;
    const decrease = options.decrease ?? DEFAULT_DECREASE;
    if (!(ceiling > 0) || !Number.isFinite(ceiling)) throw new RangeError(`the ceiling must be a positive number, got ${ceiling}`);
    if (!(floor > 0)) throw new RangeError(`the floor must be a positive number, got ${floor}`);
    if (!(increasePerSecond > 0)) throw new RangeError(`the increase must be a positive number, got ${increasePerSecond}`);
    if (!(decrease > 0 && decrease < 1)) throw new RangeError(`the decrease must be within (0, 1), got ${decrease}`);
    this.ceiling = ceiling;
    this.floor = Math.min(floor, ceiling);
    this.rate = ceiling;
    this.decrease = decrease;
    this.increasePerSecond = increasePerSecond;
    this.minWindowMs = options.minWindowMs ?? DEFAULT_WINDOW_MS;
    this.now = options.now ?? Date.now;
  }

  /** The rate to use now. */
  get current(): number {
    return this.rate;
  }

  /** Ceiling, current rate and 429s told. */
  state(): AdaptiveRateState {
    return { ceiling: this.ceiling, current: this.rate, throttled: this.throttledCount };
  }

  /**
   * A 429 for a request sent at `sentAtMs` (default now). Cuts the rate unless the request was sent inside the
   * window of the last cut; the new window lasts `pauseMs` (the API's Retry-After or reset) or minWindowMs,
   * whichever is longer. Returns whether it cut.
   */
  throttle(sentAtMs?: number, pauseMs = 0): boolean {
    this.throttledCount += 1;
    const now = this.now();
    if ((sentAtMs ?? now) < this.windowEndMs) return false;
    this.lastCutFrom = this.rate;
    this.rate = Math.max(this.floor, this.rate * this.decrease);
    this.windowEndMs = now + Math.max(this.minWindowMs, pauseMs);
    this.lastCreditMs = null;
    return true;
  }

  /** An answer that was not a 429: the rate grows by the time since the previous one (see MAX_CREDIT_MS). */
  succeed(): void {
    const now = this.now();
    if (now < this.windowEndMs || this.rate >= this.ceiling) return;
    // The first answer after a window counts from the window's end.
    const from = this.lastCreditMs ?? this.windowEndMs;
    this.lastCreditMs = now;
    const creditMs = Math.min(MAX_CREDIT_MS, Math.max(0, now - from));
    const nearLimit = this.rate >= this.lastCutFrom * NEAR_LIMIT && this.rate < this.lastCutFrom;
    const increase = (this.increasePerSecond * creditMs) / 1000 / (nearLimit ? NEAR_LIMIT_SLOWDOWN : 1);
    this.rate = Math.min(this.ceiling, this.rate + increase);
  }
}
