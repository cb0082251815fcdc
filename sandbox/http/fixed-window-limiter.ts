// A fixed-window request counter, like the per-minute buckets Okta documents and the per-second limit Dialpad does.

export interface LimiterVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends (epoch ms). */
  resetAtMs: number;
}

export class FixedWindowLimiter {
  private windowStart = 0;
  private used = 0;

  /** `limit` undefined: nothing is refused, and `remaining` always reports `reportedLimit`. */
  constructor(
    private limit: number | undefined,
    private readonly windowMs: number,
    private readonly reportedLimit: number,
    private readonly now: () => number,
  ) {}

  /** The current state, without counting a request. */
  peek(): LimiterVerdict {
    this.roll();
    const resetAtMs = this.windowStart + this.windowMs;
    if (this.limit === undefined) return { allowed: true, limit: this.reportedLimit, remaining: this.reportedLimit, resetAtMs };
    return { allowed: this.used < this.limit, limit: this.limit, remaining: Math.max(0, this.limit - this.used), resetAtMs };
  }

  /** Counts one request, unless the window is already full. */
  take(): LimiterVerdict {
    this.roll();
    const resetAtMs = this.windowStart + this.windowMs;
    if (this.limit === undefined) {
      return { allowed: true, limit: this.reportedLimit, remaining: this.reportedLimit, resetAtMs };
    }
    if (this.used >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetAtMs };
    this.used += 1;
    return { allowed: true, limit: this.limit, remaining: this.limit - this.used, resetAtMs };
  }

  /** Changes the limit from now on (a budget that drops mid-run); the current window's count stays. */
  setLimit(limit: number): void {
    this.limit = limit;
  }

  private roll(): void {
    const now = this.now();
    if (now >= this.windowStart + this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
  }
}
