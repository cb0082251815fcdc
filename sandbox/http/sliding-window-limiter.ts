// A strict sliding-window request counter: at most `limit` requests accepted in any `windowMs` span, however the
// spans fall. A fixed window (fixed-window-limiter.ts) lets up to twice the limit through across a window's edge;
// this one does not, which is how a limit measured as "20 in any second" behaves. Refused requests do not count.
import type { LimiterVerdict } from './fixed-window-limiter.js';

export class SlidingWindowLimiter {
  /** When each request still inside the window was accepted (epoch ms, oldest first), from `head` on. */
  private accepted: number[] = [];
  private head = 0;

  /**
   * `limit` requests in any `windowMs`; `now` is the clock (epoch ms). Throws RangeError for a limit below 1 or a
   * window that is not positive.
   */
  constructor(
    private limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    SlidingWindowLimiter.check(limit);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  }

  /** The current state, without counting a request. */
  peek(): LimiterVerdict {
    const now = this.now();
    this.expire(now);
    return this.verdict(now, this.inWindow() < this.limit);
  }

  /** Counts one request, unless `limit` were already accepted in the last `windowMs`. */
  take(): LimiterVerdict {
    const now = this.now();
    this.expire(now);
    if (this.inWindow() >= this.limit) return this.verdict(now, false);
    this.accepted.push(now);
    return this.verdict(now, true);
  }

  /**
   * Changes the limit from now on (a budget that drops mid-run); the requests already in the window still count.
   * Throws RangeError for a limit below 1.
   */
  setLimit(limit: number): void {
    SlidingWindowLimiter.check(limit);
    this.limit = limit;
  }

  private static check(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  private inWindow(): number {
    return this.accepted.length - this.head;
  }

  private expire(now: number): void {
    while (this.head < this.accepted.length && (this.accepted[this.head] as number) <= now - this.windowMs) this.head += 1;
    // Drop the expired prefix now and then, so the array does not grow with every request ever made.
    if (this.head > 1024 && this.head * 2 > this.accepted.length) {
      this.accepted = this.accepted.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * `resetAtMs`: when a request would next be accepted — at once when there is room, else when the request that
   * leaves room expires.
   */
  private verdict(now: number, allowed: boolean): LimiterVerdict {
    const used = this.inWindow();
    const remaining = Math.max(0, this.limit - used);
    const freeing = this.accepted[this.head + used - this.limit];
    const resetAtMs = remaining > 0 || freeing === undefined ? now : freeing + this.windowMs;
    return { allowed, limit: this.limit, remaining, resetAtMs };
  }
}
