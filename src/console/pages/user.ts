// One user (GET /users/:email and /api/users/:email): explain (what each side holds, which rule chose office,
// license and number, what the next run would do, held or skipped) and the user's actions across runs.
import { z } from 'zod';
import { describeError } from '../../errors/describe-error.js';
import { ACTION_TITLES, stepTitle } from '../../plan/action-titles.js';
import type { ExplainedDrift } from '../../plan/explain.js';
import type { Action } from '../../plan/types.js';
import type { UserExplanation } from '../../reconcile/explain-user.js';
import { UserNotFoundError } from '../../reconcile/read-sides.js';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import type { HeldAction } from '../../store/held-actions.js';
import type { RunAction } from '../../store/run-actions.js';
import { badge, dataTable, when } from '../table.js';
import { decision } from './run.js';
import { consoleReason } from '../held-reason.js';

/** A drift value in the user page's table: an office by name with its id (as the Office row shows it), others as they stand. */
function driftCell(drift: ExplainedDrift, side: 'okta' | 'dialpad' | 'applied'): string {
  const value = drift[side];
  if (value === null || value === '') return side === 'applied' ? '(none)' : '(empty)';
  const name = drift.field === 'office' ? (drift.officeNames?.[side] ?? null) : null;
  return name === null ? value : `${name} (${value})`;
}

/** explainError's code for an email nobody holds (UserNotFoundError's code). */
export const USER_NOT_FOUND = 'user_not_found';

/** Actions of the user's history shown. */
export const USER_HISTORY = 100;

/** The path of GET /users/:email. */
export const userParams = z.object({ email: z.string().trim().min(1).max(320) });

/** What GET /users/:email shows and GET /api/users/:email answers. */
export interface UserPage {
  email: string;
  /** explain's answer; null when it could not be given (see explainError). */
  explanation: UserExplanation | null;
  /** Why there is no explanation: `user_not_found` (nobody holds the email), or the error explain failed with. */
  explainError: { code: string; message: string } | null;
  /** The user's actions across runs, newest first. */
  history: RunAction[];
  /** What is held for the user now. */
  held: HeldAction[];
  /** When each run of the history started (ISO 8601, by run id): people tell runs by their time, not their id. */
  runStarts: Record<string, string>;
}

/**
 * Explains `email` (deps.explain) and reads its history; an explain failure is part of the page, not an error (the
 * /api twin answers it 404 for an email nobody holds, 502 for Okta or Dialpad failing).
 */
export async function loadUser(deps: ConsoleDeps, email: string): Promise<UserPage> {
  let explanation: UserExplanation | null = null;
  let explainError: UserPage['explainError'] = null;
  try {
    explanation = await deps.explain(email);
  } catch (error) {
    const code = error instanceof UserNotFoundError ? USER_NOT_FOUND : typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'explain_failed';
    explainError = { code, message: describeError(error) };
  }
  const oktaUserId = explanation?.oktaUserId ?? undefined;
  const [history, held] = await Promise.all([
    deps.store.runActions.forUser({ email, ...(oktaUserId ? { oktaUserId } : {}), limit: USER_HISTORY }),
    deps.store.held.list(),
  ]);
  const runIds = [...new Set(history.map((action) => action.runId))];
  const runs = await Promise.all(runIds.map((id) => deps.store.runs.get(id)));
  const runStarts = Object.fromEntries(runs.flatMap((run) => (run === null ? [] : [[run.id, run.startedAt]])));
  const wanted = email.toLowerCase();
  return { email, explanation, explainError, history, runStarts, held: held.filter((h) => h.email.toLowerCase() === wanted || (oktaUserId !== undefined && h.oktaUserId === oktaUserId)) };
}

