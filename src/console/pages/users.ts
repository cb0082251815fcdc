// User search (GET /users?q= and /api/users?q=): the users assigned to the Okta app whose name or email starts with
// the query (when the console can ask Okta), merged with what the store knows by email: the links, the recorded
// failures, what is held and the actions of the recent runs (every user dialsync manages or touched lately, assigned
// or not). Okta failing leaves the store's matches and a note, not an error page.
import { z } from 'zod';
import { describeError } from '../../errors/describe-error.js';
import type { AssignedUser } from '../assigned-user-search.js';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import { dataTable } from '../table.js';
import { userLink } from './run.js';

/** Results shown at most. */
export const USER_RESULTS = 100;
/** Recent runs whose actions are searched too (users acted on lately, linked or not). */
const RECENT_RUNS = 5;

/** The query of GET /users: ?q=ann (empty: the search form alone). */
export const usersQuery = z.object({ q: z.string().trim().max(320).default('') });

/** The parsed query of GET /users. */
export type UsersQuery = z.output<typeof usersQuery>;

/** Where a user was found: assigned in Okta, or the store's link, failure, held action or a recent run's action. */
export type FoundIn = 'okta' | 'link' | 'failure' | 'held' | 'run';

/** One user found: the email, the name when Okta gave it, the ids when known, whether dialsync manages it, where it was found. */
export interface FoundUser {
  /** The email dialsync keys the user by (for an Okta user without a usable one: its login). */
  email: string;
  /** First and last name from Okta; null when the user was found in the store only. */
  name: string | null;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  /** How it is linked (created or adopted by dialsync), or null when not linked. */
  link: string | null;
  /** dialsync manages the user: a link ties it to its Dialpad user. */
  managed: boolean;
  /** The Okta user's status, when found in Okta. */
  oktaStatus: string | null;
  foundIn: FoundIn[];
}

/** What GET /users shows and GET /api/users answers. */
export interface UsersPage {
  q: string;
  users: FoundUser[];
  /** More matched than shown (more than USER_RESULTS, or Okta had more than its one page). */
  truncated: boolean;
  /** Whether the users assigned in Okta were searched: `searched`, `unavailable` (not configured) or `failed` (see oktaError). */
  okta: 'searched' | 'unavailable' | 'failed';
  /** Why the Okta search failed (no secret: the OktaError's description), or null. */
  oktaError: string | null;
}

/**
 * Searches users by `query.q`: Okta's assigned users whose name, email or login starts with it (deps.searchUsers,
 * when given), and the store's users whose email contains it (case-insensitively). Throws what the store throws;
 * an Okta failure is reported in the page (`okta: 'failed'`).
 */
export async function searchUsers(deps: ConsoleDeps, query: UsersQuery): Promise<UsersPage> {
  const q = query.q.toLowerCase();
  const unavailable = deps.searchUsers === undefined ? 'unavailable' : 'searched';
  if (q === '') return { q: query.q, users: [], truncated: false, okta: unavailable, oktaError: null };
  const { store } = deps;
  const oktaSearch = deps.searchUsers
    ? deps.searchUsers(query.q).then(
        (found) => ({ found, error: null }),
        (error: unknown) => ({ found: null, error: describeError(error) }),
      )
    : Promise.resolve({ found: null, error: null });
  const [okta, links, failures, held, recent] = await Promise.all([
    oktaSearch,
    store.links.search(q, USER_RESULTS + 1),
    store.userErrors.all(),
    store.held.list(),
    store.runs.page({ limit: RECENT_RUNS, offset: 0 }),
  ]);
  const actionPages = await Promise.all(recent.runs.map((run) => store.runActions.forRun(run.id, { limit: 5000, offset: 0 })));
  const found = new Map<string, FoundUser>();
  const byOktaId = new Map<string, FoundUser>();
  const add = (email: string | null, where: FoundIn, ids: { oktaUserId?: string | null; dialpadUserId?: string | null; link?: string | null }): void => {
    if (!email || !email.toLowerCase().includes(q)) return;
    const key = email.toLowerCase();
    const user = found.get(key) ?? { email, name: null, oktaUserId: null, dialpadUserId: null, link: null, managed: false, oktaStatus: null, foundIn: [] };
    user.oktaUserId ??= ids.oktaUserId ?? null;
    user.dialpadUserId ??= ids.dialpadUserId ?? null;
    user.link ??= ids.link ?? null;
    user.managed = user.link !== null;
    if (!user.foundIn.includes(where)) user.foundIn.push(where);
    found.set(key, user);
    if (user.oktaUserId !== null) byOktaId.set(user.oktaUserId, user);
  };
  for (const link of links) add(link.email, 'link', { oktaUserId: link.oktaUserId, dialpadUserId: link.dialpadUserId, link: link.origin });
  for (const failure of failures) add(failure.email, 'failure', { oktaUserId: failure.oktaUserId });
  for (const action of held) add(action.email, 'held', action);
  for (const page of actionPages) for (const action of page.actions) add(action.email, 'run', action);
  for (const assigned of okta.found?.users ?? []) await addAssigned(deps, found, byOktaId, assigned);
  const users = [...found.values()].sort((a, b) => a.email.localeCompare(b.email));
  return {
    q: query.q,
    users: users.slice(0, USER_RESULTS),
    truncated: users.length > USER_RESULTS || (okta.found?.more ?? false),
    okta: okta.error !== null ? 'failed' : unavailable,
    oktaError: okta.error,
  };
}

