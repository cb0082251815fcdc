// The audit events (GET /audit and /api/audit): who signed in, approved, dismissed, released, made or revoked a
// token, newest first, a page at a time (?before=<id> for older ones).
import { z } from 'zod';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import type { AuditAction, AuditEvent } from '../../store/audit.js';
import { dataTable, when } from '../table.js';

/** Events a page. */
export const AUDIT_PER_PAGE = 100;

/** The query of GET /audit: ?before=<event id> for the page of events older than it. */
export const auditQuery = z.object({ before: z.coerce.number().int().positive().optional() });

/** The parsed query of GET /audit. */
export type AuditQuery = z.output<typeof auditQuery>;

/** What GET /audit shows and GET /api/audit answers. */
export interface AuditPage {
  events: AuditEvent[];
  /** The `before` of the next (older) page, or null on the last page. */
  nextBefore: number | null;
}

/** Reads a page of audit events, newest first. Throws what the store throws. */
export async function loadAudit(deps: ConsoleDeps, query: AuditQuery): Promise<AuditPage> {
  const events = await deps.store.audit.list({ limit: AUDIT_PER_PAGE + 1, ...(query.before !== undefined ? { before: query.before } : {}) });
  const page = events.slice(0, AUDIT_PER_PAGE);
  return { events: page, nextBefore: events.length > AUDIT_PER_PAGE ? (page.at(-1)?.id ?? null) : null };
}

/** Each audit action as the page says it (the JSON twin keeps the code). */
const ACTION_WORDS: Readonly<Record<AuditAction, string>> = {
  sign_in: 'signed in',
  sign_in_refused: 'sign-in refused',
  sign_out: 'signed out',
  approve: 'approved',
  dismiss: 'dismissed',
  release: 'released',
  token_create: 'created a token',
  token_revoke: 'revoked a token',
  session_end: 'ended console sessions',
  approval_applied: 'applied an approval',
  approval_expired: 'approval expired',
  run_requested: 'requested a full run (Run now)',
  run_closed: 'closed a run its stopped process left running',
};

/** The audit page's body: the events and a link to older ones. */
export function renderAudit(view: AuditPage, query: AuditQuery): Html {
  return html`${dataTable({
    headers: ['When', 'Actor', 'Action', 'Target', 'Detail'],
    rows: view.events.map((e) => [when(e.at), e.actor, html`${ACTION_WORDS[e.action] ?? e.action} <code class="detail">${e.action}</code>`, e.target ?? '—', Object.keys(e.detail).length > 0 ? html`<code class="detail">${JSON.stringify(e.detail)}</code>` : '']),
    empty: query.before === undefined ? 'No audit event yet.' : 'No older audit event.',
  })}
<nav class="pager" aria-label="Pages">${query.before !== undefined ? html`<a href="/audit">← Newest</a>` : ''}${view.nextBefore !== null ? html`<a rel="next" href="/audit?before=${view.nextBefore}">Older →</a>` : ''}</nav>`;
}
