// User search (GET /users?q= and /api/users?q=): by email over the links, the recorded failures, what is held and
// the actions of the recent runs: every user dialsync manages or touched lately. The store keeps no names, so a
// name is found when it is part of the email (ann.lee@...).
import { z } from 'zod';
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

/** One user found: the email, its ids when known, and where it was found. */
export interface FoundUser {
  email: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  /** How it is linked (created or adopted by dialsync), or null when not linked. */
  link: string | null;
  /** Where it was found: link, failure, held, run. */
  foundIn: string[];
}

/** What GET /users shows and GET /api/users answers. */
export interface UsersPage {
  q: string;
  users: FoundUser[];
  /** More matched than USER_RESULTS. */
  truncated: boolean;
}

/** Searches users whose email contains `query.q` (case-insensitively). Throws what the store throws. */
export async function searchUsers(deps: ConsoleDeps, query: UsersQuery): Promise<UsersPage> {
  const q = query.q.toLowerCase();
  if (q === '') return { q: query.q, users: [], truncated: false };
  const { store } = deps;
  const [links, failures, held, recent] = await Promise.all([store.links.search(q, USER_RESULTS + 1), store.userErrors.all(), store.held.list(), store.runs.page({ limit: RECENT_RUNS, offset: 0 })]);
  const actionPages = await Promise.all(recent.runs.map((run) => store.runActions.forRun(run.id, { limit: 5000, offset: 0 })));
  const found = new Map<string, FoundUser>();
  const add = (email: string | null, where: string, ids: { oktaUserId?: string | null; dialpadUserId?: string | null; link?: string | null }): void => {
    if (!email || !email.toLowerCase().includes(q)) return;
    const key = email.toLowerCase();
    const user = found.get(key) ?? { email, oktaUserId: null, dialpadUserId: null, link: null, foundIn: [] };
    user.oktaUserId ??= ids.oktaUserId ?? null;
    user.dialpadUserId ??= ids.dialpadUserId ?? null;
    user.link ??= ids.link ?? null;
    if (!user.foundIn.includes(where)) user.foundIn.push(where);
    found.set(key, user);
  };
  for (const link of links) add(link.email, 'link', { oktaUserId: link.oktaUserId, dialpadUserId: link.dialpadUserId, link: link.origin });
  for (const failure of failures) add(failure.email, 'failure', { oktaUserId: failure.oktaUserId });
  for (const action of held) add(action.email, 'held', action);
  for (const page of actionPages) for (const action of page.actions) add(action.email, 'run', action);
  const users = [...found.values()].sort((a, b) => a.email.localeCompare(b.email));
  return { q: query.q, users: users.slice(0, USER_RESULTS), truncated: users.length > USER_RESULTS };
}

/** The users page's body: the search form and the users found. */
export function renderUsers(view: UsersPage): Html {
  const form = html`<form method="get" action="/users" class="filters" role="search">
<label>Email or name <input type="search" name="q" value="${view.q}" autofocus></label>
<button type="submit">Search</button>
</form>`;
  if (view.q === '') return html`${form}<p>Search the users dialsync links, has seen fail, holds or acted on in its last ${RECENT_RUNS} runs. Open a user for what each side holds, the rules' choices and what the next run would do.</p>`;
  return html`${form}${dataTable({
    headers: ['User', 'Okta user', 'Dialpad user', 'Link', 'Found in'],
    rows: view.users.map((u) => [userLink(u.email), u.oktaUserId ?? '—', u.dialpadUserId ?? '—', u.link ?? 'not linked', u.foundIn.join(', ')]),
    empty: `No user matches "${view.q}". Open /users/EMAIL to explain any email, linked or not.`,
  })}${view.truncated ? html`<p class="detail">The first ${USER_RESULTS} are shown: narrow the search.</p>` : ''}`;
}
