// The suspends and deletes a run-wide gate (the mass-change guard, the source or Dialpad health gate) holds right
// now, one row per user and kind, and an admin's decision on each: approved (until it expires) lets exactly that
// action through the gates in the next run that still plans it; dismissed keeps it held, on record.
//
// Example: a full run holds 12 suspends (gate mass-change): 12 rows, no decision. An admin approves them until
// 09:00 tomorrow (12 `approve` audit events). The next full run still plans the 12 and a 13th: the 12 pass, the 13th
// is held (a new row); the 12 are done, so their rows go (12 `approval_applied` events), the 13th stays.
import type { Knex } from 'knex';
import type { RetiringKind } from '../plan/safety/held-back.js';
import { recordAudit, type AuditAction } from './audit.js';
import { writeTransaction } from './database.js';

/** The run-wide gate that holds an action. */
export type HoldingGate = 'mass-change' | 'source-health' | 'dialpad-health';

/** A held action as stored, with the decision on it. Times are ISO 8601. */
export interface HeldAction {
  id: number;
  /** plan/user-key.ts userKeyOf. */
  userKey: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  email: string;
  kind: RetiringKind;
  gate: HoldingGate;
  /** The held action's reason, as the run withheld it (redacted). */
  reason: string;
  /** The run that last held it. */
  runId: string;
  /** Held since (the first run that held it, while it stayed held). */
  heldAt: string;
  decision: 'approved' | 'dismissed' | null;
  /** The audit actor who decided. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** When an approval stops counting; null unless approved. */
  expiresAt: string | null;
}

/** An action a run held, as settle() takes it. */
export type HeldActionInput = Pick<HeldAction, 'userKey' | 'oktaUserId' | 'dialpadUserId' | 'email' | 'kind' | 'gate' | 'reason'>;

/** An approval that counts now: the safety pipeline lets exactly this (user, kind) through the run-wide gates. */
export interface ActiveApproval {
  userKey: string;
  kind: RetiringKind;
  /** The audit actor who approved it. */
  approvedBy: string;
}

/** What an applying run tells settle(). */
export interface HeldSettlement {
  runId: string;
  /** What the run's gates held. */
  held: readonly HeldActionInput[];
  /**
   * Whose rows the run answers for: 'all' for a full run (rows it did not hold go, approvals aside), else the user
   * keys of a targeted run (only their rows change).
   */
  scope: 'all' | readonly string[];
  /** Suspends and deletes the run carried out (outcome done): their rows go, an approved one audited as applied. */
  done: readonly { userKey: string; kind: RetiringKind }[];
}

interface HeldRow {
  id: number;
  user_key: string;
  okta_user_id: string | null;
  dialpad_user_id: string | null;
  email: string;
  kind: RetiringKind;
  gate: HoldingGate;
  reason: string;
  run_id: string;
  held_at: string;
  decision: 'approved' | 'dismissed' | null;
  decided_by: string | null;
  decided_at: string | null;
  expires_at: string | null;
}

/** Rows per statement of a list of keys (SQLite's compound-select limit). */
const CHUNK = 500;

