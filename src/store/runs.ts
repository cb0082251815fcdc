// One row per reconciliation: when, what kind, and how it ended.
import type { Knex } from 'knex';
import type { PlanWarning, SkippedUser } from '../plan/types.js';
import { recordAudit } from './audit.js';
import { writeTransaction } from './database.js';

/**
 * running until finished; succeeded: every action went through; partial: some failed, or the run was cut short (a
 * shutdown, or its process stopped: closeAbandoned); failed: the run itself did.
 */
export type RunOutcome = 'running' | 'succeeded' | 'partial' | 'failed';

/**
 * What started a run: `reconcile` (the command), the daemon's `full`, `incremental` (System Log) and `hook`
 * (event hook) runs, `repin` (the command that re-pins the tenant, recorded as a run), and `plan_file` (`dialsync apply plan.json`).
 */
export type RunKind = 'reconcile' | 'full' | 'incremental' | 'hook' | 'repin' | 'plan_file';

/**
 * The kinds whose applying runs start only once their process holds the run lock (store/leases.ts): `reconcile
 * --apply`, the leading daemon's runs and `apply plan.json`. Not `repin`, which writes only the pin, without the lock.
 */
const RUN_LOCK_KINDS: readonly RunKind[] = ['reconcile', 'full', 'incremental', 'hook', 'plan_file'];

/** What an applying run closed by closeAbandoned() says in its `error`. */
export const LOST_HOLDER_PROBLEM =
  'did not finish: the process running it stopped (its run lock expired); the next applying run settles the writes it left unconfirmed and plans again what it did not do';

/** A run's counts (users and actions, not requests). */
export interface RunCounts {
  /** Okta assignments read. */
  assignments: number;
  /** Steps the plan called for (apply's countSteps). */
  plannedActions: number;
  succeededActions: number;
  failedActions: number;
  skippedUsers: number;
  /** Assignments of a full listing the source health gate accepted (see migrations/20261129020000_quarantine.js). */
  listedAssignments: number;
  /** 429 (Too Many Requests) answers from Dialpad during the run (migrations/20261130190000_console_history.js). */
  dialpadThrottled: number;
  /** 429 answers from Okta during the run. */
  oktaThrottled: number;
  /** Dialpad users dialsync neither created nor adopted, as the run's plan counted them. */
  unmanagedUsers: number;
  /** Suspends and deletes a run-wide gate held in the run. */
  heldActions: number;
}

/** A run as stored; a count is absent when the run did not get that far. */
export interface RunRecord extends Partial<RunCounts> {
  id: string;
  /** A RunKind for every run this version records; a database kept from before may hold other words. */
  kind: string;
  /** false for a dry run. */
  apply: boolean;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; null while running (or when the process died during the run). */
  finishedAt: string | null;
  outcome: RunOutcome;
  /** Why a failed run failed, or why a partial one was cut short, redacted; null otherwise. */
  error: string | null;
  /** The users the run skipped, with why (migrations/20261129030000_run_skips.js); absent when not recorded. */
  skipped?: SkippedUser[];
  /** Users the listings left out although still there (migrations/20261130051700_run_listing_warnings.js); absent when none. */
  listingWarnings?: PlanWarning[];
}

interface RunRow {
  id: string;
  kind: string;
  apply: boolean | number;
  started_at: string;
  finished_at: string | null;
  outcome: RunOutcome;
  assignments: number | null;
  planned_actions: number | null;
  succeeded_actions: number | null;
  failed_actions: number | null;
  skipped_users: number | null;
  error: string | null;
  listed_assignments?: number | null;
  skipped?: string | null;
  listing_warnings?: string | null;
  dialpad_throttled?: number | null;
  okta_throttled?: number | null;
  unmanaged_users?: number | null;
  held_actions?: number | null;
}

