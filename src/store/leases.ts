// Leases in the database: the run lock that lets one process at a time apply, whichever started it (a leading
// daemon, a one-shot `reconcile --apply`, a CronJob). A lease row with an expiry and a fencing token rather than a
// PostgreSQL advisory lock: a paused holder keeps its connection, and with it an advisory lock, for as long as it
// is paused, while a lease simply expires, and the token lets every journaled write check that its holder still
// leads (README "Several replicas and the run lock"). Expiry is judged on the database's clock, which all replicas share.
import type { Knex } from 'knex';
import { backendOfHandle } from './database.js';

/** Who asks for or holds a lease: a random id per process, and for people reading `status`, where and what it is. */
export interface LeaseHolder {
  /** Random per process (crypto.randomUUID()): two processes on one host with one pid over time stay apart. */
  id: string;
  host: string;
  pid: number;
  /** What holds it: the daemon (while it leads), a one-shot `reconcile --apply` or a `dialsync apply plan.json`. */
  kind: 'daemon' | 'reconcile' | 'apply';
}

/** What a write is fenced by: the lease, its holder and the token it was granted with. */
export interface LeaseFence {
  name: string;
  holderId: string;
  /** The fencing token: grows by one on every acquisition of the lease. */
  token: number;
}

/** A lease as stored, read by `status` and by a refused acquisition to say who holds it. */
export interface LeaseInfo {
  name: string;
  holder: LeaseHolder;
  token: number;
  /** ISO 8601 on the database's clock. */
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
  /** Whether the database's clock has passed expiresAt (a released lease is expired). */
  expired: boolean;
  /** Whether its holder released it (expiresAt is then the epoch: a release is stored as expiring at 0). */
  released: boolean;
  /** Milliseconds from the database's now to expiresAt (0 once expired): when a follower should ask again. */
  expiresInMs: number;
}

/** What tryAcquire got: the lease with its fencing token, or who holds it now. */
export type LeaseAttempt = { acquired: true; fence: LeaseFence } | { acquired: false; heldBy: LeaseInfo | null };

/**
 * What journaled writes are checked against (Journal.fenceWith): the lease they are fenced by, and the holder's own
 * judgement of whether it may still write (its lease may be about to expire although the database still has it).
 */
export interface WriteFence {
  readonly lease: LeaseFence;
  /** Throws LeaseLostError when the holder may no longer write (it lost the lease or could not renew it in time). */
  check(): void;
}

/** The run lock's lease: one per database. */
export const RUN_LOCK = 'run-lock';

interface LeaseRow {
  name: string;
  holder_id: string;
  holder_host: string;
  holder_pid: number | string;
  holder_kind: string;
  token: number | string;
  acquired_at_ms: number | string;
  renewed_at_ms: number | string;
  expires_at_ms: number | string;
}

/** The `leases` table. Every method throws what the database driver throws. */
export class LeaseStore {
  constructor(private readonly db: Knex) {}

  /**
   * Takes lease `name` for `ttlMs` milliseconds if it is free (never taken, released, or expired on the database's
   * clock), with a fencing token one above the last; otherwise says who holds it. Each step is one atomic
   * statement, so two processes racing for a free lease cannot both get it.
   */
  async tryAcquire(name: string, holder: LeaseHolder, ttlMs: number): Promise<LeaseAttempt> {
    const now = this.clock();
    const taken = {
      holder_id: holder.id,
      holder_host: holder.host.slice(0, 255),
      holder_pid: holder.pid,
      holder_kind: holder.kind,
      acquired_at_ms: now,
      renewed_at_ms: now,
      expires_at_ms: this.db.raw(`${this.clockSql()} + ?`, [Math.round(ttlMs)]),
    };
    const updated: Pick<LeaseRow, 'token'>[] = await this.db('leases')
      .where({ name })
      .andWhere('expires_at_ms', '<=', now)
      .update({ ...taken, token: this.db.raw('token + 1') }, ['token']);
    if (updated[0] !== undefined) return { acquired: true, fence: { name, holderId: holder.id, token: Number(updated[0].token) } };
    const inserted: Pick<LeaseRow, 'token'>[] = await this.db('leases')
      .insert({ name, ...taken, token: 1 }, ['token'])
      .onConflict('name')
      .ignore();
    if (inserted[0] !== undefined) return { acquired: true, fence: { name, holderId: holder.id, token: Number(inserted[0].token) } };
    return { acquired: false, heldBy: await this.current(name) };
  }

  /**
   * Extends the lease by `ttlMs` from now if `fence` still holds it (same holder and token, not expired); false when
   * it does not (taken over, released, or expired: the holder must then acquire it anew, with a new token).
   */
  async renew(fence: LeaseFence, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const count = await this.db('leases')
      .where({ name: fence.name, holder_id: fence.holderId, token: fence.token })
      .andWhere('expires_at_ms', '>', now)
      .update({ renewed_at_ms: now, expires_at_ms: this.db.raw(`${this.clockSql()} + ?`, [Math.round(ttlMs)]) });
    return count === 1;
  }

  /** Frees the lease at once if `fence` still holds it (the token stays, so the next holder's is higher). */
  async release(fence: LeaseFence): Promise<void> {
    await this.db('leases').where({ name: fence.name, holder_id: fence.holderId, token: fence.token }).update({ expires_at_ms: 0 });
  }

  /**
   * Whether `fence` holds its lease now, read inside `trx`. No row lock is taken: a holder paused inside the
   * transaction would block the take-over. The holder's own deadline (HeldLease) ends its writes before the
   * database lets anyone take over; this read catches a holder that woke up after a take-over.
   */
  async holds(fence: LeaseFence, trx: Knex.Transaction): Promise<boolean> {
    const row: unknown = await trx('leases')
      .where({ name: fence.name, holder_id: fence.holderId, token: fence.token })
      .andWhere('expires_at_ms', '>', this.clock(trx))
      .first('name');
    return row !== undefined;
  }

  /** Lease `name` as stored (held or not), or null when it was never taken. */
  async current(name: string): Promise<LeaseInfo | null> {
    const row: (LeaseRow & { now_ms: number | string }) | undefined = await this.db('leases')
      .where({ name })
      .first('*', this.db.raw(`${this.clockSql()} as now_ms`));
    if (row === undefined) return null;
    const at = (value: number | string): string => new Date(Number(value)).toISOString();
    return {
      name: row.name,
      holder: { id: row.holder_id, host: row.holder_host, pid: Number(row.holder_pid), kind: row.holder_kind === 'daemon' || row.holder_kind === 'apply' ? row.holder_kind : 'reconcile' },
      token: Number(row.token),
      acquiredAt: at(row.acquired_at_ms),
      renewedAt: at(row.renewed_at_ms),
      expiresAt: at(row.expires_at_ms),
      expired: Number(row.expires_at_ms) <= Number(row.now_ms),
      released: Number(row.expires_at_ms) === 0,
      expiresInMs: Math.max(0, Number(row.expires_at_ms) - Number(row.now_ms)),
    };
  }

  /** The database's clock, in milliseconds since the epoch, as SQL. */
  private clockSql(): string {
    return backendOfHandle(this.db) === 'postgres'
      ? '(floor(extract(epoch from clock_timestamp()) * 1000))::bigint'
      : "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
  }

  private clock(db: Knex | Knex.Transaction = this.db): Knex.Raw {
    return db.raw(this.clockSql());
  }
}