/** The `held_actions` table. Every method throws what the database driver throws. */
export class HeldActionStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of reasons and audit details before they are stored (see log/redactor.ts). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Every held action, oldest hold first. */
  async list(): Promise<HeldAction[]> {
    const rows = await this.db<HeldRow>('held_actions').orderBy([{ column: 'held_at' }, { column: 'id' }]);
    return rows.map(toHeldAction);
  }

  /**
   * Approves the held actions with these ids (or all of them) until `expiresAt`, as `actor`; one `approve` audit
   * event per action, in the same transaction. Returns the rows changed (unknown ids are ignored).
   */
  approve(ids: number[] | 'all', actor: string, expiresAt: Date): Promise<HeldAction[]> {
    return this.decide(ids, actor, 'approved', expiresAt);
  }

  /**
   * Dismisses the held actions with these ids (or all of them), as `actor`: they stay held, an approval they had is
   * withdrawn; one `dismiss` audit event per action, in the same transaction. Returns the rows changed.
   */
  dismiss(ids: number[] | 'all', actor: string): Promise<HeldAction[]> {
    return this.decide(ids, actor, 'dismissed', null);
  }

  /** The approvals that count at `at` (approved, not expired), for the safety pipeline. */
  async approvals(at: Date): Promise<ActiveApproval[]> {
    const rows = await this.db<HeldRow>('held_actions').where({ decision: 'approved' }).andWhere('expires_at', '>', at.toISOString()).orderBy('id');
    return rows.map((row) => ({ userKey: row.user_key, kind: row.kind, approvedBy: row.decided_by ?? 'unknown' }));
  }

  /**
   * Approvals that expired by `at` stop counting: their actions are held again, undecided, and each is audited
   * `approval_expired` (actor `dialsync`), in one transaction. Returns the rows as they were before (with the
   * approval that expired).
   */
  expire(at: Date): Promise<HeldAction[]> {
    return writeTransaction(this.db, async (trx) => {
      const rows = await trx<HeldRow>('held_actions').where({ decision: 'approved' }).andWhere('expires_at', '<=', at.toISOString()).orderBy('id');
      if (rows.length === 0) return [];
      await updateByIds(trx, rows, { decision: null, decided_by: null, decided_at: null, expires_at: null });
      await this.audit(trx, rows, 'dialsync', 'approval_expired', (row) => ({ approvedBy: row.decided_by, expiresAt: row.expires_at }));
      return rows.map(toHeldAction);
    });
  }

  /**
   * After an applying run: the held set becomes what the run held. In one transaction:
   * - each action done is no longer held: its row goes, and an approved one is audited `approval_applied` (actor
   *   `dialsync`, with the run id);
   * - each action held is kept (a new row, or the existing one with its decision and since when: a dismissed action
   *   stays dismissed);
   * - any other row in the run's scope goes, unless approved: an approval stays until its action is done or it
   *   expires (an approved action that failed keeps it).
   * Returns the approved rows that were applied.
   */
  settle(run: HeldSettlement): Promise<HeldAction[]> {
    return writeTransaction(this.db, async (trx) => {
      const at = this.now().toISOString();
      const applied: HeldRow[] = [];
      const doneKeys = new Set(run.done.map((d) => `${d.kind} ${d.userKey}`));
      if (doneKeys.size > 0) {
        const doneUsers = [...new Set(run.done.map((d) => d.userKey))];
        for (let i = 0; i < doneUsers.length; i += CHUNK) {
          const rows = await trx<HeldRow>('held_actions').whereIn('user_key', doneUsers.slice(i, i + CHUNK));
          const gone = rows.filter((row) => doneKeys.has(`${row.kind} ${row.user_key}`));
          if (gone.length === 0) continue;
          await trx('held_actions').whereIn('id', gone.map((row) => row.id)).delete();
          applied.push(...gone.filter((row) => row.decision === 'approved'));
        }
      }
      // One row per user and kind (a second hold of the same action in the run would update its row twice).
      const held = [...new Map(run.held.map((h) => [`${h.kind} ${h.userKey}`, h])).values()];
      const heldKeys = new Set(held.map((h) => `${h.kind} ${h.userKey}`));
      for (let i = 0; i < held.length; i += CHUNK) {
        const rows = held.slice(i, i + CHUNK).map((h) => ({
          user_key: h.userKey,
          okta_user_id: h.oktaUserId,
          dialpad_user_id: h.dialpadUserId,
          email: h.email,
          kind: h.kind,
          gate: h.gate,
          reason: this.redact(h.reason),
          run_id: run.runId,
          held_at: at,
        }));
        // Held again: the new reason, gate and run; since when and the decision stay.
        await trx('held_actions').insert(rows).onConflict(['user_key', 'kind']).merge(['okta_user_id', 'dialpad_user_id', 'email', 'gate', 'reason', 'run_id']);
      }
      let stale = trx<HeldRow>('held_actions').select('id', 'user_key', 'kind').where((q) => q.whereNull('decision').orWhereNot({ decision: 'approved' }));
      if (run.scope !== 'all') {
        const keys = [...run.scope];
        if (keys.length === 0) stale = stale.whereRaw('1 = 0');
        else stale = stale.where((q) => {
          for (let i = 0; i < keys.length; i += CHUNK) q.orWhereIn('user_key', keys.slice(i, i + CHUNK));
        });
      }
      const gone = (await stale).filter((row) => !heldKeys.has(`${row.kind} ${row.user_key}`)).map((row) => row.id);
      for (let i = 0; i < gone.length; i += CHUNK) await trx('held_actions').whereIn('id', gone.slice(i, i + CHUNK)).delete();
      await this.audit(trx, applied, 'dialsync', 'approval_applied', (row) => ({ runId: run.runId, approvedBy: row.decided_by }));
      return applied.map(toHeldAction);
    });
  }

  private decide(ids: number[] | 'all', actor: string, decision: 'approved' | 'dismissed', expiresAt: Date | null): Promise<HeldAction[]> {
    return writeTransaction(this.db, async (trx) => {
      let rows: HeldRow[];
      if (ids === 'all') rows = await trx<HeldRow>('held_actions').orderBy('id');
      else {
        rows = [];
        for (let i = 0; i < ids.length; i += CHUNK) rows.push(...(await trx<HeldRow>('held_actions').whereIn('id', ids.slice(i, i + CHUNK))));
        rows.sort((a, b) => a.id - b.id);
      }
      if (rows.length === 0) return [];
      const decidedAt = this.now().toISOString();
      const change = { decision, decided_by: actor, decided_at: decidedAt, expires_at: expiresAt === null ? null : expiresAt.toISOString() };
      await updateByIds(trx, rows, change);
      await this.audit(trx, rows, actor, decision === 'approved' ? 'approve' : 'dismiss', (row) => ({
        runId: row.run_id,
        ...(change.expires_at ? { expiresAt: change.expires_at } : {}),
      }));
      return rows.map((row) => toHeldAction({ ...row, ...change }));
    });
  }

  /** One audit event per row, its target the row's email, its detail the row's id, kind and gate and `more`. */
  private async audit(trx: Knex.Transaction, rows: readonly HeldRow[], actor: string, action: AuditAction, more: (row: HeldRow) => Record<string, unknown>): Promise<void> {
    if (rows.length === 0) return;
    const events = rows.map((row) => ({ actor, action, target: row.email, detail: { heldActionId: Number(row.id), kind: row.kind, gate: row.gate, ...more(row) } }));
    await recordAudit(trx, this.now(), this.redact, ...events);
  }
}

/** Sets `change` on these rows, a chunk of ids to a statement. */
async function updateByIds(trx: Knex.Transaction, rows: readonly HeldRow[], change: Partial<HeldRow>): Promise<void> {
  const ids = rows.map((row) => row.id);
  for (let i = 0; i < ids.length; i += CHUNK) await trx('held_actions').whereIn('id', ids.slice(i, i + CHUNK)).update(change);
}

function toHeldAction(row: HeldRow): HeldAction {
  return {
    id: Number(row.id),
    userKey: row.user_key,
    oktaUserId: row.okta_user_id,
    dialpadUserId: row.dialpad_user_id,
    email: row.email,
    kind: row.kind,
    gate: row.gate,
    reason: row.reason,
    runId: row.run_id,
    heldAt: row.held_at,
    decision: row.decision ?? null,
    decidedBy: row.decided_by ?? null,
    decidedAt: row.decided_at ?? null,
    expiresAt: row.expires_at ?? null,
  };
}
