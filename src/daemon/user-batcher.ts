// Gathers the Okta users named by event hook deliveries for a few seconds, so that a burst of events (a group
// assigned to the app, a bulk edit) becomes one targeted run instead of one run per delivery.

/** How long a batch gathers users, and where it hands them. */
export interface UserBatcherOptions {
  /** How long the first user of a batch waits for others, in ms (daemon.hooks.batchDelaySeconds × 1000). */
  delayMs: number;
  /** Handles one batch (each user once); batches are handed over one at a time, in order. */
  onBatch: (oktaUserIds: string[]) => Promise<void>;
  /** Told when onBatch rejects; the batch is not retried (the next full run covers its users). */
  onError?: (error: unknown, oktaUserIds: string[]) => void;
}

/**
 * Gathers Okta user ids into batches: the first id added starts a `delayMs` timer, and every id added before it
 * fires joins the batch. Throws RangeError for a negative or non-finite `delayMs`.
 */
export class UserBatcher {
  private readonly delayMs: number;
  private readonly onBatch: (oktaUserIds: string[]) => Promise<void>;
  private readonly onError: (error: unknown, oktaUserIds: string[]) => void;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** The batch being handled: batches run one at a time, in order. */
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(options: UserBatcherOptions) {
    if (!Number.isFinite(options.delayMs) || options.delayMs < 0) throw new RangeError(`delayMs must be a non-negative number, got ${options.delayMs}`);
    this.delayMs = options.delayMs;
    this.onBatch = options.onBatch;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Users waiting for the next batch. */
  get size(): number {
    return this.pending.size;
  }

  /** Adds users to the next batch (ignored after stop()). */
  add(oktaUserIds: readonly string[]): void {
    if (this.stopped) return;
    for (const id of oktaUserIds) this.pending.add(id);
    if (this.pending.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.delayMs);
    }
  }

  /** Hands the waiting users over now; resolves when that batch (and any before it) is handled. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.size > 0) {
      const ids = [...this.pending];
      this.pending = new Set();
      this.running = this.running.then(() =>
        this.onBatch(ids).catch((error: unknown) => {
          try {
            this.onError(error, ids);
          } catch {
            // A failing error handler must not stop the batches after this one.
          }
        }),
      );
    }
    return this.running;
  }

  /** Takes no more users and drops those waiting; resolves once the batch in progress, if any, is done. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending.clear();
    return this.running;
  }
}
