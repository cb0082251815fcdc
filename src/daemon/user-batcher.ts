// Hands the Okta users named by event hook deliveries over as batches: on an idle daemon a delivery's users go at
// once; while a batch or another run is going, the users of the deliveries that arrive meanwhile gather and go
// together as soon as it ends. A burst of events (a group assigned to the app, a bulk edit) so becomes a few
// targeted runs, each as large as the time the one before took, not one run per delivery. A minimum gap between
// the starts of two batches (daemon.hooks.batchDelaySeconds) caps how many runs a stream of small deliveries
// starts when each run is short; it never delays a delivery that comes longer than that after the last batch.

/** Where batches go, and what they must not overlap. */
export interface UserBatcherOptions {
  /**
   * The least time between the starts of two batches, in ms (daemon.hooks.batchDelaySeconds × 1000); 0: none.
   * A batch due sooner waits for the rest of it, and users added meanwhile join it.
   */
  minGapMs: number;
  /** Handles one batch (each user once); batches are handed over one at a time, in order. */
  onBatch: (oktaUserIds: string[]) => Promise<void>;
  /** Told when onBatch rejects; the batch is not retried (the next full run covers its users). */
  onError?: (error: unknown, oktaUserIds: string[]) => void;
  /**
   * The work a batch waits for besides the batch before it (the daemon: the run going now): null when there is
   * none, else a promise that resolves once it has ended. Default: none.
   */
  busy?: () => Promise<void> | null;
  /** The clock for the gap, in ms (default Date.now). */
  now?: () => number;
}

/**
 * Gathers Okta user ids into batches (see the file's header): add() on an idle batcher with the gap passed hands
 * the users over synchronously; otherwise they join the next batch, which starts once the batch and the work
 * going now have ended and the gap has passed. Throws RangeError for a negative or non-finite `minGapMs`.
 */
export class UserBatcher {
  private readonly minGapMs: number;
  private readonly onBatch: (oktaUserIds: string[]) => Promise<void>;
  private readonly onError: (error: unknown, oktaUserIds: string[]) => void;
  private readonly busy: () => Promise<void> | null;
  private readonly now: () => number;
  private pending = new Set<string>();
  /** A batch is being handled, or the next one waits for the gap or the work going now. */
  private active = false;
  private gapTimer: NodeJS.Timeout | undefined;
  /** When the last batch started (ms of `now`), if one did. */
  private lastStart: number | undefined;
  /** The batch being handled: stop() waits for it. */
  private handling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(options: UserBatcherOptions) {
    if (!Number.isFinite(options.minGapMs) || options.minGapMs < 0) throw new RangeError(`minGapMs must be a non-negative number, got ${options.minGapMs}`);
    this.minGapMs = options.minGapMs;
    this.onBatch = options.onBatch;
    this.onError = options.onError ?? (() => undefined);
    this.busy = options.busy ?? (() => null);
    this.now = options.now ?? Date.now;
  }

  /** Users waiting for the next batch. */
  get size(): number {
    return this.pending.size;
  }

  /** Adds users to the next batch, which starts at once when nothing is going (ignored after stop()). */
  add(oktaUserIds: readonly string[]): void {
    if (this.stopped) return;
    for (const id of oktaUserIds) this.pending.add(id);
    if (!this.active) this.next();
  }

  /** Takes no more users and drops those waiting; resolves once the batch in progress, if any, is done. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.gapTimer !== undefined) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.pending.clear();
    return this.handling;
  }

  /** Starts the next batch if it may start now; otherwise waits for what holds it and tries again. */
  private next(): void {
    if (this.stopped || this.pending.size === 0) {
      this.active = false;
      return;
    }
    this.active = true;
    // Bounded by the gap itself, so a clock set back does not hold a batch for longer.
    const wait = this.lastStart === undefined ? 0 : Math.min(this.lastStart + this.minGapMs - this.now(), this.minGapMs);
    if (wait > 0) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        this.next();
      }, wait);
      return;
    }
    const going = this.busy();
    if (going) {
      void going.then(
        () => this.next(),
        () => this.next(),
      );
      return;
    }
    const ids = [...this.pending];
    this.pending = new Set();
    this.lastStart = this.now();
    this.handling = this.handle(ids);
    void this.handling.then(() => this.next());
  }

  private async handle(ids: string[]): Promise<void> {
    try {
      await this.onBatch(ids);
    } catch (error) {
      try {
        this.onError(error, ids);
      } catch {
        // A failing error handler must not stop the batches after this one.
      }
    }
  }
}
