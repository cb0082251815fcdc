// The leader's side of the hook queue: every replica stores the event hook deliveries it receives (store/hook-queue.ts);
// the leading daemon reads the waiting events, runs their users in one targeted run and only then deletes exactly
// those rows. It drains when woken (this replica received a delivery: the daemon hands it over at once, see
// user-batcher.ts) and every `hooks.queuePollSeconds` (another replica did). A poll that finds a run going leaves
// the queue alone, so the events that arrive during a run wait for its end and then run together. A drain whose
// run did not finish leaves its rows and backs off (the poll interval doubling, up to MAX_BACKOFF_MS), so a
// failing run is not retried in a loop. Rows received before the start of the last full run
// that finished are dropped unrun: that run read those users after their events (a poison event that fails every
// targeted run is released by the next full run, which covers its users anyway).
import { describeError } from '../errors/describe-error.js';
import type { Logger } from '../log/logger.js';
import type { QueuedHookEvent } from '../store/hook-queue.js';
import type { Store } from '../store/store.js';

/** Events read per drain; a longer queue is drained in several runs, one after the other. */
export const DRAIN_BATCH_EVENTS = 500;
/** The longest wait between drains after runs that did not finish. */
export const MAX_BACKOFF_MS = 5 * 60_000;
/**
 * Rows are compared with the full run's start by two clocks (the receiving replica's and the leader's): a row is
 * dropped only when received this much before the run started.
 */
export const CLOCK_SKEW_MARGIN_MS = 60_000;

/** What one drain did. */
export interface HookDrainOutcome {
  /** `idle`: nothing waited (or the drainer is stopped); `drained`: the runs finished and their rows are gone; `failed`: a run did not finish or the store failed, the rows stay. */
  code: 'idle' | 'drained' | 'failed';
  /** Events acknowledged (deleted after their run). */
  acknowledged: number;
  /** Events dropped as covered by a full run. */
  dropped: number;
  /** Distinct users run. */
  users: number;
}

/** What the drainer reads, runs and tells. */
export interface HookQueueDrainerOptions {
  /** The queue and the run history (for the last finished full run). */
  store: Pick<Store, 'hookQueue' | 'runs'>;
  /**
   * Runs these users in a targeted run; resolves true once a run that covers them finished (succeeded or partial),
   * false when none did (it failed as a whole, was paused or skipped, or the daemon is stopping). Should not throw
   * (a throw counts as false).
   */
  runUsers: (kind: 'hook', oktaUserIds: string[]) => Promise<boolean>;
  /** Milliseconds between reads of the queue (daemon.hooks.queuePollSeconds × 1000); positive. */
  pollMs: number;
  logger: Logger;
  /** Events per drain (default DRAIN_BATCH_EVENTS). */
  batchEvents?: number;
  /**
   * Whether a run is going now (the daemon's run lock): a poll then reads nothing and comes back after pollMs.
   * Default: never.
   */
  busy?: () => boolean;
}

/**
 * Drains the hook queue while started (see the file's header). start() on gaining leadership, stop() on losing
 * it or shutting down; drain() when this replica received a delivery. Throws RangeError for a pollMs that is not a
 * positive number.
 */
export class HookQueueDrainer {
  private readonly store: Pick<Store, 'hookQueue' | 'runs'>;
  private readonly runUsers: (kind: 'hook', oktaUserIds: string[]) => Promise<boolean>;
  private readonly pollMs: number;
  private readonly batchEvents: number;
  private readonly logger: Logger;
  private readonly busy: () => boolean;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  /** The drain going now: one at a time. */
  private inFlight: Promise<HookDrainOutcome> | null = null;
  /** Drains in a row that failed: the poll waits pollMs × 2^failures (at most MAX_BACKOFF_MS). */
  private failures = 0;
  /** Counts stop() calls: a run that a stop overlapped leaves its rows (leadership may have moved on meanwhile). */
  private stops = 0;

  constructor(options: HookQueueDrainerOptions) {
    if (!Number.isFinite(options.pollMs) || options.pollMs <= 0) throw new RangeError(`pollMs must be a positive number, got ${options.pollMs}`);
    this.store = options.store;
    this.runUsers = options.runUsers;
    this.pollMs = options.pollMs;
    this.batchEvents = options.batchEvents ?? DRAIN_BATCH_EVENTS;
    this.logger = options.logger;
    this.busy = options.busy ?? (() => false);
  }

  /** Whether the drainer is started (this daemon leads). */
  get running(): boolean {
    return this.started;
  }

