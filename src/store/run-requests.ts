// Runs asked for from the admin console ("Run now"). The console may be served by any replica, but only the leader
// runs: the request goes through the store, and the leader takes it when it renews its lease (take() is one atomic
// statement, so exactly one replica gets it), starts a full run and records which run carried it out (finish()).
import type { Knex } from 'knex';
import { recordAudit } from './audit.js';
import { deleteInChunks } from './delete-in-chunks.js';
import { writeTransaction } from './database.js';

/** What a request asks for: a full run (the only kind so far). */
export type RunRequestKind = 'full';

/** A run asked for, as stored. */
export interface RunRequest {
  id: number;
  kind: RunRequestKind;
  /** The audit actor that asked (`okta:<email>`, `token:<name>`). */
  requestedBy: string;
  /** ISO 8601. */
  requestedAt: string;
  /** The replica that took it (the leader then); null while it waits. */
  takenBy: string | null;
  /** ISO 8601; null while it waits. */
  takenAt: string | null;
  /** The run that carried it out; null until that run has ended. */
  runId: string | null;
}

/** What request() did: asked for a run now (`created`), or found one already waiting and returned it. */
export interface RunRequestResult {
  request: RunRequest;
  created: boolean;
}

interface RunRequestRow {
  id: number | string;
  kind: string;
  requested_by: string;
  requested_at: string;
  taken_by: string | null;
  taken_at: string | null;
  run_id: string | null;
}

/** The `run_requests` table. Every method throws what the database driver throws. */
export class RunRequestStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of the audit event's detail before it is stored (see log/redactor.ts). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /**
   * Asks for a full run as `actor` and writes the audit event `run_requested` in the same transaction. One request
   * waits at a time (a unique index on the waiting rows decides between two racing requests): while one waits, it
   * is returned (`created` false) and the audit event says so.
   */
  async request(actor: string): Promise<RunRequestResult> {
    return writeTransaction(this.db, async (trx) => {
      const at = this.now();
      let created = false;
      let row: RunRequestRow | undefined;
      // Twice at most: the waiting request that made the insert conflict may have been taken before it was read.
      for (let attempt = 0; attempt < 2 && row === undefined; attempt += 1) {
        const inserted: { id: number | string }[] = await trx('run_requests')
          .insert({ kind: 'full', requested_by: actor, requested_at: at.toISOString() }, ['id'])
          .onConflict()
          .ignore();
        created = inserted[0] !== undefined;
        row = created ? await trx<RunRequestRow>('run_requests').where({ id: Number(inserted[0]?.id) }).first() : await waiting(trx);
      }
      if (row === undefined) throw new Error('a run request was neither written nor found waiting');
      const request = toRunRequest(row);
      await recordAudit(trx, at, this.redact, { actor, action: 'run_requested', target: null, detail: { requestId: request.id, kind: request.kind, alreadyWaiting: !created } });
      return { request, created };
    });
  }

  /** The request waiting for the leader, or null when none waits. */
  async pending(): Promise<RunRequest | null> {
    const row = await waiting(this.db);
    return row === undefined ? null : toRunRequest(row);
  }

  /**
   * The Run now requests that runs `runIds` carried out, by run id (a run carries out at most the one request it
   * was started for). Runs that carried none out are absent.
   */
  async forRuns(runIds: readonly string[]): Promise<Map<string, RunRequest>> {
    if (runIds.length === 0) return new Map();
    const rows: RunRequestRow[] = await this.db('run_requests').whereIn('run_id', [...runIds]);
    return new Map(rows.map((row) => [row.run_id ?? '', toRunRequest(row)]));
  }

  /** Request `id` as stored, or null. */
  async get(id: number): Promise<RunRequest | null> {
    const row: RunRequestRow | undefined = await this.db('run_requests').where({ id }).first();
    return row === undefined ? null : toRunRequest(row);
  }

  /**
   * Takes the waiting request for `replica` (the leader), or resolves null when none waits. One statement that
   * changes the row only while it is still untaken, so of two replicas racing exactly one gets it (PostgreSQL
   * re-checks the condition on the row the first one committed; SQLite runs one writer at a time).
   */
  async take(replica: string): Promise<RunRequest | null> {
    const rows: RunRequestRow[] = await this.db('run_requests')
      .where({ kind: 'full' })
      .whereNull('taken_by')
      .update({ taken_by: replica.slice(0, 255), taken_at: this.now().toISOString() }, ['*']);
    return rows[0] === undefined ? null : toRunRequest(rows[0]);
  }

  /**
   * Hands request `id`, taken by `replica` and not carried out (the leader stopped first), back to wait for the
   * next leader; when another request waits already, that one covers it and this one is deleted.
   */
  async release(id: number, replica: string): Promise<void> {
    await writeTransaction(this.db, async (trx) => {
      const mine = trx('run_requests').where({ id, taken_by: replica }).whereNull('run_id');
      if ((await waiting(trx)) !== undefined) await mine.delete();
      else await mine.update({ taken_by: null, taken_at: null });
    });
  }

  /** Records that run `runId` carried out request `id`. */
  async finish(id: number, runId: string): Promise<void> {
    await this.db('run_requests').where({ id }).update({ run_id: runId });
  }

  /**
   * Deletes the requests of runs started before `before`, and those never carried out that were asked for before
   * it (their leader died), at most 1,000 rows a statement; resolves with how many. The audit events stay.
   */
  async pruneBefore(before: Date): Promise<number> {
    const iso = before.toISOString();
    return deleteInChunks(this.db, 'run_requests', (chunk) =>
      this.db('run_requests')
        .select('run_requests.id')
        .leftJoin('runs', 'runs.id', 'run_requests.run_id')
        .where((q) => q.where('runs.started_at', '<', iso).orWhere((w) => w.whereNull('run_requests.run_id').andWhere('run_requests.requested_at', '<', iso)))
        .limit(chunk),
    );
  }
}

function waiting(db: Knex): Promise<RunRequestRow | undefined> {
  return db<RunRequestRow>('run_requests').where({ kind: 'full' }).whereNull('taken_by').first();
}

function toRunRequest(row: RunRequestRow): RunRequest {
  return {
    id: Number(row.id),
    kind: 'full',
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    takenBy: row.taken_by,
    takenAt: row.taken_at,
    runId: row.run_id,
  };
}
