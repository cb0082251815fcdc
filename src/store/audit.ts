// The audit trail: every admin action (sign-in, approve, dismiss, release, API tokens, Run now) and what the service did with
// an approval (applied, expired) or with a run its stopped process left running (closed), with who, when and on what.
// Written once, never changed; read newest first.
import type { Knex } from 'knex';

/** What an audit event records. */
export type AuditAction =
  | 'sign_in'
  | 'sign_in_refused'
  | 'sign_out'
  | 'approve'
  | 'dismiss'
  | 'release'
  | 'token_create'
  | 'token_revoke'
  | 'approval_applied'
  | 'approval_expired'
  | 'run_requested'
  | 'run_closed'
  | 'session_end';

/**
 * One audit event. `actor`: `okta:<email>` (a console session), `token:<name>` (an API token), `cli:<user>@<host>`
 * (the command line) or `dialsync` (the service itself). `target`: what it acted on (an email, a token name), or null.
 */
export interface AuditEvent {
  id: number;
  /** ISO 8601. */
  at: string;
  actor: string;
  action: AuditAction;
  target: string | null;
  /** Whatever else the event needs to be understood (run id, kind, expiry, ...). */
  detail: Record<string, unknown>;
}

/** What record() takes: the event without its id and time, which the store gives it. */
export interface AuditEventInput {
  actor: string;
  action: AuditAction;
  target?: string | null;
  detail?: Record<string, unknown>;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: AuditAction;
  target: string | null;
  detail: string;
}

/** The `audit_events` table. Every method throws what the database driver throws. */
export class AuditStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of the target and detail before they are stored (see log/redactor.ts). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Records one event, stamped now. */
  async record(event: AuditEventInput): Promise<void> {
    await recordAudit(this.db, this.now(), this.redact, event);
  }

  /** Records several events, all stamped now, 500 to a statement (a release of many users: one event each). */
  async recordEach(events: readonly AuditEventInput[]): Promise<void> {
    if (events.length > 0) await recordAudit(this.db, this.now(), this.redact, ...events);
  }

  /** The `limit` newest events (ids below `before` when given, for the next page), newest first. */
  async list(q: { limit: number; before?: number }): Promise<AuditEvent[]> {
    let query = this.db<AuditRow>('audit_events').orderBy('id', 'desc').limit(q.limit);
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    const rows = await query;
    return rows.map(toAuditEvent);
  }
}

/**
 * Writes audit events with `db`, which may be a transaction: the stores that change a row and audit the change
 * (approve, dismiss) do both in one.
 */
export async function recordAudit(db: Knex, at: Date, redact: (text: string) => string, ...events: AuditEventInput[]): Promise<void> {
  const rows = events.map((event) => ({
    at: at.toISOString(),
    actor: event.actor,
    action: event.action,
    target: event.target === undefined || event.target === null ? null : redact(event.target),
    detail: redact(JSON.stringify(event.detail ?? {})),
  }));
  for (let i = 0; i < rows.length; i += 500) await db('audit_events').insert(rows.slice(i, i + 500));
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return { id: Number(row.id), at: row.at, actor: row.actor, action: row.action, target: row.target, detail: parseDetail(row.detail) };
}

/** The detail column as written by record(); anything unreadable reads as empty rather than failing the page. */
function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