  /** Starts draining: at once (events the last leader left; after the run going, if any), then every pollMs. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.failures = 0;
    this.schedule(0);
  }

  /**
   * Stops polling and taking wake-ups; resolves when the drain in flight, if any, has ended. Its rows stay, even if
   * its run finishes (a leader that lost its lease meanwhile must not delete what the next one reads; running the
   * users once more changes nothing), as do the rows waiting: the next leader drains them. Idempotent.
   */
  async stop(): Promise<void> {
    this.started = false;
    this.stops += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /**
   * Drains now, unless stopped or backing off after failed runs (then the next poll drains): what the hook
   * endpoint calls once it queued events. Never rejects; a drain already going is waited for and followed by one
   * more, for the rows added meanwhile.
   */
  async drain(): Promise<HookDrainOutcome> {
    if (this.inFlight) await this.inFlight;
    // Checked after the drain going: one that just failed is retried by the backed-off poll, not by this wake-up.
    if (!this.started || this.failures > 0) return idle();
    return this.drainOnce();
  }

  /**
   * One drain, whether started or not (tests call it): reads up to batchEvents waiting events, drops those a
   * finished full run covers, runs the users of the others, deletes exactly the rows run, and, while started, goes
   * on while full batches come. Joins the drain going, if any. Never rejects: a store error or a run that did not
   * finish is the `failed` outcome (the rows stay; drain() then waits for the backed-off poll).
   */
  drainOnce(): Promise<HookDrainOutcome> {
    if (this.inFlight) return this.inFlight;
    const drain = this.drainBatches().then((outcome) => {
      this.failures = outcome.code === 'failed' ? this.failures + 1 : 0;
      this.inFlight = null;
      return outcome;
    });
    this.inFlight = drain;
    return drain;
  }

  private async drainBatches(): Promise<HookDrainOutcome> {
    const total: HookDrainOutcome = { code: 'idle', acknowledged: 0, dropped: 0, users: 0 };
    try {
      for (;;) {
        const events = await this.store.hookQueue.pending(this.batchEvents);
        if (events.length === 0) break;
        const waiting = await this.withoutCovered(events, total);
        const users = [...new Set(waiting.flatMap((event) => event.oktaUserIds))];
        if (users.length > 0) {
          let finished: boolean;
          const stopsBefore = this.stops;
          try {
            finished = (await this.runUsers('hook', users)) && this.stops === stopsBefore;
          } catch (error) {
            this.logger.error({ users: users.length, err: { message: describeError(error) } }, 'an event hook run threw');
            finished = false;
          }
          if (!finished) {
            this.logger.warn({ events: waiting.length, users: users.length }, 'the event hook run did not finish: its events stay queued for a later drain or the next full run');
            return { ...total, code: 'failed' };
          }
          total.users += users.length;
        }
        total.acknowledged += await this.store.hookQueue.acknowledge(waiting.map((event) => event.uuid));
        total.code = 'drained';
        // A stop ends the drain after the batch in flight; the rest waits for the next leader.
        if (events.length < this.batchEvents || !this.started) break;
      }
      return total;
    } catch (error) {
      this.logger.error({ err: { message: describeError(error) } }, 'could not read or update the event hook queue; the next drain tries again');
      return { ...total, code: 'failed' };
    }
  }

  /** Drops the events received before the last finished full run started; returns the others. */
  private async withoutCovered(events: QueuedHookEvent[], total: HookDrainOutcome): Promise<QueuedHookEvent[]> {
    const full = await this.store.runs.lastSuccessful('full', { applied: true });
    if (!full) return events;
    const before = new Date(Date.parse(full.startedAt) - CLOCK_SKEW_MARGIN_MS);
    if (!(events[0] && events[0].receivedAt < before.toISOString())) return events;
    const dropped = await this.store.hookQueue.dropReceivedBefore(before);
    total.dropped += dropped;
    if (dropped > 0) this.logger.info({ events: dropped, fullRunStartedAt: full.startedAt }, 'dropped queued event hook events a full run covered');
    return events.filter((event) => event.receivedAt >= before.toISOString());
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (!this.started) return;
    // During a run the events gather: the wake-up or the first poll after it drains them in one run.
    if (!this.busy()) await this.drainOnce();
    this.schedule(this.failures === 0 ? this.pollMs : Math.min(this.pollMs * 2 ** this.failures, MAX_BACKOFF_MS));
  }
}

function idle(): HookDrainOutcome {
  return { code: 'idle', acknowledged: 0, dropped: 0, users: 0 };
}
