// Run now (POST /runs/request and /api/runs/request): an admin asks for a full run, for instance right after
// approving held changes. The console may be served by a follower, so it does not run anything itself: the request
// goes through the store and the leader starts the run when it next renews its lease (within
// lock.renewIntervalSeconds), joining a full run already going. The overview and the held page carry the button;
// the overview says when a request waits, who asked and since when.
import { z } from 'zod';
import { configDefaults } from '../../config/schema.js';
import type { RunRequest, RunRequestResult } from '../../store/run-requests.js';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import type { Principal } from '../principal.js';
import { when } from '../table.js';

/** The query of GET / after a Run now: `?run=requested` shows the note. */
export const runNowQuery = z.object({ run: z.enum(['requested']).optional() });

/** What the Run now section shows: the request waiting for the leader, if any, and how soon the leader looks. */
export interface RunNowView {
  /** The request no leader has taken yet, or null. */
  pending: RunRequest | null;
  /** lock.renewIntervalSeconds: the leader looks for a request this often. */
  startsWithinSeconds: number;
}

/** What POST /api/runs/request answers (202): the request, whether it is new, and how soon the leader looks. */
export interface RunNowAnswer extends RunRequestResult {
  startsWithinSeconds: number;
}

/** Reads the waiting request. Throws what the store throws. */
export async function loadRunNow(deps: ConsoleDeps): Promise<RunNowView> {
  return { pending: await deps.store.runRequests.pending(), startsWithinSeconds: renewIntervalSeconds(deps) };
}

/**
 * Asks the leader for a full run as `principal`'s actor; the store audits it (`run_requested`) in the same
 * transaction. A request already waiting is returned instead of a second one. Throws what the store throws.
 */
export async function requestRun(deps: ConsoleDeps, principal: Principal): Promise<RunNowAnswer> {
  const result = await deps.store.runRequests.request(principal.actor);
  return { ...result, startsWithinSeconds: renewIntervalSeconds(deps) };
}

/**
 * The Run now section: the note after a request (`requested`), the waiting request with who asked and since
 * when, and for an admin the button (a form carrying the CSRF token). Empty for a viewer when nothing waits.
 */
export function renderRunNow(view: RunNowView, args: { principal: Principal | null; csrfToken: string; requested: boolean }): Html {
  const note = args.requested ? html`<p class="confirmation" role="status">A full run was requested; the leader starts it within ${view.startsWithinSeconds} s.</p>` : '';
  const pending = view.pending
    ? html`<p class="pending-run">A full run requested by ${view.pending.requestedBy} since ${when(view.pending.requestedAt)} waits for the leader.</p>`
    : '';
  const button =
    args.principal?.role === 'admin'
      ? html`<form method="post" action="/runs/request" class="run-now-form">
<input type="hidden" name="_csrf" value="${args.csrfToken}">
<button type="submit">Run now</button> <span class="detail">a full run, started by the leader within ${view.startsWithinSeconds} s (after the run going now, if any)</span>
</form>`
      : '';
  if (note === '' && pending === '' && button === '') return html``;
  return html`<section class="run-now" aria-label="Run now">${note}${pending}${button}</section>`;
}

/** lock.renewIntervalSeconds as the effective settings say (its default when they do not list it). */
function renewIntervalSeconds(deps: Pick<ConsoleDeps, 'settings'>): number {
  const row = deps.settings().find((setting) => setting.key === 'lock.renewIntervalSeconds');
  return typeof row?.value === 'number' ? row.value : configDefaults().lock.renewIntervalSeconds;
}
