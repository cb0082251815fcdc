// The holder's side of the run lock (store/leases.ts): a held lease that renews itself and knows, by its own
// monotonic clock, the moment it may no longer write, which comes before the database would let another process
// take over. A one-shot `reconcile --apply` acquires it for its run (waiting up to lock.waitSeconds); the daemon's
// leader election (daemon/leader-election.ts) holds it for as long as it leads.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LockSettings } from '../config/load.js';
import { LeaseLostError } from '../errors/lease-lost.js';
import { RUN_LOCK, type LeaseFence, type LeaseHolder, type LeaseInfo, type WriteFence } from '../store/leases.js';
import type { Store } from '../store/store.js';

/**
 * This process as a lease holder of `kind`: a fresh random id, the host name and the pid (what `status` and a
 * refused acquisition show).
 */
export function thisProcess(kind: LeaseHolder['kind']): LeaseHolder {
  return { id: randomUUID(), host: hostname(), pid: process.pid, kind };
}

/**
 * How long before the database's expiry a holder stops writing: covers the time between asking the database and
 * its answer, and clocks that run at slightly different rates. At most a fifth of the TTL.
 */
function safetyMarginMs(ttlMs: number): number {
  return Math.min(2_000, ttlMs / 5);
}

/**
 * The run lock as held by this process. check() (the journal's fence) throws LeaseLostError once the lease is
 * lost or its local deadline has passed; renew() extends it. Not re-entrant: one per acquisition.
 */
export class HeldLease implements WriteFence {
  private validUntil: number;
  private lostReason: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    /** The lease, holder and fencing token granted. */
    readonly lease: LeaseFence,
    private readonly settings: LockSettings,
    /** performance.now() when the acquisition was asked for: the database's TTL counts from a moment after it. */
    askedAt: number,
  ) {
    this.validUntil = askedAt + this.ttlMs - safetyMarginMs(this.ttlMs);
  }

  private get ttlMs(): number {
    return this.settings.ttlSeconds * 1000;
  }

  /** The fencing token this process was granted. */
  get token(): number {
    return this.lease.token;
  }

  /** Whether this process may still write under the lease (not lost, local deadline not passed). */
  get valid(): boolean {
    return this.lostReason === null && performance.now() < this.validUntil;
  }

  /** Why the lease is no longer valid, or null while it is. */
  get invalidReason(): string | null {
    if (this.lostReason !== null) return this.lostReason;
    return performance.now() < this.validUntil ? null : 'the lease was not renewed in time';
  }

  /** Throws LeaseLostError when this process may no longer write under the lease. */
  check(): void {
    const reason = this.invalidReason;
    if (reason !== null) throw new LeaseLostError(`the run lock is no longer this process's (${reason}): nothing more is written by it`);
  }

  /**
   * Extends the lease by the TTL. True when the database extended it; false when it is lost for good (taken over
   * or expired: check() throws from now on). A database error is thrown and changes nothing: the lease stays
   * valid until its local deadline, so a short outage of the database does not end a run.
   */
  async renew(): Promise<boolean> {
    if (this.lostReason !== null) return false;
    const askedAt = performance.now();
    const renewed = await this.store.leases.renew(this.lease, this.ttlMs);
    if (renewed) this.validUntil = askedAt + this.ttlMs - safetyMarginMs(this.ttlMs);
    else this.lostReason = 'another process took it over, or it expired before it was renewed';
    return renewed;
  }

  /**
   * Renews every lock.renewIntervalSeconds until release(); `onLost` is told once when the lease is lost (a renewal
   * refused, or the local deadline passed while the database did not answer).
   */
  keepRenewing(onLost: (reason: string) => void, onError: (error: unknown) => void = () => undefined): void {
    if (this.timer !== null) return;
    let told = false;
    const tick = async (): Promise<void> => {
      try {
        await this.renew();
      } catch (error) {
        onError(error);
      }
      const reason = this.invalidReason;
      if (reason !== null && !told) {
        told = true;
        onLost(reason);
      }
    };
    this.timer = setInterval(() => void tick(), this.settings.renewIntervalSeconds * 1000);
    this.timer.unref();
  }

  /** Marks the lease lost for this process: check() throws from now on (used when stepping down). */
  abandon(reason: string): void {
    this.lostReason ??= reason;
  }

  /**
   * Stops renewing and frees the lease in the database (another process may take it at once). Idempotent; a
   * database error is thrown (the lease then simply expires).
   */
  async release(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const wasLost = this.lostReason !== null;
    this.lostReason ??= 'released';
    if (!wasLost) await this.store.leases.release(this.lease);
  }
}

