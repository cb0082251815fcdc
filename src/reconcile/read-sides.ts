// The read step: both sides and what the store remembers, gathered into the planner's input.
import pLimit from 'p-limit';
import type { DialpadAvailableLicenses, DialpadGateway, DialpadUserListing } from '../dialpad/types.js';
import type { OktaAssignment, OktaGateway, OktaRejectedAssignment, OktaUserFate } from '../okta/types.js';
import { emailKey } from '../plan/email-identity.js';
import type { Link, PlanInput, Rules } from '../plan/types.js';
import { compactHeap, watchHeap } from '../shared/compact-heap.js';
import type { Store } from '../store/store.js';
import { readLinkOwners, type LinkOwners } from './read-link-owners.js';
import { readTargetedDialpadUsers } from './read-targeted-dialpad.js';

export interface ReadOptions {
  /** Limit the run to one user, by Okta login or email (reconcile --user). */
  onlyEmail?: string | undefined;
  /** Limit the run to these Okta users (incremental cycles and event hooks). */
  onlyOktaUserIds?: string[] | undefined;
  /** Concurrency of the per-user Okta look-ups. */
  oktaConcurrency: number;
  /**
   * 'later': leave availableNumbers empty; the caller lists them only when its plan wants a pool number
   * (see planWithNumberPool). Default 'now'.
   */
  availableNumbers?: 'now' | 'later';
  /** Concurrency of the per-user Dialpad look-ups of a targeted run (onlyOktaUserIds); default 8. */
  dialpadConcurrency?: number;
}

export class UserNotFoundError extends Error {
  readonly code = 'user_not_found';
  constructor(readonly email: string) {
    super(`${email} is neither an Okta user nor a user dialsync has linked`);
    this.name = 'UserNotFoundError';
  }
}

export async function readSides(okta: OktaGateway, dialpad: DialpadGateway, store: Store, rules: Rules, options: ReadOptions): Promise<PlanInput> {
  if (options.onlyOktaUserIds) return readTargetedSides(okta, dialpad, store, rules, options, options.onlyOktaUserIds);
  // Reading both listings makes far more garbage than it keeps: resident memory is made to follow what is kept.
  const heap = watchHeap();
  // Both listings at once: each side is paced by its own API's limits.
  const [oktaSide, dialpadUsers, offices, availableNumbers, links] = await Promise.all([
    options.onlyEmail ? readOneAssignment(okta, store, options.onlyEmail) : readAllAssignments(okta),
    dialpad.listUsers(),
    dialpad.listOffices(),
    options.availableNumbers === 'later' ? Promise.resolve([]) : dialpad.listAvailableNumbers(),
    store.links.all(),
  ]).finally(() => heap.stop());
  // What the listings left behind is collected now, before the planner adds its own working set: twice, so the
  // planner starts on a compact heap (see compactHeap).
  compactHeap(2);
  const fates = await readFates(okta, oktaSide, links, dialpadUsers.users, rules, options.oktaConcurrency);
  const owners = await readLinkOwners(okta, oktaSide.assignments, links, dialpadUsers.users, rules, fates, options.oktaConcurrency);
  return planInputOf(oktaSide, dialpadUsers, offices, availableNumbers, links, fates, owners);
}

function planInputOf(
  oktaSide: OktaSide,
  dialpadUsers: DialpadUserListing,
  offices: PlanInput['offices'],
  availableNumbers: PlanInput['availableNumbers'],
  links: Link[],
  fates: Record<string, OktaUserFate>,
  owners: LinkOwners,
): PlanInput {
  return {
    assignments: oktaSide.assignments,
    rejectedAssignments: oktaSide.rejected,
    dialpadUsers: dialpadUsers.users,
    offices,
    availableNumbers,
    links,
    fates: { ...fates, ...owners.fates },
    ownerAssignments: owners.assignments,
    onlyOktaUserIds: oktaSide.only,
    rejectedDialpadUsers: dialpadUsers.rejected,
  };
}

/**
 * A targeted run (incremental cycle, event hook): the assignments of these Okta users, then only the Dialpad users
 * they can touch (see readTargetedDialpadUsers), never the whole company's listing. Offices and the links are
 * read meanwhile. Unmanaged Dialpad users are therefore not computed over the whole company in such a run.
 */
