// Leader election among daemon replicas sharing one database: the leader is whoever holds the run lock's lease
// (store/leases.ts). The leader renews it every lock.renewIntervalSeconds; a follower asks again as often, and at
// the moment the lease it saw expires, so a replica that died is replaced within the TTL. A leader that cannot
// renew stops leading before the lease can expire (its HeldLease's local deadline), and every write it journals is
// fenced by the lease's token, so a leader that was paused and woke up after a take-over writes nothing.
import { performance } from 'node:perf_hooks';
import type { LockSettings } from '../config/load.js';
import { describeError } from '../errors/describe-error.js';
import { closeAbandonedRuns } from '../lease/abandoned-runs.js';
import { confirmedLease, HeldLease } from '../lease/run-lease.js';
import type { Logger } from '../log/logger.js';
import { RUN_LOCK, type LeaseHolder } from '../store/leases.js';
import type { Store } from '../store/store.js';

/** What the election needs and whom it tells about a change of leadership. */
export interface LeaderElectionOptions {
  store: Store;
  /** This replica (thisProcess('daemon')). */
  holder: LeaseHolder;
  settings: LockSettings;
  /** This replica leads from now on, under `lease` (fence its journal with it). */
  onElected: (lease: HeldLease) => void;
  /** This replica stopped leading (lease lost, not renewed in time, or given up); `reason` says why. */
  onDemoted: (reason: string) => void;
  /**
   * This replica renewed its lease and still leads (every lock.renewIntervalSeconds): the leader's moment to look
   * at what other replicas asked of it through the store (a Run now). Not awaited: it must not delay the renewals.
   */
  onRenewed?: () => void;
  /**
   * Why this replica may not lead now (null: it may): asked before every attempt and renewal. A leader that becomes
   * ineligible frees the lease for another replica; a follower does not ask for it.
   */
  ineligible?: () => string | null;
  logger: Logger;
}

/**
 * One replica's part in the election: start() asks for the lease at once and keeps asking (or renewing) until
 * stop(), which frees the lease for the next replica. `leading` is true while this replica may write.
 */
export class LeaderElection {
  private lease: HeldLease | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ticking: Promise<void> | null = null;
  /** The last holder logged while following, so a follower logs each new leader once. */
  private lastLeaderSeen = '';
  /** The last reason logged for not asking for the lease, so it is logged once. */
  private lastIneligible: string | null = null;

  constructor(private readonly options: LeaderElectionOptions) {}

  /** Whether this replica leads now (holds the lease and may still write under it). */
  get leading(): boolean {
    return this.lease?.valid ?? false;
  }

  /** The fencing token this replica leads under, or null while it follows. */
  get token(): number | null {
    return this.leading ? (this.lease?.token ?? null) : null;
  }

  /** Asks for the lease once (resolving when that attempt is done), then keeps asking or renewing. Idempotent. */
  async start(): Promise<void> {
    if (this.timer !== null || this.stopped) return;
    await this.tick();
  }

  /** Stops the election and, while leading, frees the lease (waiting for a renewal in flight first). Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const lease = this.lease;
    this.lease = null;
    if (lease === null) return;
    try {
      // Bounded: a database that does not answer must not hold a shutdown; the lease then expires by itself.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        lease.release(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('the database did not answer within 2 s')), 2_000);
          timer.unref();
        }),
      ]).finally(() => clearTimeout(timer));
      this.options.logger.info({ fencingToken: lease.token }, 'released the run lock: another replica may lead now');
    } catch (error) {
      this.options.logger.warn({ err: { message: describeError(error) } }, 'could not release the run lock; it expires by itself');
    }
  }

  private tick(): Promise<void> {
    this.ticking ??= this.step()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: { message: describeError(error) } }, 'the run lock could not be read or renewed; trying again');
        return this.renewEveryMs();
      })
      .then((nextInMs) => {
        this.ticking = null;
        if (this.stopped) return;
        this.timer = setTimeout(() => void this.tick(), nextInMs);
        this.timer.unref();
      });
    return this.ticking;
  }

  private renewEveryMs(): number {
    return this.options.settings.renewIntervalSeconds * 1000;
  }

  /** One renewal (leader) or attempt (follower); returns when to take the next step, in milliseconds. */
  private async step(): Promise<number> {
    const { store, settings, holder, logger } = this.options;
    const ineligible = this.options.ineligible?.() ?? null;
    if (ineligible !== this.lastIneligible) {
      this.lastIneligible = ineligible;
      if (ineligible !== null) logger.warn({ reason: ineligible }, `this replica does not ask to lead: ${ineligible}`);
    }
    if (this.lease !== null && ineligible !== null) {
      const lease = this.lease;
      this.demote(`it gave up the lead: ${ineligible}`);
      await store.leases.release(lease.lease);
      return this.renewEveryMs();
    }
    if (this.lease !== null) {
      try {
        await this.lease.renew();
      } finally {
        // Checked whether the renewal answered or not: past its local deadline the lease is no longer this replica's.
        const reason = this.lease.invalidReason;
        if (reason !== null) this.demote(reason);
      }
      if (this.lease !== null) this.options.onRenewed?.();
      return this.renewEveryMs();
    }
    if (ineligible !== null) return this.renewEveryMs();
    const askedAt = performance.now();
    const attempt = await store.leases.tryAcquire(RUN_LOCK, holder, settings.ttlSeconds * 1000);
    if (attempt.acquired) {
      if (this.stopped) {
        await store.leases.release(attempt.fence);
        return this.renewEveryMs();
      }
      // Granted after a long wait (a database outage): renewed at once, so it is elected valid, not stale.
      const lease = await confirmedLease(new HeldLease(store, attempt.fence, settings, askedAt));
      if (lease === null) return this.renewEveryMs();
      // Before onElected starts a run: the runs still recorded running are the previous holder's.
      await closeAbandonedRuns(store, logger);
      this.lease = lease;
      logger.info({ fencingToken: attempt.fence.token }, `this replica leads now (run lock token ${attempt.fence.token})`);
      this.options.onElected(this.lease);
      return this.renewEveryMs();
    }
    const leader = attempt.heldBy;
    const seen = leader ? `${leader.holder.id}/${leader.token}` : '';
    if (seen !== this.lastLeaderSeen) {
      this.lastLeaderSeen = seen;
      logger.info(leader ? { leader: { host: leader.holder.host, pid: leader.holder.pid, kind: leader.holder.kind, since: leader.acquiredAt } } : {}, 'another process holds the run lock: this replica follows');
    }
    // Asked again the moment the lease would expire, so a leader that died is replaced within the TTL.
    return leader ? Math.min(this.renewEveryMs(), leader.expiresInMs + 50) : this.renewEveryMs();
  }

  private demote(reason: string): void {
    const lease = this.lease;
    if (lease === null) return;
    lease.abandon(reason);
    this.lease = null;
    this.options.logger.warn({ reason, fencingToken: lease.token }, `this replica no longer leads: ${reason}`);
    this.options.onDemoted(reason);
  }
}
