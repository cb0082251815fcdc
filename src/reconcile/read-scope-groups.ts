// Reading the scoping groups' members (config scope.groups) for the planner's PlanInput.scopeGroups. A full run
// reads each group's members once, paged (listGroupUsers, 200 a page: 500 requests for a group of 100,000), in
// parallel with the listings; a targeted run reads only its users' groups, one request per user (listUserGroups).
// Only ids are kept. Any failure fails the run: planning suspends from a partial membership would retire
// members that were simply not read.
import pLimit from 'p-limit';
import type { OktaGateway } from '../okta/types.js';
import type { Rules, ScopeGroupMembership } from '../plan/types.js';

/**
 * The members of every scoping group (full run): names resolved to ids, then each group's members listed. undefined
 * when scope.groups is empty. Throws ScopeGroupError for an entry Okta does not know, OktaError when a read fails.
 */
export async function readScopeGroupMembers(okta: OktaGateway, rules: Pick<Rules, 'scope'>): Promise<ScopeGroupMembership | undefined> {
  if (rules.scope.groups.length === 0) return undefined;
  const groups = await okta.resolveGroups(rules.scope.groups);
  const members = await Promise.all(groups.map(async (group) => [group.id, await okta.listGroupMemberIds(group.id)] as const));
  return { groups, members: new Map(members) };
}

/**
 * The scoping groups' members among `oktaUserIds` only (targeted runs): each user's groups read by id, one
 * request per user, `concurrency` at a time. undefined when scope.groups is empty. Throws as readScopeGroupMembers.
 */
export async function readScopeGroupsOf(
  okta: OktaGateway,
  rules: Pick<Rules, 'scope'>,
  oktaUserIds: readonly string[],
  concurrency: number,
): Promise<ScopeGroupMembership | undefined> {
  if (rules.scope.groups.length === 0) return undefined;
  const groups = await okta.resolveGroups(rules.scope.groups);
  const membership: ScopeGroupMembership = { groups, members: new Map(groups.map((group) => [group.id, new Set<string>()])) };
  return addUserGroups(okta, membership, oktaUserIds, concurrency);
}

/**
 * `membership` with the scoping groups of more users added (read by id, one request each): the link owners a
 * targeted run reads after its own users. Returns a new membership; throws OktaError when a read fails.
 */
export async function addUserGroups(
  okta: OktaGateway,
  membership: ScopeGroupMembership,
  oktaUserIds: readonly string[],
  concurrency: number,
): Promise<ScopeGroupMembership> {
  const members = new Map([...membership.members].map(([id, set]) => [id, new Set(set)]));
  const limit = pLimit(concurrency);
  await Promise.all(
    [...new Set(oktaUserIds)].map((oktaUserId) =>
      limit(async () => {
        for (const groupId of await okta.listUserGroupIds(oktaUserId)) members.get(groupId)?.add(oktaUserId);
      }),
    ),
  );
  return { groups: membership.groups, members };
}
