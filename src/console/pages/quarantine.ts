// Quarantine and failing users (GET /quarantine and /api/quarantine): each with its last error, cause code and
// since when; the admin's release of one, a selection, every user sharing a cause, or all (POST
// /quarantine/release and its /api twin), each released user audited with the actor.
import { z } from 'zod';
import { stepTitle } from '../../plan/action-titles.js';
import type { UserError } from '../../store/user-errors.js';
import { quarantineAfter, type ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import type { Principal } from '../principal.js';
import { SelectionNotFoundError, type ReleaseSelection } from '../selection.js';
import { badge, dataTable, when } from '../table.js';
import { userLink } from './run.js';

/**
 * The query of GET /quarantine: after a release the page says how many (`?released=2`, with `&unknown=1` for users
 * selected that were no longer failing), or why none (`?none=ticked`: nothing ticked; `?none=failing`: none of those
 * users is failing any more).
 */
export const quarantineQuery = z.object({
  released: z.coerce.number().int().min(0).optional(),
  unknown: z.coerce.number().int().min(0).optional(),
  none: z.enum(['ticked', 'failing']).optional(),
});

/** The parsed query of GET /quarantine. */
export type QuarantineQuery = z.output<typeof quarantineQuery>;

/** A failing user as the page lists it: its last failure, and whether runs leave it alone now. */
export type FailingUser = UserError & { quarantined: boolean };

/** What GET /quarantine shows and GET /api/quarantine answers. */
export interface QuarantinePage {
  /** Failing runs in a row before a user is quarantined (safety.quarantineAfter; 0: off). */
  quarantineAfter: number;
  /** Users with a failing run counted, newest failure first (released users are left out until they fail again). */
  users: FailingUser[];
  /** The cause codes among them, with how many users each (most first): what "release all with this cause" takes. */
  causes: { cause: string; users: number }[];
}

/** Reads the failing and quarantined users. Throws what the store throws. */
export async function loadQuarantine(deps: ConsoleDeps): Promise<QuarantinePage> {
  const threshold = quarantineAfter(deps);
  const failing = await deps.store.userErrors.failing();
  const users = failing.map((user) => ({ ...user, quarantined: threshold > 0 && user.consecutiveFailures >= threshold }));
  const counts = new Map<string, number>();
  for (const user of users) if (user.cause) counts.set(user.cause, (counts.get(user.cause) ?? 0) + 1);
  const causes = [...counts].map(([cause, n]) => ({ cause, users: n })).sort((a, b) => b.users - a.users || a.cause.localeCompare(b.cause));
  return { quarantineAfter: threshold, users, causes };
}

/**
 * Releases the `selection` (the next run tries those users again; each is quarantined again only after
 * quarantineAfter more failing runs of its own) and records a `release` audit event per user with
 * `principal`'s actor, as `dialsync release` does. Resolves with the users released and the user keys given that
 * match no failing user (`all` with nobody failing releases nobody and is no error).
 * @throws SelectionNotFoundError (field `userKeys` or `cause`) when the keys or the cause match no failing user.
 */
export async function releaseUsers(deps: ConsoleDeps, principal: Principal, selection: ReleaseSelection): Promise<{ released: UserError[]; unknown: string[] }> {
  const { userErrors, audit } = deps.store;
  const released =
    'all' in selection ? await userErrors.releaseAll() : 'cause' in selection ? await userErrors.releaseCause(selection.cause) : await userErrors.releaseKeys(selection.userKeys);
  // The selector as `dialsync release` records it ({ all } / { cause }), or the keys selected on the page.
  const selector = 'all' in selection ? { all: true } : 'cause' in selection ? { cause: selection.cause } : { selected: true };
  await audit.recordEach(
    released.map((user) => ({ actor: principal.actor, action: 'release' as const, target: user.email ?? user.userKey, detail: { userKey: user.userKey, cause: user.cause, ...selector } })),
  );
  if ('all' in selection) return { released, unknown: [] };
  if ('cause' in selection) {
    if (released.length === 0) throw new SelectionNotFoundError('cause', [selection.cause]);
    return { released, unknown: [] };
  }
  const found = new Set(released.map((user) => user.userKey));
  const unknown = [...new Set(selection.userKeys)].filter((key) => !found.has(key));
  if (released.length === 0) throw new SelectionNotFoundError('userKeys', unknown);
  return { released, unknown };
}

/** The quarantine page's body: a confirmation of the last release, the causes, the users, and for an admin the release form. */
export function renderQuarantine(view: QuarantinePage, query: QuarantineQuery, principal: Principal | null, csrfToken: string): Html {
  const admin = principal?.role === 'admin';
  const done =
    query.released !== undefined
      ? html`<p class="confirmation" role="status">Released ${query.released} user${query.released === 1 ? '' : 's'}: the next run tries ${query.released === 1 ? 'it' : 'them'} again.</p>`
      : query.none === 'ticked'
        ? html`<p class="note" role="status">Tick at least one user first.</p>`
        : query.none === 'failing'
          ? html`<p class="note" role="status">None of those users is failing any more: nothing was changed.</p>`
          : '';
  const gone = query.unknown ? html`<p class="note" role="status">${query.unknown} of the users selected ${query.unknown === 1 ? 'was' : 'were'} no longer failing: left alone.</p>` : '';
  const intro = html`<p>${view.quarantineAfter > 0 ? `A user failing ${view.quarantineAfter === 1 ? 'a run' : `${view.quarantineAfter} runs in a row`} is quarantined: runs leave it alone until its Okta data changes or it is released.` : 'Quarantine is off (safety.quarantineAfter is 0): failing users are tried on every run.'}</p>`;
  const causes = dataTable({
    caption: 'Causes',
    headers: ['Cause', 'Users', admin ? 'Release' : ''],
    rows: view.causes.map((c) => [
      html`<code>${c.cause}</code>`,
      c.users,
      admin ? html`<button type="submit" name="cause" value="${c.cause}" class="secondary">Release all with this cause</button>` : '',
    ]),
    empty: '',
  });
  const table = dataTable({
    headers: [admin ? html`<input type="checkbox" class="select-all" aria-label="Select all" data-select="userKeys">` : '', 'User', 'State', 'Failed action', 'Runs in a row', 'Since', 'Last failure', 'Last error', 'Cause', admin ? 'Release' : ''],
    rows: view.users.map((u) => [
      admin ? html`<input type="checkbox" name="userKeys" value="${u.userKey}" aria-label="Select ${u.email ?? u.userKey}">` : '',
      u.email ? userLink(u.email) : u.userKey,
      badge(u.quarantined ? 'quarantined' : 'failing'),
      stepTitle(u.action),
      u.consecutiveFailures,
      when(u.firstFailedAt),
      html`<a href="/runs/${encodeURIComponent(u.runId)}">${when(u.lastFailedAt)}</a>`,
      html`<span class="message">${u.message}</span>`,
      u.cause ? html`<code>${u.cause}</code>` : '—',
      admin ? html`<button type="submit" name="one" value="${u.userKey}" class="secondary">Release</button>` : '',
    ]),
    empty: 'No user is failing or quarantined.',
  });
  if (!admin || view.users.length === 0) return html`${done}${gone}${intro}${causes}${table}`;
  return html`${done}${gone}${intro}<form method="post" action="/quarantine/release" class="decisions">
<input type="hidden" name="_csrf" value="${csrfToken}">
${causes}
${table}
<div class="buttons">
<button type="submit">Release selected</button>
<button type="submit" name="all" value="true" class="secondary">Release all</button>
</div>
</form>`;
}
