// Held changes (GET /held and /api/held): the suspends and deletes the guards hold right now, user by user, and
// the admin's approve and dismiss (POST /held/approve, /held/dismiss and their /api twins).
import { z } from 'zod';
import { stepTitle } from '../../plan/action-titles.js';
import { nextFullRun, type ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import type { Principal } from '../principal.js';
import { SelectionNotFoundError, type HeldSelection } from '../selection.js';
import type { HeldAction } from '../../store/held-actions.js';
import { dataTable, when } from '../table.js';
import { decision, userLink } from './run.js';
import { consoleReason } from '../held-reason.js';

/**
 * The query of GET /held: after a decision the page says what was done (`?approved=3`, `?dismissed=1`, with
 * `&unknown=1` for actions selected that were no longer held), or why nothing was (`?none=ticked`: the form was
 * posted with nothing ticked; `?none=held`: none of the actions ticked is held any more).
 */
export const heldQuery = z.object({
  approved: z.coerce.number().int().min(0).optional(),
  dismissed: z.coerce.number().int().min(0).optional(),
  unknown: z.coerce.number().int().min(0).optional(),
  none: z.enum(['ticked', 'held']).optional(),
});

/** The parsed query of GET /held. */
export type HeldQuery = z.output<typeof heldQuery>;

/** What GET /held shows and GET /api/held answers. */
export interface HeldPage {
  /** Held right now, oldest first. */
  held: HeldAction[];
  /** How long an approval lasts (hours): a run after that holds the action again. */
  approvalTtlHours: number;
  /** ISO 8601: when the next scheduled full run (which applies approved actions) is due; null when unknown. */
  nextFullRun: string | null;
}

/** Reads what is held now. Throws what the store throws. */
export async function loadHeld(deps: ConsoleDeps): Promise<HeldPage> {
  return { held: await deps.store.held.list(), approvalTtlHours: deps.approvalTtlHours, nextFullRun: nextFullRun(deps)?.at ?? null };
}

/** What a decision did: the held actions changed, and the ids given that match no held action (left alone). */
export interface HeldDecision {
  actions: HeldAction[];
  unknown: number[];
}

/**
 * Approves (the next run applies exactly these actions, if still planned for the same users, until now +
 * approvalTtlHours) or dismisses (they stay held; the decision is recorded) the `selection`, as `principal`'s
 * actor. The store writes each decision's audit event with it. Resolves with the held actions changed and the ids
 * that matched none (`all` with nothing held changes nothing and is no error).
 * @throws SelectionNotFoundError (field `ids`) when none of the ids given is held: nothing is changed.
 */
export async function decideHeld(deps: ConsoleDeps, principal: Principal, verb: 'approve' | 'dismiss', selection: HeldSelection): Promise<HeldDecision> {
  const ids = 'all' in selection ? 'all' : [...new Set(selection.ids)];
  const expiresAt = new Date(deps.now().getTime() + deps.approvalTtlHours * 3_600_000);
  const actions = verb === 'dismiss' ? await deps.store.held.dismiss(ids, principal.actor) : await deps.store.held.approve(ids, principal.actor, expiresAt);
  if (ids === 'all') return { actions, unknown: [] };
  const changed = new Set(actions.map((action) => action.id));
  const unknown = ids.filter((id) => !changed.has(id));
  if (actions.length === 0) throw new SelectionNotFoundError('ids', unknown);
  return { actions, unknown };
}

/** The held page's body: a confirmation of the last decision, the table, and for an admin the decision form. */
export function renderHeld(view: HeldPage, query: HeldQuery, principal: Principal | null, csrfToken: string): Html {
  const admin = principal?.role === 'admin';
  const done =
    query.approved !== undefined
      ? html`<p class="confirmation" role="status">Approved ${query.approved} held action${query.approved === 1 ? '' : 's'}: the next run applies ${query.approved === 1 ? 'it' : 'them'} if still planned for the same users, within ${view.approvalTtlHours} h. Approved actions are applied by the next full run${view.nextFullRun ? html` (${when(view.nextFullRun)})` : ''} or press Run now.</p>`
      : query.dismissed !== undefined
        ? html`<p class="confirmation" role="status">Dismissed ${query.dismissed} held action${query.dismissed === 1 ? '' : 's'}: ${query.dismissed === 1 ? 'it stays' : 'they stay'} held.</p>`
        : query.none === 'ticked'
          ? html`<p class="note" role="status">Tick at least one action first.</p>`
          : query.none === 'held'
            ? html`<p class="note" role="status">None of the actions ticked is held any more: nothing was changed.</p>`
            : '';
  const gone = query.unknown ? html`<p class="note" role="status">${query.unknown} of the actions ticked ${query.unknown === 1 ? 'was' : 'were'} no longer held: left alone.</p>` : '';
  const table = dataTable({
    headers: [admin ? html`<input type="checkbox" class="select-all" aria-label="Select all" data-select="ids">` : '', 'User', 'Action', 'Gate', 'Reason', 'Held since', 'Run', 'Decision'],
    rows: view.held.map((h) => [
      admin ? html`<input type="checkbox" name="ids" value="${h.id}" aria-label="Select ${h.email}">` : '',
      userLink(h.email),
      stepTitle(h.kind),
      h.gate,
      consoleReason(h.reason),
      when(h.heldAt),
      html`<a href="/runs/${encodeURIComponent(h.runId)}">run</a>`,
      decision(h),
    ]),
    empty: 'Nothing is held: the guards let every planned change through.',
  });
  const intro = html`<p>Approve lets exactly these actions through: the next run applies each only if it still plans it for the same user (anything new is held again); an approval lasts ${view.approvalTtlHours} h. Dismiss keeps them held and records the decision. The command-line ways out a run prints (<code>--allow-mass-changes</code>, a setting) let every such change of a run through, re-planned, where Approve lets through only the actions listed here.</p>`;
  if (!admin || view.held.length === 0) return html`${done}${gone}${intro}${table}`;
  return html`${done}${gone}${intro}<form method="post" action="/held/approve" class="decisions">
<input type="hidden" name="_csrf" value="${csrfToken}">
${table}
<div class="buttons">
<button type="submit">Approve selected</button>
<button type="submit" name="all" value="true">Approve all</button>
<button type="submit" formaction="/held/dismiss" class="secondary">Dismiss selected</button>
</div>
</form>`;
}