/** The user page's body: explain's sections, what is held for the user, then the history. */
export function renderUser(view: UserPage): Html {
  const explained = view.explanation
    ? renderExplanation(view.explanation)
    : view.explainError?.code === USER_NOT_FOUND
      ? html`<section><h2>Explain</h2><p class="empty">Neither Okta, a link nor a live Dialpad user holds ${view.email}.</p></section>`
      : html`<section><h2>Explain</h2><p class="note" role="status">Explain could not ask Okta or Dialpad now: ${view.explainError?.message ?? 'unknown error'}. What is held and the history below come from the database.</p></section>`;
  return html`${explained}
<section aria-labelledby="held-h"><h2 id="held-h">Held now (${view.held.length})</h2>
${dataTable({ headers: ['Action', 'Gate', 'Reason', 'Run', 'Decision'], rows: view.held.map((h) => [stepTitle(h.kind), h.gate, consoleReason(h.reason), html`<a href="/runs/${encodeURIComponent(h.runId)}">run</a>`, decision(h)]), empty: 'Nothing is held for this user.' })}
</section>
<section aria-labelledby="history-h"><h2 id="history-h">History (${view.history.length}${view.history.length === USER_HISTORY ? ', the newest' : ''})</h2>
${dataTable({
  headers: ['Run (started)', 'Action', 'Reason', 'Outcome', 'Error'],
  rows: view.history.map((a) => [html`<a href="/runs/${encodeURIComponent(a.runId)}">${view.runStarts[a.runId] ? when(view.runStarts[a.runId]) : a.runId}</a>`, stepTitle(a.kind), consoleReason(a.reason), html`${badge(a.outcome)}${a.gate ? html` <span class="detail">${a.gate}</span>` : ''}${a.approvedBy ? html` <span class="detail">approved by ${a.approvedBy}</span>` : ''}`, a.error ? html`<span class="message">${a.error}</span>` : '']),
  empty: 'No run has recorded an action for this user.',
})}
</section>`;
}