/** Merges a user Okta found into `found`: onto the store's entry for its Okta id or email, else with its link looked up. */
async function addAssigned(deps: ConsoleDeps, found: Map<string, FoundUser>, byOktaId: Map<string, FoundUser>, assigned: AssignedUser): Promise<void> {
  const email = assigned.email ?? assigned.login ?? assigned.oktaUserId;
  const known = byOktaId.get(assigned.oktaUserId) ?? found.get(email.toLowerCase());
  if (known) {
    known.name ??= assigned.name;
    known.oktaUserId ??= assigned.oktaUserId;
    known.oktaStatus = assigned.status;
    if (!known.foundIn.includes('okta')) known.foundIn.unshift('okta');
    return;
  }
  const link = await deps.store.links.byOktaUserId(assigned.oktaUserId);
  const user: FoundUser = {
    email,
    name: assigned.name,
    oktaUserId: assigned.oktaUserId,
    dialpadUserId: link?.dialpadUserId ?? null,
    link: link?.origin ?? null,
    managed: link !== null,
    oktaStatus: assigned.status,
    foundIn: link ? ['okta', 'link'] : ['okta'],
  };
  found.set(email.toLowerCase(), user);
  byOktaId.set(assigned.oktaUserId, user);
}

/** The users page's body: the search form, a note when Okta could not be searched, and the users found. */
export function renderUsers(view: UsersPage): Html {
  const form = html`<form method="get" action="/users" class="filters" role="search">
<label>Email or name <input type="search" name="q" value="${view.q}" autofocus></label>
<button type="submit">Search</button>
</form>`;
  const scope =
    view.okta === 'unavailable'
      ? `Searches the users dialsync links, has seen fail, holds or acted on in its last ${RECENT_RUNS} runs, by email.`
      : `Searches the users assigned to the app in Okta by the start of their first name, last name or email, and the users dialsync links, has seen fail, holds or acted on in its last ${RECENT_RUNS} runs, by email.`;
  if (view.q === '') return html`${form}<p>${scope} Open a user for what each side holds, the rules' choices and what the next run would do.</p>`;
  const note =
    view.okta === 'failed'
      ? html`<p class="error" role="status">Okta could not be searched (${view.oktaError ?? 'unknown error'}): these are dialsync's own records only, found by email.</p>`
      : '';
  return html`${form}${note}${dataTable({
    headers: ['User', 'Name', 'Managed by dialsync', 'Okta user', 'Dialpad user', 'Found in'],
    rows: view.users.map((u) => [
      userLink(u.email),
      u.name ?? '—',
      u.managed ? `yes (${u.link ?? 'linked'})` : u.oktaStatus !== null ? 'not yet: assigned in Okta, no link' : 'no',
      u.oktaUserId ? html`${u.oktaUserId}${u.oktaStatus ? html` <span class="detail">${u.oktaStatus}</span>` : ''}` : '—',
      u.dialpadUserId ?? '—',
      u.foundIn.map(foundInWords).join(', '),
    ]),
    empty: `No user matches "${view.q}". Open /users/EMAIL to explain any email, linked or not.`,
  })}${view.truncated ? html`<p class="detail">There are more matches than shown: narrow the search.</p>` : ''}`;
}

function foundInWords(where: FoundIn): string {
  return { okta: 'assigned in Okta', link: 'link', failure: 'failure', held: 'held', run: 'recent run' }[where];
}