/**
 * The run lock is held by another process (code `lock_held`; exit code 8): nothing was written. `heldBy` says who
 * (null when the holder's row could not be read back).
 */
export class LockHeldError extends Error {
  readonly code = 'lock_held';
  constructor(
    readonly heldBy: LeaseInfo | null,
    readonly waitedSeconds: number,
  ) {
    super(`${describeHolder(heldBy)}${waitedSeconds > 0 ? ` (waited ${waitedSeconds} s)` : ''}: another process is applying changes to this database, so this run wrote nothing`);
    this.name = 'LockHeldError';
  }
}

/** "the run lock is held by the daemon on host (pid N) since …, until …", for messages and `status`. */
export function describeHolder(info: LeaseInfo | null): string {
  if (info === null) return 'the run lock is held by another process';
  const { holder } = info;
  const what = holder.kind === 'daemon' ? 'the leading dialsync daemon' : holder.kind === 'apply' ? 'a dialsync apply (of a plan file)' : 'a dialsync reconcile --apply';
  return `the run lock is held by ${what} on ${holder.host} (pid ${holder.pid}) since ${info.acquiredAt}, renewed ${info.renewedAt}, expiring ${info.expiresAt} unless renewed`;
}

/**
 * `lease` once it is valid by its own clock, or null. The deadline counts from when the acquisition was asked for,
 * which can be long before the database answered (a connection waited for, a slow server): a lease granted that
 * late is already past its local deadline although the database holds it, so it is renewed once, counting from
 * now. Null when that renewal is refused (the lease expired again meanwhile). Throws what the store throws.
 */
export async function confirmedLease(lease: HeldLease): Promise<HeldLease | null> {
  if (lease.valid) return lease;
  return (await lease.renew()) && lease.valid ? lease : null;
}

/** How acquireRunLease waits. */
export interface AcquireOptions {
  /** Seconds to keep trying while another process holds the lock; 0 asks once. */
  waitSeconds: number;
  /** Aborted (a signal): stop waiting and throw LockHeldError. */
  signal?: AbortSignal;
  /** Told once when the first attempt finds the lock held and the wait begins. */
  onWaiting?: (heldBy: LeaseInfo | null) => void;
}

/**
 * Acquires the run lock for `holder`, trying once a second for up to `waitSeconds`. Resolves with the held lease
 * (not yet renewing: call keepRenewing). Throws LockHeldError when it is still held at the end, and what the store
 * throws.
 */
export async function acquireRunLease(store: Store, holder: LeaseHolder, settings: LockSettings, options: AcquireOptions): Promise<HeldLease> {
  const deadline = performance.now() + options.waitSeconds * 1000;
  let told = false;
  for (;;) {
    const askedAt = performance.now();
    const attempt = await store.leases.tryAcquire(RUN_LOCK, holder, settings.ttlSeconds * 1000);
    if (attempt.acquired) {
      const lease = await confirmedLease(new HeldLease(store, attempt.fence, settings, askedAt));
      if (lease !== null) return lease;
      continue;
    }
    const left = deadline - performance.now();
    if (left <= 0 || options.signal?.aborted) throw new LockHeldError(attempt.heldBy, options.waitSeconds);
    if (!told) {
      told = true;
      options.onWaiting?.(attempt.heldBy);
    }
    try {
      await sleep(Math.min(1_000, left), undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      throw new LockHeldError(attempt.heldBy, options.waitSeconds);
    }
  }
}
