// The Okta Groups API as the sandbox serves it (management API spec: listGroups, getGroup, listGroupUsers,
// listUserGroups): what dialsync reads to resolve its scoping groups and their members.
import type { SandboxRequest } from '../http/server.js';
import type { OktaDirectory, OktaUserRecord } from './directory.js';
import { OktaSandboxError } from './errors.js';
import { userJson } from './wire.js';

/** An HTTP answer of the groups routes. */
export interface GroupsReply {
  status: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

/** listGroupUsers' default limit (the spec's: 1000). */
const MEMBERS_DEFAULT_LIMIT = 1000;
/** listGroups' page limit when none is given, and its most. */
const GROUPS_DEFAULT_LIMIT = 200;
const GROUPS_MAX_LIMIT = 10_000;
/** A `q` query is not paged: at most this many (the spec: "The default limit for a query is 300 results"). */
const QUERY_LIMIT = 300;

/** A Group object (id, type, profile.name; the timestamps are the sandbox's start). */
function groupJson(baseUrl: string, group: { id: string; name: string }, created: Date): Record<string, unknown> {
  const at = created.toISOString();
  return {
    id: group.id,
    created: at,
    lastUpdated: at,
    lastMembershipUpdated: at,
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    profile: { name: group.name, description: null },
    _links: { self: { href: `${baseUrl}/api/v1/groups/${group.id}` }, users: { href: `${baseUrl}/api/v1/groups/${group.id}/users` } },
  };
}

function parseLimit(raw: string | null, fallback: number, most: number): number {
  if (raw === null || raw === '') return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw OktaSandboxError.validation('limit', ['limit: must be a positive integer']);
  return Math.min(limit, most);
}

/**
 * The one search the sandbox understands: `profile.name eq "…"` (Okta compares names without regard to case),
 * `profile.name sw "…"`, or `id eq "…"`; anything else is refused as Okta refuses an invalid filter.
 */
function searchPredicate(search: string): (group: { id: string; name: string }) => boolean {
  const match = /^\s*(profile\.name|id)\s+(eq|sw)\s+"((?:[^"\\]|\\.)*)"\s*$/.exec(search);
  if (match === null) throw OktaSandboxError.validation('search', [`search: Invalid search criteria: ${search}`]);
  const [, property, operator, literal] = match as unknown as [string, string, string, string];
  const value = literal.replace(/\\(.)/g, '$1').toLowerCase();
  const of = (group: { id: string; name: string }): string => (property === 'id' ? group.id : group.name).toLowerCase();
  return operator === 'eq' ? (group) => of(group) === value : (group) => of(group).startsWith(value);
}

/** A page of `items` after the cursor `after` (an id among them), with Okta's Link header (self, next). */
function page<T>(items: readonly T[], idOf: (item: T) => string, request: SandboxRequest, base: string, limit: number): { items: T[]; links: string[] } {
  const after = request.query.get('after');
  let start = 0;
  if (after !== null) {
    const index = items.findIndex((item) => idOf(item) === after);
    if (index < 0) throw OktaSandboxError.validation('after', [`after: Invalid cursor ${after}`]);
    start = index + 1;
  }
  const slice = items.slice(start, start + limit);
  const links = [`<${base}${request.rawQuery === '' ? '' : `?${request.rawQuery}`}>; rel="self"`];
  const last = slice[slice.length - 1];
  if (last !== undefined && start + slice.length < items.length) {
    const next = new URLSearchParams(request.query);
    next.set('after', idOf(last));
    next.set('limit', String(limit));
    links.push(`<${base}?${next.toString()}>; rel="next"`);
  }
  return { items: slice, links };
}

/**
 * GET /api/v1/groups (listGroups): every group, or those a `search` or `q` (name starts with, not paged, at most
 * 300) selects; paged by `limit` and `after` with a Link header.
 */
export function serveGroupList(directory: OktaDirectory, baseUrl: string, created: Date, request: SandboxRequest): GroupsReply {
  const q = request.query.get('q');
  const search = request.query.get('search');
  let groups = directory.allGroups();
  if (q !== null) {
    const prefix = q.toLowerCase();
    const found = groups.filter((group) => group.name.toLowerCase().startsWith(prefix)).slice(0, parseLimit(request.query.get('limit'), QUERY_LIMIT, QUERY_LIMIT));
    return { status: 200, body: found.map((group) => groupJson(baseUrl, group, created)) };
  }
  if (search !== null) groups = groups.filter(searchPredicate(search));
  const { items, links } = page(groups, (group) => group.id, request, `${baseUrl}/api/v1/groups`, parseLimit(request.query.get('limit'), GROUPS_DEFAULT_LIMIT, GROUPS_MAX_LIMIT));
  return { status: 200, headers: { link: links }, body: items.map((group) => groupJson(baseUrl, group, created)) };
}

/** GET /api/v1/groups/{groupId} (getGroup); 404 for an unknown id. */
export function serveGroup(directory: OktaDirectory, baseUrl: string, created: Date, groupId: string): GroupsReply {
  const group = directory.findGroup(groupId);
  if (group === undefined) throw OktaSandboxError.notFound(groupId, 'UserGroup');
  return { status: 200, body: groupJson(baseUrl, group, created) };
}

/** GET /api/v1/groups/{groupId}/users (listGroupUsers): the members as User objects, paged (default limit 1000). */
export function serveGroupUsers(directory: OktaDirectory, baseUrl: string, groupId: string, request: SandboxRequest): GroupsReply {
  const members = directory.groupMembers(groupId);
  const limit = parseLimit(request.query.get('limit'), MEMBERS_DEFAULT_LIMIT, MEMBERS_DEFAULT_LIMIT);
  const { items, links } = page<OktaUserRecord>(members, (user) => user.id, request, `${baseUrl}/api/v1/groups/${groupId}/users`, limit);
  return { status: 200, headers: { link: links }, body: items.map((user) => userJson(baseUrl, user)) };
}

/** GET /api/v1/users/{userId}/groups (listUserGroups): the user's groups, not paged; 404 for an unknown user. */
export function serveUserGroups(directory: OktaDirectory, baseUrl: string, created: Date, userId: string): GroupsReply {
  if (directory.findUser(userId)?.id !== userId) throw OktaSandboxError.notFound(userId, 'User');
  return { status: 200, body: directory.groupsOf(userId).map((group) => groupJson(baseUrl, group, created)) };
}
