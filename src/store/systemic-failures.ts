// The causes runs found systemic and no run has seen clear yet (plan/systemic-failure.ts, rule 3): a targeted run of
// one user failing with one of them does not count it toward the user's quarantine.
import type { Knex } from 'knex';
import type { FailureClass, FailureService, KnownSystemicCause, SystemicFailure } from '../plan/systemic-failure.js';
import type { ActionKind } from '../plan/types.js';
import { writeTransaction } from './database.js';

/** A remembered systemic cause, with when it was first and last seen. */
export interface StoredSystemicFailure extends KnownSystemicCause {
  summary: string;
  hint: string;
  firstSeenAt: string;
  lastSeenAt: string;
  lastRunId: string;
}

interface SystemicFailureRow {
  cause_key: string;
  code: string;
  class: FailureClass;
  service: FailureService;
  kind: ActionKind | null;
  summary: string;
  hint: string;
  first_seen_at: string;
  last_seen_at: string;
  last_run_id: string;
}

/** The `systemic_failures` table: one row per cause key. Every method throws what the database driver throws. */
export class SystemicFailureStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of the API text a summary quotes before it is stored (see log/redactor.ts). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Every cause not seen clear yet, the most recently seen first. */
  async active(): Promise<StoredSystemicFailure[]> {
    const rows = await this.db<SystemicFailureRow>('systemic_failures').orderBy('last_seen_at', 'desc');
    return rows.map((row) => ({
      key: row.cause_key,
      code: row.code,
      class: row.class,
      service: row.service,
      kind: row.kind ?? null,
      summary: row.summary,
      hint: row.hint,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
      lastRunId: row.last_run_id,
    }));
  }

  /** Remembers the systemic failures of run `runId` (a cause seen before keeps its first sighting). */
  async seen(runId: string, failures: readonly SystemicFailure[]): Promise<void> {
    if (failures.length === 0) return;
    const at = this.now().toISOString();
    await writeTransaction(this.db, async (trx) => {
      for (const failure of failures) {
        const row = { code: failure.code, class: failure.class, service: failure.service, kind: failure.kind, summary: this.redact(failure.summary), hint: this.redact(failure.hint), last_seen_at: at, last_run_id: runId };
        // One upsert, not an update then an insert: two processes seeing a new cause at once must not both insert it.
        await trx('systemic_failures')
          .insert({ ...row, cause_key: failure.key, first_seen_at: at })
          .onConflict('cause_key')
          .merge(Object.keys(row));
      }
    });
  }

  /** Forgets causes a run saw clear. */
  async clear(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db('systemic_failures').whereIn('cause_key', [...keys]).delete();
  }
}