/** explain's answer as sections: Okta, Dialpad and link, the rules' choices, warnings, and the next run. */
export function renderExplanation(e: UserExplanation): Html {
  const okta = e.okta
    ? html`<p>Status ${e.okta.status} (${e.okta.inScope ? 'in scope' : 'not in scope'}), assigned ${e.okta.scope === 'GROUP' ? 'through a group' : 'directly'}, app user ${e.okta.appUserStatus}${e.oktaUserId ? html`, Okta user <code>${e.oktaUserId}</code>` : ''}.</p>
${dataTable({
  headers: ['Field', 'Value', 'From'],
  rows: e.okta.attributes.map((a) => [a.field, a.value ?? '(empty)', a.attribute === null ? `none of ${a.tried.join(', ')}` : `${a.attribute} (${a.profile === 'appUser' ? 'app user profile' : 'user profile'})`]),
  empty: '',
})}
<p>Write-back: ${e.okta.writeBack.attribute} on the ${e.okta.writeBack.target === 'user' ? 'user' : 'app user'} profile is ${e.okta.writeBack.value ?? '(empty)'}.</p>`
    : html`<p>Not assigned to the app.</p>`;
  const d = e.dialpad;
  const how = d ? { link: 'linked', email: 'found by its primary email (not linked yet)', unmanaged: 'unmanaged (holds this primary email; no Okta user or link claims it)' }[d.matchedBy] : '';
  const dialpad = d
    ? html`<dl class="facts">
<dt>User</dt><dd><code>${d.id}</code>, ${how}</dd>
<dt>Emails</dt><dd>${d.emails.join(', ') || '(none)'}</dd>
<dt>Name</dt><dd>${[d.firstName, d.lastName].filter(Boolean).join(' ') || '(none)'}${d.jobTitle ? `, title "${d.jobTitle}"` : ''}</dd>
<dt>State</dt><dd>${d.state}</dd>
<dt>Office</dt><dd>${d.officeName ? `${d.officeName} (${d.officeId})` : (d.officeId ?? '(none)')}</dd>
<dt>License</dt><dd>${d.license ?? '(none)'}</dd>
<dt>Numbers</dt><dd>${d.phoneNumbers.join(', ') || '(none)'}</dd>
</dl>`
    : html`<p>No Dialpad user linked or with this primary email.</p>`;
  const link = e.link
    ? `Okta user ${e.link.oktaUserId} ↔ Dialpad user ${e.link.dialpadUserId} (${e.link.origin === 'created' ? 'created by dialsync' : 'adopted by email'})`
    : 'none';
  const rules = dataTable({
    headers: ['Decision', 'Choice', 'Why'],
    rows: [
      ...(e.office ? [['Office', e.office.officeName ? `${e.office.officeName} (${e.office.officeId}), rule ${e.office.rule}` : 'none', e.office.explanation]] : []),
      ...(e.license ? [['License', `${e.license.license ?? 'unknown'} (${e.license.source})`, e.license.explanation]] : []),
      ...(e.number ? [['Number', `${e.number.kind}${e.number.number ? ` ${e.number.number}` : e.number.areaCode ? ` (area code ${e.number.areaCode})` : ''}`, e.number.explanation]] : []),
    ],
    empty: 'No rule applies: the user is not assigned to the app.',
  });
  const warnings = [...new Set([...(e.office?.warnings ?? []), ...e.next.warnings])];
  return html`<section aria-labelledby="okta-h"><h2 id="okta-h">Okta</h2>${okta}</section>
<section aria-labelledby="dialpad-h"><h2 id="dialpad-h">Dialpad</h2>${dialpad}
<p>Link: ${link}</p>${e.scope ? html`<p>Scope: ${e.scope.inScope ? 'in' : 'out'}: ${e.scope.reason}</p>` : ''}${e.relink ? html`<p>Re-hire: the next run takes over the link of Dialpad user ${e.relink.dialpadUserId} from Okta user ${e.relink.previousOktaUserId} (${e.relink.cause.replace('_', ' ')}).</p>` : ''}</section>
<section aria-labelledby="rules-h"><h2 id="rules-h">The rules' choices</h2>${rules}</section>
${e.drift && e.drift.length > 0 ? html`<section aria-labelledby="drift-h"><h2 id="drift-h">Drift</h2>${dataTable({ headers: ['Field', 'Last applied', 'Okta', 'Dialpad', 'Policy', 'Decision'], rows: e.drift.map((f) => [f.field, driftCell(f, 'applied'), driftCell(f, 'okta'), driftCell(f, 'dialpad'), f.policy, f.decision === 'in_step' ? 'in step' : f.decision]), empty: '' })}</section>` : ''}
${warnings.length > 0 ? html`<section aria-labelledby="warnings-h"><h2 id="warnings-h">Warnings (${warnings.length})</h2><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></section>` : ''}
<section aria-labelledby="next-h"><h2 id="next-h">Next run</h2>
<p>${e.next.summary}</p>
${dataTable({ headers: ['Action', 'Reason'], rows: e.next.actions.map((a) => [actionLabel(a), a.reason]), empty: 'No action planned.' })}
${e.next.withheld.length > 0 ? dataTable({ caption: 'Held back', headers: ['Action', 'Reason'], rows: e.next.withheld.map((w) => [stepTitle(w.kind), consoleReason(w.reason)]), empty: '' }) : ''}
${e.next.skipped.length > 0 ? dataTable({ caption: 'Skipped', headers: ['Code', 'Reason'], rows: e.next.skipped.map((s) => [html`<code>${s.code}</code>`, s.reason]), empty: '' }) : ''}
</section>`;
}

function actionLabel(action: Action): string {
  const title = ACTION_TITLES[action.kind];
  if (action.kind === 'update') return `${title}: ${action.changes.map((c) => c.field).join(', ')}`;
  if (action.kind === 'assign_number') return `${title}: ${action.number ?? (action.areaCode ? `area code ${action.areaCode}` : 'Dialpad chooses')}`;
  return title;
}
