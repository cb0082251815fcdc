// Re-hires need one more look at Okta: a Dialpad user holding the email of a newly assigned Okta user may be
// linked to an older Okta account of the same person. Whether that account let go of it (deactivated,
// deleted, unassigned) is read here by id, for the planner's relink rule (plan/rules/relink-rule.ts). Reading it,
// rather than trusting its absence from a listing, also covers targeted runs, which list nobody else.
import pLimit from 'p-limit';
import type { DialpadUser } from '../dialpad/types.js';
import type { OktaAssignment, OktaGateway, OktaUserFate } from '../okta/types.js';
import { livePrimaryEmailKey } from '../plan/live-dialpad-user.js';
import { readDesiredEmail } from '../plan/rules/desired-user.js';
import { emailKey } from '../identity/email-identity.js';
import type { ScopeEvaluator } from '../plan/rules/scope-rule.js';
import type { Link, Rules } from '../plan/types.js';
import { readAssignment } from './read-assignment.js';

/** What was read of the owners: the assignments of those still assigned, the fates of the others. */
export interface LinkOwners {
  assignments: OktaAssignment[];
  fates: Record<string, OktaUserFate>;
}

/**
 * The owners of links that a re-hire could take over: the link's Okta user is not among `assignments`, its
 * Dialpad user is live and has as primary email the email of an assigned, in-scope Okta user that has no link
 * yet (and that `scoping`, when given, keeps in). Each such owner is read by id: its assignment, else its fate (skipped when `known` has it already).
 * Usually none: the scan only looks at Okta users without a link. Throws what the Okta gateway throws.
 */
export async function readLinkOwners(
  okta: OktaGateway,
  assignments: readonly OktaAssignment[],
  links: readonly Link[],
  dialpadUsers: readonly DialpadUser[],
  rules: Rules,
  known: Readonly<Record<string, OktaUserFate>>,
  concurrency: number,
  scoping?: ScopeEvaluator,
): Promise<LinkOwners> {
  const none: LinkOwners = { assignments: [], fates: {} };
  const assigned = new Set(assignments.map((a) => a.oktaUserId));
  const absentOwnerOf = new Map<string, Link>();
  for (const link of links) if (!assigned.has(link.oktaUserId)) absentOwnerOf.set(link.dialpadUserId, link);
  if (absentOwnerOf.size === 0) return none;
  const ownerByEmail = new Map<string, Link>();
  for (const user of dialpadUsers) {
    const link = absentOwnerOf.get(user.id);
    const key = link ? livePrimaryEmailKey(user) : null;
    if (link && key !== null) ownerByEmail.set(key, link);
  }
  if (ownerByEmail.size === 0) return none;

  const linked = new Set(links.map((link) => link.oktaUserId));
  const owners = new Set<string>();
  for (const assignment of assignments) {
    if (linked.has(assignment.oktaUserId) || !rules.inScopeStatuses.includes(assignment.status)) continue;
    // A newcomer scoping leaves out is not provisioned: it takes no link over.
    if (scoping?.isActive === true && !scoping.verdict(assignment).inScope) continue;
    const email = readDesiredEmail(assignment, rules.mapping);
    const owner = email.ok ? ownerByEmail.get(emailKey(email.email)) : undefined;
    if (owner && !Object.hasOwn(known, owner.oktaUserId)) owners.add(owner.oktaUserId);
  }
  if (owners.size === 0) return none;

  const limit = pLimit(concurrency);
  const found: LinkOwners = { assignments: [], fates: {} };
  await Promise.all(
    [...owners].sort().map((oktaUserId) =>
      limit(async () => {
        const read = await readAssignment(okta, oktaUserId);
        // An owner whose assignment cannot be read is neither found nor gone: it keeps its link (plan/rules/relink-rule.ts).
        if (read.kind === 'assigned') found.assignments.push(read.assignment);
        else if (read.kind === 'not_assigned') found.fates[oktaUserId] = await okta.getUserFate(oktaUserId);
      }),
    ),
  );
  // In id order whatever order the reads finished in.
  found.assignments.sort((a, b) => (a.oktaUserId < b.oktaUserId ? -1 : a.oktaUserId > b.oktaUserId ? 1 : 0));
  return found;
}