/** The `runs` table. Every method throws what the database driver throws. */
export class RunStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of error text before it is stored (see log/redactor.ts). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Records run `id` as running from now, until finish() says how it ended; `apply` false for a dry run. */
  async start(id: string, kind: RunKind, apply: boolean): Promise<void> {
    await this.db('runs').insert({ id, kind, apply, started_at: this.now().toISOString(), outcome: 'running' });
  }

  /** Records how run `id` ended, its counts (absent ones stored as unknown) and, for a failed run, the error. */
  async finish(id: string, outcome: Exclude<RunOutcome, 'running'>, counts: Partial<RunCounts>, error?: string): Promise<void> {
    await this.db('runs')
      .where({ id })
      .update({
        finished_at: this.now().toISOString(),
        outcome,
        assignments: counts.assignments ?? null,
        planned_actions: counts.plannedActions ?? null,
        succeeded_actions: counts.succeededActions ?? null,
        failed_actions: counts.failedActions ?? null,
        skipped_users: counts.skippedUsers ?? null,
        listed_assignments: counts.listedAssignments ?? null,
        dialpad_throttled: counts.dialpadThrottled ?? null,
        okta_throttled: counts.oktaThrottled ?? null,
        unmanaged_users: counts.unmanagedUsers ?? null,
        held_actions: counts.heldActions ?? null,
        error: error === undefined ? null : this.redact(error),
      });
  }

  /**
   * Closes the applying runs still recorded `running` whose kind runs under the run lock: called by a process that
   * has just acquired the lock (not renewed its own), before it starts a run, so each such run belongs to a holder
   * that lost the lock (dead, or fenced and about to write nothing more). Each is set `partial`, finished now, with
   * LOST_HOLDER_PROBLEM as its error, and audited `run_closed` (actor `dialsync`, target the run id), in one
   * transaction. Dry runs (no lock) are left alone. Resolves with the runs as they were (still `running`); a
   * fenced holder that does finish its run later overwrites this with its own outcome.
   */
  closeAbandoned(): Promise<RunRecord[]> {
    return writeTransaction(this.db, async (trx) => {
      const rows = await trx<RunRow>('runs').where({ outcome: 'running', apply: true }).whereIn('kind', RUN_LOCK_KINDS).orderBy('started_at');
      if (rows.length === 0) return [];
      const at = this.now();
      const ids = rows.map((row) => row.id);
      for (let i = 0; i < ids.length; i += 500) {
        await trx('runs')
          .whereIn('id', ids.slice(i, i + 500))
          .andWhere({ outcome: 'running' })
          .update({ outcome: 'partial', finished_at: at.toISOString(), error: LOST_HOLDER_PROBLEM });
      }
      const events = rows.map((row) => ({ actor: 'dialsync', action: 'run_closed' as const, target: row.id, detail: { kind: row.kind, startedAt: row.started_at } }));
      await recordAudit(trx, at, this.redact, ...events);
      return rows.map(toRunRecord);
    });
  }

  /** Keeps the run's skipped users (from its plan) with the run, for `status` and audits. */
  async recordSkipped(id: string, skipped: readonly SkippedUser[]): Promise<void> {
    const rows = skipped.map(({ oktaUserId, email, code, reason }) => ({ oktaUserId, email, code, reason }));
    await this.db('runs').where({ id }).update({ skipped: this.redact(JSON.stringify(rows)) });
  }

  /** Keeps what the run found wrong with its listings (see listingGapWarnings) with the run; nothing when empty. */
  async recordListingWarnings(id: string, warnings: readonly PlanWarning[]): Promise<void> {
    if (warnings.length === 0) return;
    const rows = warnings.map(({ oktaUserId, email, message }) => ({ oktaUserId, email, message }));
    await this.db('runs').where({ id }).update({ listing_warnings: this.redact(JSON.stringify(rows)) });
  }

  /** The last `limit` runs, the most recently started first. */
  async recent(limit: number): Promise<RunRecord[]> {
    const rows = await this.db<RunRow>('runs').orderBy('started_at', 'desc').limit(limit);
    return rows.map(toRunRecord);
  }

  /**
   * One page of runs, the most recently started first, and how many match in all: only those with this outcome,
   * of this kind, or with an action for this email (case-insensitively; see run_actions), when given.
   */
  async page(q: { limit: number; offset: number; outcome?: string; kind?: string; email?: string }): Promise<{ total: number; runs: RunRecord[] }> {
    const filtered = (): Knex.QueryBuilder => {
      let query = this.db('runs');
      if (q.outcome !== undefined) query = query.where({ outcome: q.outcome });
      if (q.kind !== undefined) query = query.where({ kind: q.kind });
      if (q.email !== undefined) {
        const email = q.email.trim().toLowerCase();
        query = query.whereIn('id', this.db('run_actions').select('run_id').whereRaw('lower(email) = ?', [email]));
      }
      return query;
    };
    const counted = (await filtered().count({ n: '*' }).first()) as { n: number | string } | undefined;
    const rows: RunRow[] = await filtered().select('*').orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id' }]).limit(q.limit).offset(q.offset);
    return { total: Number(counted?.n ?? 0), runs: rows.map(toRunRecord) };
  }

  /** Run `id`, or null when there is none. */
  async get(id: string): Promise<RunRecord | null> {
    const row = await this.db<RunRow>('runs').where({ id }).first();
    return row ? toRunRecord(row) : null;
  }

  /** The runs started at or after `iso` (ISO 8601), oldest first: what the charts draw. */
  async since(iso: string): Promise<RunRecord[]> {
    const rows = await this.db<RunRow>('runs').where('started_at', '>=', iso).orderBy([{ column: 'started_at' }, { column: 'id' }]);
    return rows.map(toRunRecord);
  }

  /**
   * The last run (of this kind, when given) that finished (succeeded or partial) with a full Okta listing the
   * source health gate accepted: the baseline the gate compares the next full listing with. `applied`: only runs
   * that applied their plan (not dry runs).
   */
  async lastSuccessful(kind?: RunKind, options: { applied?: boolean } = {}): Promise<RunRecord | null> {
    let query = this.db<RunRow>('runs').whereIn('outcome', ['succeeded', 'partial']).whereNotNull('listed_assignments');
    if (kind !== undefined) query = query.where({ kind });
    if (options.applied) query = query.where({ apply: true });
    const row = await query.orderBy('started_at', 'desc').first();
    return row ? toRunRecord(row) : null;
  }
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    apply: Boolean(row.apply),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    error: row.error,
    ...(row.assignments !== null ? { assignments: row.assignments } : {}),
    ...(row.planned_actions !== null ? { plannedActions: row.planned_actions } : {}),
    ...(row.succeeded_actions !== null ? { succeededActions: row.succeeded_actions } : {}),
    ...(row.failed_actions !== null ? { failedActions: row.failed_actions } : {}),
    ...(row.skipped_users !== null ? { skippedUsers: row.skipped_users } : {}),
    ...(row.listed_assignments !== undefined && row.listed_assignments !== null ? { listedAssignments: row.listed_assignments } : {}),
    ...optionalCount('dialpadThrottled', row.dialpad_throttled),
    ...optionalCount('oktaThrottled', row.okta_throttled),
    ...optionalCount('unmanagedUsers', row.unmanaged_users),
    ...optionalCount('heldActions', row.held_actions),
    ...(typeof row.skipped === 'string' ? { skipped: parseSkipped(row.skipped) } : {}),
    ...(typeof row.listing_warnings === 'string' ? { listingWarnings: parseWarnings(row.listing_warnings) } : {}),
  };
}

/** `{ [key]: value }` for a count the run recorded; nothing for one it did not (or a run from before the column). */
function optionalCount<K extends keyof RunCounts>(key: K, value: number | null | undefined): Partial<Pick<RunCounts, K>> {
  return value === undefined || value === null ? {} : ({ [key]: Number(value) } as Partial<Pick<RunCounts, K>>);
}

/** The skipped column as written by recordSkipped; anything unreadable is left out rather than failing `status`. */
function parseSkipped(text: string): SkippedUser[] {
  return parseRows(text, ['code', 'reason']);
}

/** The listing_warnings column as written by recordListingWarnings; anything unreadable is left out. */
function parseWarnings(text: string): PlanWarning[] {
  return parseRows(text, ['message']);
}

/** A JSON array column: the objects in it whose `textKeys` hold strings; an unreadable column reads as empty. */
function parseRows<T>(text: string, textKeys: readonly string[]): T[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item: unknown): item is T =>
      typeof item === 'object' && item !== null && textKeys.every((key) => typeof (item as Record<string, unknown>)[key] === 'string'),
  );
}