async function readTargetedSides(
  okta: OktaGateway,
  dialpad: DialpadGateway,
  store: Store,
  rules: Rules,
  options: ReadOptions,
  oktaUserIds: string[],
): Promise<PlanInput> {
  const [oktaSide, offices, availableNumbers, links] = await Promise.all([
    readAssignmentsOf(okta, oktaUserIds, options.oktaConcurrency),
    dialpad.listOffices(),
    options.availableNumbers === 'later' ? Promise.resolve([]) : dialpad.listAvailableNumbers(),
    store.links.all(),
  ]);
  const dialpadUsers = await readTargetedDialpadUsers(
    dialpad,
    { oktaUserIds: oktaSide.only ?? oktaUserIds, assignments: oktaSide.assignments, links },
    rules,
    options.dialpadConcurrency ?? 8,
  );
  const fates = await readFates(okta, oktaSide, links, dialpadUsers.users, rules, options.oktaConcurrency);
  const owners = await readLinkOwners(okta, oktaSide.assignments, links, dialpadUsers.users, rules, fates, options.oktaConcurrency);
  return planInputOf(oktaSide, dialpadUsers, offices, availableNumbers, links, fates, owners);
}

/**
 * Free license lines of the given offices (GET /offices/{id}/available_licenses), for the seat check. Read after
 * planning, only for the offices planned creates and reactivations land in. An office that cannot be read is
 * reported in `unreadable` and left unchecked.
 */
export async function readAvailableLicenses(
  dialpad: DialpadGateway,
  officeIds: readonly string[],
): Promise<{ available: Record<string, DialpadAvailableLicenses>; unreadable: Record<string, string> }> {
  const available: Record<string, DialpadAvailableLicenses> = {};
  const unreadable: Record<string, string> = {};
  await Promise.all(
    officeIds.map(async (officeId) => {
      try {
        available[officeId] = await dialpad.getAvailableLicenses(officeId);
      } catch (error) {
        unreadable[officeId] = error instanceof Error ? error.message : String(error);
      }
    }),
  );
  return { available, unreadable };
}

interface OktaSide {
  assignments: OktaAssignment[];
  rejected: OktaRejectedAssignment[];
  only: string[] | null;
}

async function readAllAssignments(okta: OktaGateway): Promise<OktaSide> {
  const listing = await okta.listAssignments();
  return { assignments: listing.assignments, rejected: listing.rejected, only: null };
}

async function readAssignmentsOf(okta: OktaGateway, oktaUserIds: string[], concurrency: number): Promise<OktaSide> {
  const ids = [...new Set(oktaUserIds)];
  const limit = pLimit(concurrency);
  const found = await Promise.all(ids.map((id) => limit(() => okta.getAssignment(id))));
  return { assignments: found.filter((a): a is OktaAssignment => a !== null), rejected: [], only: ids };
}

async function readOneAssignment(okta: OktaGateway, store: Store, email: string): Promise<OktaSide> {
  let oktaUserId = await okta.findUserIdByLogin(email);
  if (!oktaUserId) {
    // Gone from Okta: the link still knows who it was (by emailKey; links saved before it was used hold lower case).
    const rows = await store.db('links').whereIn('email', [...new Set([emailKey(email), email.trim().toLowerCase()])]).select('okta_user_id');
    oktaUserId = (rows[0] as { okta_user_id?: string } | undefined)?.okta_user_id ?? null;
  }
  if (!oktaUserId) throw new UserNotFoundError(email);
  const assignment = await okta.getAssignment(oktaUserId);
  return { assignments: assignment ? [assignment] : [], rejected: [], only: [oktaUserId] };
}

/**
 * What became of linked Okta users that are no longer assigned: only asked where it changes the plan
 * (their Dialpad user is still active, or deactivation deletes and the Dialpad user still exists).
 */
async function readFates(
  okta: OktaGateway,
  side: OktaSide,
  links: Link[],
  dialpadUsers: { id: string; state: string }[],
  rules: Rules,
  concurrency: number,
): Promise<Record<string, OktaUserFate>> {
  const assigned = new Set(side.assignments.map((assignment) => assignment.oktaUserId));
  const only = side.only ? new Set(side.only) : null;
  const unassigned = links.filter((link) => !assigned.has(link.oktaUserId) && (!only || only.has(link.oktaUserId)));
  if (unassigned.length === 0) return {};
  // The states of just their Dialpad users: usually a handful, not a map of the whole company.
  const linkedIds = new Set(unassigned.map((link) => link.dialpadUserId));
  const stateById = new Map(dialpadUsers.filter((user) => linkedIds.has(user.id)).map((user) => [user.id, user.state]));
  const wanted = unassigned.filter((link) => {
    const state = stateById.get(link.dialpadUserId);
    if (state === 'active') return true;
    return rules.onDeactivated === 'delete' && state !== undefined && state !== 'deleted' && state !== 'cancelled';
  });
  const limit = pLimit(concurrency);
  const entries = await Promise.all(wanted.map((link) => limit(async () => [link.oktaUserId, await okta.getUserFate(link.oktaUserId)] as const)));
  return Object.fromEntries(entries);
}
