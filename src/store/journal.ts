// The action journal: each write is recorded as pending before it is sent and marked done or failed after,
// so a run that follows a crash knows which writes may or may not have happened.
import type { Knex } from 'knex';
import { LeaseLostError } from '../errors/lease-lost.js';
import type { LeaseStore, WriteFence } from './leases.js';
import { writeTransaction } from './database.js';

/** pending: sent or about to be (a crash leaves it so); done; failed; settled: a pending entry a later run resolved. */
export type JournalStatus = 'pending' | 'done' | 'failed' | 'settled';

/** A write as its adapter describes it (dialpad/write-requests.ts, okta/profile-write-request.ts, transferRequest). */
export interface JournalRequest {
  method: string;
  /** API path without query string or credentials. */
  path: string;
  body?: unknown;
}

/** A write about to be sent: whose it is (run, user, step) and what goes where. */
export interface NewJournalEntry {
  runId: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  email: string;
  /** The step it carries out (apply's StepKind: create, update, write_back, ...). */
  action: string;
  /** store: a write to dialsync's own links that must survive a crash (a re-hire's relink). */
  target: 'dialpad' | 'okta' | 'store';
  request: JournalRequest;
}

/** A journaled write as stored. */
export interface JournalEntry extends NewJournalEntry {
  id: number;
  status: JournalStatus;
  /** JSON of what came back (a summary, redacted), or of a settlement's note; null when nothing did. */
  result: string | null;
  /** A failed write's error, redacted. */
  error: string | null;
  /** ISO 8601, when the entry was begun. */
  createdAt: string;
}

interface JournalRow {
  id: number;
  run_id: string;
  okta_user_id: string | null;
  dialpad_user_id: string | null;
  email: string;
  action: string;
  target: NewJournalEntry['target'];
  request: string;
  status: JournalStatus;
  result: string | null;
  error: string | null;
  created_at: string;
}

/**
 * The `journal` table. Requests, results and errors pass the redactor before they are stored. Every method throws
 * what the database driver throws.
 */
export class Journal {
  /** Set while this process holds the run lock: every write begun is checked against it. */
  private fence: WriteFence | null = null;

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of what is stored: error text, and requests and results as sent and answered. */
    private readonly redact: (text: string) => string = (text) => text,
    /** Where begin() checks the fence (the run lock's lease). */
    private readonly leases?: LeaseStore,
  ) {}

  /**
   * From now on (until called with null), begin() refuses with LeaseLostError unless `fence` still holds its lease:
   * checked by the holder itself (its renewal deadline) before and after, and in the database in the transaction
   * that records the entry. A process that was paused and woke up after another took over writes nothing.
   */
  fenceWith(fence: WriteFence | null): void {
    this.fence = fence;
  }

  /**
   * The fence's own check, without the database (the clients' write gate, right before a write is sent): throws
   * LeaseLostError when fenced by a lease this process may no longer write under; nothing when not fenced.
   */
  checkFence(): void {
    this.fence?.check();
  }

  /**
   * Records `entry` as pending; returns its id, for done() or failed(). While fenced (fenceWith), throws
   * LeaseLostError, recording nothing, when the lease is no longer this process's.
   */
  async begin(entry: NewJournalEntry): Promise<number> {
    const fence = this.fence;
    if (fence === null || this.leases === undefined) return this.insert(this.db, entry);
    fence.check();
    const leases = this.leases;
    const id = await writeTransaction(this.db, async (trx) => {
      if (!(await leases.holds(fence.lease, trx))) throw new LeaseLostError();
      return this.insert(trx, entry);
    });
    // Checked again right before the write is sent: the holder may have been paused in between.
    fence.check();
    return id;
  }

  private async insert(db: Knex | Knex.Transaction, entry: NewJournalEntry): Promise<number> {
    const at = this.now().toISOString();
    const [row] = (await db('journal')
      .insert({
        run_id: entry.runId,
        okta_user_id: entry.oktaUserId,
        dialpad_user_id: entry.dialpadUserId,
        email: entry.email,
        action: entry.action,
        target: entry.target,
        request: this.redact(JSON.stringify(entry.request)),
        status: 'pending',
        created_at: at,
        updated_at: at,
      })
      .returning('id')) as ({ id: number } | number)[];
    if (row === undefined) throw new Error('journal insert returned no id');
    return typeof row === 'number' ? row : row.id;
  }

  /** Marks entry `id` done, with the Dialpad user id a create produced and a summary of the answer (JSON). */
  async done(id: number, outcome: { dialpadUserId?: string | null; result?: unknown }): Promise<void> {
    await this.db('journal')
      .where({ id })
      .update({
        status: 'done',
        ...(outcome.dialpadUserId ? { dialpad_user_id: outcome.dialpadUserId } : {}),
        result: outcome.result === undefined ? null : this.redact(JSON.stringify(outcome.result)),
        updated_at: this.now().toISOString(),
      });
  }

  /** Marks entry `id` failed, with the error described (one line, as describeError gives it). */
  async failed(id: number, message: string): Promise<void> {
    await this.db('journal').where({ id }).update({ status: 'failed', error: this.redact(message), updated_at: this.now().toISOString() });
  }

  /** Entries a crashed run left pending. */
  async unfinished(): Promise<JournalEntry[]> {
    const rows = await this.db<JournalRow>('journal').where({ status: 'pending' }).orderBy('id');
    return rows.map(toEntry);
  }

  /** Marks a pending entry settled once a later run has found out what became of it; `note` says what. */
  async settle(id: number, note: string): Promise<void> {
    await this.db('journal').where({ id }).update({ status: 'settled', result: this.redact(JSON.stringify({ settled: note })), updated_at: this.now().toISOString() });
  }

  /** The entries of run `runId`, in the order they were begun. */
  async forRun(runId: string): Promise<JournalEntry[]> {
    const rows = await this.db<JournalRow>('journal').where({ run_id: runId }).orderBy('id');
    return rows.map(toEntry);
  }
}

function toEntry(row: JournalRow): JournalEntry {
  return {
    id: row.id,
    runId: row.run_id,
    oktaUserId: row.okta_user_id,
    dialpadUserId: row.dialpad_user_id,
    email: row.email,
    action: row.action,
    target: row.target,
    request: JSON.parse(row.request) as JournalRequest,
    status: row.status,
    result: row.result,
    error: row.error,
    createdAt: row.created_at,
  };
}
