// Dialpad allows 20 requests per second per company, shared with every other integration of the
// company (Okta SCIM, CRMs...). We stay below it by spacing our own requests evenly.

export const DEFAULT_REQUESTS_PER_SECOND = 15;

export interface RateLimiterOptions {
  requestsPerSecond?: number;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * At most `requestsPerSecond` starts per second, spaced 1000/N ms apart. Each caller reserves the
 * next free slot synchronously, so concurrent callers never share a slot.
 */
export class RateLimiter {
  readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private nextSlot = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimiterOptions = {}) {
    const rps = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
    if (!Number.isFinite(rps) || rps <= 0) {
      throw new RangeError(`requestsPerSecond must be a positive number, got ${rps}`);
    }
    this.intervalMs = 1000 / rps;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Resolves when the caller may send its request. */
  acquire(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    const wait = slot - now;
    return wait > 0 ? this.sleep(wait) : Promise.resolve();
  }
}
