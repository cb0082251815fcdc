// Dialpad allows 20 requests per second per company, shared with every other integration of the
// company (Okta SCIM, CRMs...). We stay below it by spacing our own requests evenly, at a rate that adapts to
// what Dialpad answers (AIMD, timing/adaptive-rate.ts) under the configured one: what the other integrations
// spend is unknown, and a 429 is the only sign that less is left than configured.
import { configDefaults } from '../config/schema.js';
import { AdaptiveRate, DEFAULT_DECREASE, DEFAULT_NEAR_LIMIT, type AdaptiveRateState } from '../timing/adaptive-rate.js';
import { realSleep, sleepUnlessAborted, type Sleep } from '../timing/abortable-sleep.js';

export { realSleep };

/**
 * The lowest rate cuts lead to, in requests/s: even a company whose budget others spend entirely gets one
 * request a second tried (each 429 answered also says when to try again).
 */
export const FLOOR_REQUESTS_PER_SECOND = 1;
/**
 * How fast the rate recovers, in requests/s per second without a 429: from a cut at 15/s (to 10.5/s) back to the
 * ceiling in 9 s; 2.5 % of Dialpad's 20/s a second, slow enough that the 429s of probing the limit stay few.
 */
export const RECOVERY_REQUESTS_PER_SECOND = 0.5;
/**
 * The cut when the 429 came with a Retry-After (Dialpad's do, in whole seconds, at least 1 s): ×0.85 instead of
 * ×0.7. The pause holds every request for at least a second, so Dialpad's 1 s window is empty when it ends: the
 * burst that overshot is gone, and only the rate has to come under the limit, which the slow probe (see
 * NEAR_LIMIT_SLOWDOWN) brought it just past. 0.85 of that is 15 % under, the same margin the default 15/s keeps
 * under Dialpad's 20/s; from ×0.7 the climb back at 12/s took 3.6 s more per 429. A limit that drops far is still
 * followed: each 429 cuts again (15/s or 19/s with 10/s left: three or four cuts, a few seconds).
 */
export const DECREASE_AFTER_RETRY_AFTER = 0.85;
/**
 * How many times slower the rate grows in the last 10 % below the rate of the last 429 (where the limit was): 20,
 * i.e. 0.025 requests/s per second, so that band takes ~50 s to cross at 12/s and a 429 (with its pause of a second
 * or more) comes every 30–50 s instead of every ~15 s. Past that rate the rate grows at full speed again, so
 * a limit that rises is still found. Simulated at 12/s left of 15/s (2,000 requests): 1.09 × the floor against
 * 1.20 × with AdaptiveRate's default 5 (and ×0.7 cuts).
 */
export const NEAR_LIMIT_SLOWDOWN = 20;
/** A Retry-After beyond this is shortened (as the client does for its own retry). */
const MAX_PAUSE_MS = 60_000;

/** How fast a RateLimiter lets requests start, and its clock and sleep (tests inject fakes). */
export interface RateLimiterOptions {
  /** The ceiling; default dialpad.requestsPerSecond's (config/schema.ts). */
  requestsPerSecond?: number;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * At most `requestsPerSecond` starts per second, spaced 1000/N ms apart, and fewer once Dialpad answers 429:
 * each 429 told (`throttled`) may cut the rate by DEFAULT_DECREASE, or DECREASE_AFTER_RETRY_AFTER when it came
 * with a Retry-After (once per congestion window: see AdaptiveRate), and pauses every start until its
 * Retry-After; each other answer told (`succeeded`) lets the rate recover by RECOVERY_REQUESTS_PER_SECOND per
 * second (NEAR_LIMIT_SLOWDOWN times slower just under the rate of the last 429), up to the configured rate. Each caller reserves the next
 * free slot synchronously, so concurrent callers never share a slot; a caller whose slot was given before a 429
 * came asks again for one at the new rate and after the pause. One limiter per process and company (the client
 * shares it). The constructor throws RangeError unless `requestsPerSecond` is a positive number.
 */
export class RateLimiter {
  private readonly rate: AdaptiveRate;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private nextSlot = Number.NEGATIVE_INFINITY;
  /** No start before this (local clock, ms): the latest Retry-After. */
  private pausedUntil = Number.NEGATIVE_INFINITY;
  /** Bumped by each 429 told: a slot given before is asked for again. */
  private generation = 0;

  constructor(options: RateLimiterOptions = {}) {
    const rps = options.requestsPerSecond ?? configDefaults().dialpad.requestsPerSecond;
    if (!Number.isFinite(rps) || rps <= 0) {
      throw new RangeError(`requestsPerSecond must be a positive number, got ${rps}`);
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.rate = new AdaptiveRate({
      ceiling: rps,
      floor: FLOOR_REQUESTS_PER_SECOND,
      decrease: DEFAULT_DECREASE,
      decreaseAfterPause: DECREASE_AFTER_RETRY_AFTER,
      nearLimit: DEFAULT_NEAR_LIMIT,
      nearLimitSlowdown: NEAR_LIMIT_SLOWDOWN,
      increasePerSecond: RECOVERY_REQUESTS_PER_SECOND,
      now: this.now,
    });
  }

  /** Milliseconds between two starts at the current rate (1000 / rate). */
  get intervalMs(): number {
    return 1000 / this.rate.current;
  }

  /** The configured rate (the ceiling), the current one (requests/s) and the 429s told so far. */
  state(): AdaptiveRateState {
    return this.rate.state();
  }

  /**
   * Resolves when the caller may send its request, with the time it may (the limiter's clock, ms: pass it to
   * `throttled`). Rejects with the signal's reason when `signal` is aborted before then (shutdown: a request
   * still waiting for its slot is not sent).
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    for (;;) {
      if (signal?.aborted) throw signal.reason as Error;
      const generation = this.generation;
      const now = this.now();
      const slot = Math.max(now, this.nextSlot, this.pausedUntil);
      this.nextSlot = slot + this.intervalMs;
      const wait = slot - now;
      if (wait > 0) await sleepUnlessAborted(this.sleep, wait, signal);
      // A 429 came while this caller waited: its slot was at the old rate, or inside the pause.
      if (generation === this.generation) return wait > 0 ? this.now() : now;
    }
  }

  /**
   * Dialpad answered 429 to a request sent at `sentAtMs` (what acquire resolved with): the rate may be cut, and
   * no request starts before `retryAfterMs` (null: Dialpad gave none) from now, at most 60 s.
   */
  throttled(sentAtMs: number, retryAfterMs: number | null): void {
    const pauseMs = retryAfterMs === null ? 0 : Math.min(MAX_PAUSE_MS, Math.max(0, retryAfterMs));
    this.rate.throttle(sentAtMs, pauseMs);
    const now = this.now();
    if (pauseMs > 0) this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
    // The queue of slots given at the old rate starts over: its callers ask again when they wake.
    this.nextSlot = Math.max(now, this.pausedUntil);
    this.generation += 1;
  }

  /** Dialpad answered something else than a 429: the rate recovers (see AdaptiveRate.succeed). */
  succeeded(): void {
    this.rate.succeed();
  }
}
