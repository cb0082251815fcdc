// Each run's actions with what became of them: carried out (done, failed, not_run), only planned (a dry run), held
// by a run-wide gate or withheld by a per-user pass or the policy. The console's run pages, a user's history and
// the charts of actions per run read them.
import type { Knex } from 'knex';
import { deleteInChunks } from './delete-in-chunks.js';
import { writeTransaction } from './database.js';

/** What became of an action in its run. */
export type RunActionOutcome = 'done' | 'failed' | 'not_run' | 'planned' | 'held' | 'withheld';

/** One action of one run, as stored. */
export interface RunAction {
  runId: string;
  /** The action's place in its run, from 0. */
  seq: number;
  /** plan/user-key.ts userKeyOf. */
  userKey: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  email: string;
  /** An ActionKind (create, suspend, write_back, ...). */
  kind: string;
  /** Why the plan chose it (and, held or withheld, why it was held), redacted. */
  reason: string;
  outcome: RunActionOutcome;
  /** Why it failed, redacted; null otherwise. */
  error: string | null;
  /** The run-wide gate that held it (mass-change, source-health, dialpad-health); null otherwise. */
  gate: string | null;
  /** The audit actor whose approval let it through a gate; null otherwise. */
  approvedBy: string | null;
}

/** A run's action as record() takes it: everything but the run and the place, which record() gives it. */
export type RunActionInput = Omit<RunAction, 'runId' | 'seq'>;

/** Actions of one kind with one outcome in one run: what the charts count. */
export interface RunActionCount {
  runId: string;
  kind: string;
  outcome: string;
  count: number;
}

interface RunActionRow {
  id: number;
  run_id: string;
  seq: number;
  user_key: string;
  okta_user_id: string | null;
  dialpad_user_id: string | null;
  email: string;
  kind: string;
  reason: string;
  outcome: RunActionOutcome;
  error: string | null;
  gate: string | null;
  approved_by: string | null;
}

/** Rows per INSERT: SQLite's limit of terms in the compound SELECT knex builds for a multi-row insert. */
const ROWS_PER_STATEMENT = 500;

/** The `run_actions` table. Every method throws what the database driver throws. */
export class RunActionStore {
  constructor(
    private readonly db: Knex,
    /** Blanks secrets out of reasons and errors before they are stored (see log/redactor.ts). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Records the actions of run `runId` in this order (seq from 0), at most 500 rows to a statement, in one transaction. */
  async record(runId: string, actions: readonly RunActionInput[]): Promise<void> {
    if (actions.length === 0) return;
    const rows = actions.map((action, seq) => ({
      run_id: runId,
      seq,
      user_key: action.userKey,
      okta_user_id: action.oktaUserId,
      dialpad_user_id: action.dialpadUserId,
      email: action.email,
      kind: action.kind,
      reason: this.redact(action.reason),
      outcome: action.outcome,
      error: action.error === null ? null : this.redact(action.error),
      gate: action.gate,
      approved_by: action.approvedBy,
    }));
    await writeTransaction(this.db, async (trx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await trx('run_actions').insert(rows.slice(i, i + ROWS_PER_STATEMENT));
    });
  }

  /** One page of a run's actions in their order (only those with `outcome`, when given), and how many there are in all. */
  async forRun(runId: string, q: { limit: number; offset: number; outcome?: string }): Promise<{ total: number; actions: RunAction[] }> {
    const filtered = (): Knex.QueryBuilder => {
      const query = this.db('run_actions').where({ run_id: runId });
      return q.outcome === undefined ? query : query.andWhere({ outcome: q.outcome });
    };
    const counted = (await filtered().count({ n: '*' }).first()) as { n: number | string } | undefined;
    const rows: RunActionRow[] = await filtered().select('*').orderBy('seq').limit(q.limit).offset(q.offset);
    return { total: Number(counted?.n ?? 0), actions: rows.map(toRunAction) };
  }

  /**
   * A user's actions across runs, newest run first (within a run, in order): by Okta user id, or by email
   * (case-insensitively) when no id is given; at most `limit`. Empty when neither is given.
   */
  async forUser(q: { oktaUserId?: string; email?: string; limit: number }): Promise<RunAction[]> {
    if (q.oktaUserId === undefined && q.email === undefined) return [];
    let query = this.db('run_actions').join('runs', 'runs.id', 'run_actions.run_id').select('run_actions.*');
    query =
      q.oktaUserId !== undefined
        ? query.where('run_actions.okta_user_id', q.oktaUserId)
        : query.whereRaw('lower(run_actions.email) = ?', [(q.email ?? '').trim().toLowerCase()]);
    const rows: RunActionRow[] = await query.orderBy([{ column: 'runs.started_at', order: 'desc' }, { column: 'run_actions.seq' }]).limit(q.limit);
    return rows.map(toRunAction);
  }

  /** Actions per run, kind and outcome, for the runs started at or after `sinceIso` (ISO 8601), by run start then kind. */
  async perRun(sinceIso: string): Promise<RunActionCount[]> {
    type CountRow = { run_id: string; kind: string; outcome: string; n: number | string };
    const rows = (await this.db('run_actions')
      .join('runs', 'runs.id', 'run_actions.run_id')
      .where('runs.started_at', '>=', sinceIso)
      .groupBy('run_actions.run_id', 'runs.started_at', 'run_actions.kind', 'run_actions.outcome')
      .select('run_actions.run_id', 'runs.started_at', 'run_actions.kind', 'run_actions.outcome')
      .count({ n: '*' })
      .orderBy([{ column: 'runs.started_at' }, { column: 'run_actions.kind' }, { column: 'run_actions.outcome' }])) as unknown as CountRow[];
    return rows.map((row) => ({ runId: row.run_id, kind: row.kind, outcome: row.outcome, count: Number(row.n) }));
  }

  /**
   * Deletes the actions of the runs started before `before` (history.retentionDays), at most 1,000 rows a
   * statement so a large table is never held in one long transaction; resolves with how many. The runs stay.
   */
  async pruneBefore(before: Date): Promise<number> {
    const iso = before.toISOString();
    return deleteInChunks(this.db, 'run_actions', (limit) =>
      this.db('run_actions').select('run_actions.id').join('runs', 'runs.id', 'run_actions.run_id').where('runs.started_at', '<', iso).limit(limit),
    );
  }
}

function toRunAction(row: RunActionRow): RunAction {
  return {
    runId: row.run_id,
    seq: row.seq,
    userKey: row.user_key,
    oktaUserId: row.okta_user_id,
    dialpadUserId: row.dialpad_user_id,
    email: row.email,
    kind: row.kind,
    reason: row.reason,
    outcome: row.outcome,
    error: row.error,
    gate: row.gate,
    approvedBy: row.approved_by,
  };
}
