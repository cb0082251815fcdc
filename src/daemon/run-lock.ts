// Never two reconciliations at once in this process. A full run asked for while another full run is going
// (or already waiting) is skipped; one asked for during a targeted run waits for it. Targeted runs
// (incremental polls, event hooks) queue their users, which are reconciled together after the current run;
// users queued before a full run starts are covered by it.

import type { RunKind } from '../store/runs.js';

/** The daemon's runs that reconcile only some users: from the System Log, and from event hooks. */
export type TargetedKind = Extract<RunKind, 'incremental' | 'hook'>;
/** The runs the daemon starts (each recorded with its kind). */
export type DaemonRunKind = Extract<RunKind, 'full'> | TargetedKind;

/** What the run lock runs, and whom it tells about skipped, waiting and failed runs. */
export interface RunLockOptions {
  /** Runs a full reconciliation. */
  runFull: () => Promise<void>;
  /** Runs a targeted reconciliation of these Okta users (each queued id once). */
  runTargeted: (kind: TargetedKind, oktaUserIds: string[]) => Promise<void>;
  /** A full run was skipped because another is going or waiting. */
  onSkipped?: (kind: DaemonRunKind, reason: string) => void;
  /** A run waits behind the one going. */
  onWaiting?: (kind: DaemonRunKind, behind: DaemonRunKind) => void;
  /** A run threw (the lock keeps going). */
  onError?: (kind: DaemonRunKind, error: unknown) => void;
}

/** What became of a full run asked for: it ran (whatever its outcome), or was skipped (one going or waiting, or closed). */
export type FullRunOutcome = 'ran' | 'skipped';

interface Waiter {
  resolve: () => void;
}

interface TargetedBatch {
  ids: Set<string>;
  waiters: Waiter[];
}

/**
 * Runs one reconciliation at a time (see the file's header): a waiting full run goes before queued targeted
 * users, and covers them. Nothing runs after close().
 */
export class RunLock {
  private running: DaemonRunKind | null = null;
  private fullWaiting: { resolve: (outcome: FullRunOutcome) => void } | null = null;
  private readonly batches = new Map<TargetedKind, TargetedBatch>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: RunLockOptions) {}

  /** The kind of the run going now, or null. */
  get current(): DaemonRunKind | null {
    return this.running;
  }

  /** Users waiting for a targeted run. */
  get queuedUsers(): number {
    let total = 0;
    for (const batch of this.batches.values()) total += batch.ids.size;
    return total;
  }

  /** Resolves when the full run asked for has finished ('ran', whatever its outcome) or was skipped. */
  requestFull(): Promise<FullRunOutcome> {
    if (this.closed) return Promise.resolve('skipped');
    if (this.running === 'full' || this.fullWaiting) {
      this.options.onSkipped?.('full', this.running === 'full' ? 'a full run is still going' : 'a full run is already waiting');
      return Promise.resolve('skipped');
    }
    return new Promise((resolve) => {
      this.fullWaiting = { resolve };
      if (this.running) this.options.onWaiting?.('full', this.running);
      this.pump();
    });
  }

  /**
   * A full run that starts after this call (a Run now: an approval given just before must be in its plan): joins a
   * full run waiting to start, else queues one, behind the run going now even when that is a full run (which
   * requestFull would count as covering). Resolves as requestFull does.
   */
  requestFullAfterCurrent(): Promise<FullRunOutcome> {
    if (this.closed) return Promise.resolve('skipped');
    const waiting = this.fullWaiting;
    if (waiting) {
      return new Promise((resolve) => {
        this.fullWaiting = {
          resolve: (outcome) => {
            waiting.resolve(outcome);
            resolve(outcome);
          },
        };
      });
    }
    return new Promise((resolve) => {
      this.fullWaiting = { resolve };
      if (this.running) this.options.onWaiting?.('full', this.running);
      this.pump();
    });
  }

  /** Queues users for a targeted run; resolves when a run that covers them has finished. */
  requestTargeted(kind: TargetedKind, oktaUserIds: readonly string[]): Promise<void> {
    if (this.closed || oktaUserIds.length === 0) return Promise.resolve();
    let batch = this.batches.get(kind);
    if (!batch) {
      batch = { ids: new Set(), waiters: [] };
      this.batches.set(kind, batch);
    }
    for (const id of oktaUserIds) batch.ids.add(id);
    const target = batch;
    return new Promise((resolve) => {
      target.waiters.push({ resolve });
      if (this.running) this.options.onWaiting?.(kind, this.running);
      this.pump();
    });
  }

  /** Stops accepting runs and drops the queued ones; resolves when the run going now has finished. */
  close(): Promise<void> {
    this.closed = true;
    if (this.fullWaiting) {
      this.fullWaiting.resolve('skipped');
      this.fullWaiting = null;
    }
    for (const batch of this.batches.values()) for (const waiter of batch.waiters) waiter.resolve();
    this.batches.clear();
    return this.idle();
  }

  /** Resolves when nothing is running. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.running) return;
    const next = this.takeNext();
    if (!next) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    this.running = next.kind;
    void next
      .run()
      .catch((error: unknown) => this.options.onError?.(next.kind, error))
      .finally(() => {
        this.running = null;
        next.settle();
        this.pump();
      });
  }

  private takeNext(): { kind: DaemonRunKind; run: () => Promise<void>; settle: () => void } | null {
    if (this.closed) return null;
    if (this.fullWaiting) {
      const full = this.fullWaiting;
      this.fullWaiting = null;
      // Users queued so far are read by the full run; they need no targeted run of their own.
      const covered = [...this.batches.values()].flatMap((batch) => batch.waiters);
      this.batches.clear();
      return {
        kind: 'full',
        run: () => this.options.runFull(),
        settle: () => {
          full.resolve('ran');
          for (const waiter of covered) waiter.resolve();
        },
      };
    }
    for (const [kind, batch] of this.batches) {
      this.batches.delete(kind);
      return {
        kind,
        run: () => this.options.runTargeted(kind, [...batch.ids]),
        settle: () => {
          for (const waiter of batch.waiters) waiter.resolve();
        },
      };
    }
    return null;
  }
}
