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
  /**
   * The factor of a cut when the 429 came with a pause of at least minWindowMs that holds every request (a
   * Retry-After or reset), in [decrease, 1); default `decrease`. The pause itself empties the API's window.
   */
  decreaseAfterPause?: number;
  /** Where the near-limit band starts, as a part of the rate of the last cut, in (0, 1); default DEFAULT_NEAR_LIMIT. */
  nearLimit?: number;
  /** How many times slower the rate grows in the near-limit band (≥ 1); default DEFAULT_NEAR_LIMIT_SLOWDOWN. */
  nearLimitSlowdown?: number;
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
 * it, then probes the rest DEFAULT_NEAR_LIMIT_SLOWDOWN times slower, and past it at full speed again (more is left
 * now). Each probe past the limit costs a 429 and a pause that holds every request: probing slowly near it spends
 * fewer of both than an even sawtooth. Callers that know their API better pass their own (nearLimit options).
 */
export const DEFAULT_NEAR_LIMIT = 0.9;
/** See DEFAULT_NEAR_LIMIT. */
export const DEFAULT_NEAR_LIMIT_SLOWDOWN = 5;

/**
 * An AIMD rate: `throttle` (a 429) cuts it by `decrease` (`decreaseAfterPause` when the 429 came with a pause of
 * at least minWindowMs for everyone), not below the floor, at most once per congestion window
 * (a 429 for a request sent before the window of the last cut ended does not cut again: a burst of 429s for
 * requests already in flight is one signal); `succeed` (an answer that is not a 429) adds `increasePerSecond` per
 * second since the previous one, once the window has passed (`nearLimitSlowdown` times less from `nearLimit` of
 * the rate of the last cut up to it: see DEFAULT_NEAR_LIMIT), never above the ceiling. The constructor throws a
 * RangeError for a ceiling, floor or increase that is not positive, a decrease outside (0, 1), a
 * decreaseAfterPause outside [decrease, 1), a nearLimit outside (0, 1) or a nearLimitSlowdown below 1.
 */
export class AdaptiveRate {
  readonly ceiling: number;
  readonly floor: number;
  private rate: number;
  private throttledCount = 0;
  private readonly decrease: number;
  private readonly decreaseAfterPause: number;
  private readonly nearLimit: number;
  private readonly nearLimitSlowdown: number;
  private readonly increasePerSecond: number;
  private readonly minWindowMs: number;
  private readonly now: () => number;
  /** When the congestion window of the last cut ends (local clock, ms); -Infinity before any cut. */
  private windowEndMs = Number.NEGATIVE_INFINITY;
  /** The answer the increase was last counted from (ms); null right after a cut. */
  private lastCreditMs: number | null = null;
  /** The rate the last cut was made from (see DEFAULT_NEAR_LIMIT); Infinity before any cut. */
  private lastCutFrom = Number.POSITIVE_INFINITY;

  constructor(options: AdaptiveRateOptions) {
    const { ceiling, floor, increasePerSecond } = options;
    const decrease = options.decrease ?? DEFAULT_DECREASE;
    if (!(ceiling > 0) || !Number.isFinite(ceiling)) throw new RangeError(`the ceiling must be a positive number, got ${ceiling}`);
    if (!(floor > 0)) throw new RangeError(`the floor must be a positive number, got ${floor}`);
    if (!(increasePerSecond > 0)) throw new RangeError(`the increase must be a positive number, got ${increasePerSecond}`);
    if (!(decrease > 0 && decrease < 1)) throw new RangeError(`the decrease must be within (0, 1), got ${decrease}`);
    const decreaseAfterPause = options.decreaseAfterPause ?? decrease;
    if (!(decreaseAfterPause >= decrease && decreaseAfterPause < 1)) throw new RangeError(`the decrease after a pause must be within [${decrease}, 1), got ${decreaseAfterPause}`);
    const nearLimit = options.nearLimit ?? DEFAULT_NEAR_LIMIT;
    if (!(nearLimit > 0 && nearLimit < 1)) throw new RangeError(`the near-limit band must start within (0, 1), got ${nearLimit}`);
    const nearLimitSlowdown = options.nearLimitSlowdown ?? DEFAULT_NEAR_LIMIT_SLOWDOWN;
    if (!(nearLimitSlowdown >= 1) || !Number.isFinite(nearLimitSlowdown)) throw new RangeError(`the near-limit slowdown must be at least 1, got ${nearLimitSlowdown}`);
    this.ceiling = ceiling;
    this.floor = Math.min(floor, ceiling);
    this.rate = ceiling;
    this.decrease = decrease;
    this.decreaseAfterPause = decreaseAfterPause;
    this.nearLimit = nearLimit;
    this.nearLimitSlowdown = nearLimitSlowdown;
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
   * whichever is longer. A pause of at least minWindowMs cuts by decreaseAfterPause: nothing is sent during it, so
   * the API's window is empty when it ends, and only the rate itself has to come down. Returns whether it cut.
   */
  throttle(sentAtMs?: number, pauseMs = 0): boolean {
    this.throttledCount += 1;
    const now = this.now();
    if ((sentAtMs ?? now) < this.windowEndMs) return false;
    this.lastCutFrom = this.rate;
    const factor = pauseMs >= this.minWindowMs ? this.decreaseAfterPause : this.decrease;
    this.rate = Math.max(this.floor, this.rate * factor);
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
    const nearLimit = this.rate >= this.lastCutFrom * this.nearLimit && this.rate < this.lastCutFrom;
    const increase = (this.increasePerSecond * creditMs) / 1000 / (nearLimit ? this.nearLimitSlowdown : 1);
    this.rate = Math.min(this.ceiling, this.rate + increase);
  }
}
