// Dialpad allows 20 requests per second per company, shared with every other integration of the
// company (Okta SCIM, CRMs...). We stay below it by spacing our own requests evenly.
import { configDefaults } from '../config/schema.js';
import { realSleep, sleepUnlessAborted, type Sleep } from '../timing/abortable-sleep.js';

export { realSleep };

/** How fast a RateLimiter lets requests start, and its clock and sleep (tests inject fakes). */
export interface RateLimiterOptions {
  /** Default dialpad.requestsPerSecond's (config/schema.ts). */
  requestsPerSecond?: number;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
  sleep?: Sleep;
}

/**
 * At most `requestsPerSecond` starts per second, spaced 1000/N ms apart. Each caller reserves the
 * next free slot synchronously, so concurrent callers never share a slot. The constructor throws RangeError unless
 * `requestsPerSecond` is a positive number.
 */
export class RateLimiter {
  /** Milliseconds between two starts (1000 / requestsPerSecond). */
  readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private nextSlot = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimiterOptions = {}) {
    const rps = options.requestsPerSecond ?? configDefaults().dialpad.requestsPerSecond;
    if (!Number.isFinite(rps) || rps <= 0) {
      throw new RangeError(`requestsPerSecond must be a positive number, got ${rps}`);
    }
    this.intervalMs = 1000 / rps;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /**
   * Resolves when the caller may send its request. Rejects with the signal's reason when `signal` is aborted
   * before then (shutdown: a request still waiting for its slot is not sent).
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    const wait = slot - now;
    return wait > 0 ? sleepUnlessAborted(this.sleep, wait, signal) : Promise.resolve();
  }
}
