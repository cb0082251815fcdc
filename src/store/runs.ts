// One row per reconciliation: when, what kind, and how it ended.
import type { Knex } from 'knex';

export type RunOutcome = 'running' | 'succeeded' | 'partial' | 'failed';

export interface RunCounts {
  assignments: number;
  plannedActions: number;
  succeededActions: number;
  failedActions: number;
  skippedUsers: number;
}

export interface RunRecord extends Partial<RunCounts> {
  id: string;
  kind: string;
  apply: boolean;
  startedAt: string;
  finishedAt: string | null;
  outcome: RunOutcome;
  error: string | null;
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
}

export class RunStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  async start(id: string, kind: string, apply: boolean): Promise<void> {
    await this.db('runs').insert({ id, kind, apply, started_at: this.now().toISOString(), outcome: 'running' });
  }

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
        error: error ?? null,
      });
  }

  async recent(limit: number): Promise<RunRecord[]> {
    const rows = await this.db<RunRow>('runs').orderBy('started_at', 'desc').limit(limit);
    return rows.map((row) => ({
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
    }));
  }
}
