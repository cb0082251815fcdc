// The read step: both sides and what the store remembers, gathered into the planner's input.
import pLimit from 'p-limit';
import type { DialpadAvailableLicenses, DialpadGateway, DialpadUserListing } from '../dialpad/types.js';
import type { OktaAssignment, OktaGateway, OktaRejectedAssignment, OktaUserFate } from '../okta/types.js';
import { isGoneDialpadUser } from '../plan/live-dialpad-user.js';
import { ScopeEvaluator } from '../plan/rules/scope-rule.js';
import type { Link, ListingGaps, PlanInput, Rules, ScopeGroupMembership } from '../plan/types.js';
import { compactHeap, watchHeap } from '../memory/compact-heap.js';
import type { Store } from '../store/store.js';
import { absenceReadBudget, confirmDialpadAbsences, confirmOktaAbsences, dialpadStillThere, type AbsenceReadOptions } from './confirm-absence.js';
import { readAssignment, type AssignmentRead } from './read-assignment.js';
import { readLinkOwners, type LinkOwners } from './read-link-owners.js';
import { addUserGroups, readScopeGroupMembers, readScopeGroupsOf } from './read-scope-groups.js';
import { readTargetedDialpadUsers } from './read-targeted-dialpad.js';

/** Which users readSides reads, and how many requests it keeps in flight. */
export interface ReadOptions {
  /** Limit the run to one user, by Okta login or email (reconcile --user). */
  onlyEmail?: string | undefined;
  /** Limit the run to these Okta users (incremental cycles and event hooks). */
  onlyOktaUserIds?: string[] | undefined;
  /** Per-user Okta reads in flight at once (okta.concurrency). */
  oktaConcurrency: number;
  /**
   * 'later': leave availableNumbers empty; the caller lists them only when its plan wants a pool number
   * (see planWithNumberPool). Default 'now'.
   */
  availableNumbers?: 'now' | 'later';
  /** Concurrency of the per-user Dialpad look-ups of a targeted run (onlyOktaUserIds); default 8. */
  dialpadConcurrency?: number;
  /**
   * Confirm every absence a listing shows by a read of that user, however many (--allow-mass-changes). Otherwise
   * a run reads at most absenceReadBudget of them per side and leaves the rest to the health gates.
   */
  readEveryAbsence?: boolean;
}

/**
 * `reconcile --user` / `explain` named an email that is neither an Okta login nor the email of a link
 * (code `user_not_found`; the CLI exits 2).
 */
export class UserNotFoundError extends Error {
  readonly code = 'user_not_found';
  constructor(readonly email: string) {
    super(`${email} is neither an Okta user nor a user dialsync has linked`);
    this.name = 'UserNotFoundError';
  }
}

/**
 * The read step: the Okta assignments (all, one user's with `onlyEmail`, or some users' with `onlyOktaUserIds`),
 * the Dialpad users (the whole listing, or in a targeted run only those the targets can touch), the offices, the
 * free numbers (unless `availableNumbers: 'later'`), the links, and the reads by id that confirm absences and
 * re-hires (docs/rules.md#lifecycle, docs/rules.md#rehire). Returns the planner's input; a full read also fills
 * `listingGaps` for the health gates. Reads only, writes nothing.
 * @throws UserNotFoundError when `onlyEmail` names nobody; OktaError, DialpadError or a store error when a read fails
 * (the run fails as a whole).
 */
export async function readSides(okta: OktaGateway, dialpad: DialpadGateway, store: Store, rules: Rules, options: ReadOptions): Promise<PlanInput> {
  if (options.onlyOktaUserIds) return readTargetedSides(okta, dialpad, store, rules, options, options.onlyOktaUserIds);
  // Reading both listings makes far more garbage than it keeps: resident memory is made to follow what is kept.
  const heap = watchHeap();
  // Both listings at once: each side is paced by its own API's limits.
  const [oktaSide, dialpadUsers, offices, availableNumbers, links, allApplied, fullScopeGroups] = await Promise.all([
    options.onlyEmail ? readOneAssignment(okta, store, options.onlyEmail) : readAllAssignments(okta),
    dialpad.listUsers(),
    dialpad.listOffices(),
    options.availableNumbers === 'later' ? Promise.resolve([]) : dialpad.listAvailableNumbers(),
    store.links.all(),
    // Every Dialpad user's last applied values, in one pass (a run of one user reads only its own below).
    options.onlyEmail ? Promise.resolve(null) : store.appliedValues.all(),
    // One user (--user, explain): its groups are read by id below, not every member of every group.
    options.onlyEmail ? Promise.resolve(undefined) : readScopeGroupMembers(okta, rules),
  ]).finally(() => heap.stop());
  // The links a listing does not show: usually a handful. Found before the compaction, which collects the
  // company-sized sets used to find them.
  const notAssigned = linksNotAssigned(oktaSide, links);
  const notListed = linksNotListed(dialpadUsers, links);
  // What the listings left behind is collected now, before the planner adds its own working set: twice, so the
  // planner starts on a compact heap (see compactHeap).
  compactHeap(2);
  // Before anything is planned on a user's absence from a listing, the source is asked about that user.
  const budget = absenceReadBudget(links.length);
  const oktaReads: AbsenceReadOptions = { concurrency: options.oktaConcurrency, readAll: options.readEveryAbsence ?? false, budget };
  const oktaRead = await readOktaAbsences(okta, oktaSide, notAssigned, dialpadUsers.users, rules, oktaReads);
  const scopeGroups = fullScopeGroups ?? (await readScopeGroupsOf(okta, rules, oktaRead.side.assignments.map((a) => a.oktaUserId), options.oktaConcurrency));
  const scoping = new ScopeEvaluator(rules.scope, scopeGroups);
  const dialpadReads = { ...oktaReads, concurrency: options.dialpadConcurrency ?? 8 };
  const dialpadRead = await readDialpadAbsences(dialpad, oktaRead.side, notListed, dialpadUsers, rules, scoping, dialpadReads);
  const gaps: ListingGaps = { ...oktaRead.gaps, ...dialpadRead.gaps, dialpadLinked: { expected: links.length, listed: links.length - notListed.length } };
  const owners = await readLinkOwners(okta, oktaRead.side.assignments, links, dialpadRead.listing.users, rules, oktaRead.fates, options.oktaConcurrency, scoping);
  const withOwners = await ownersScopeGroups(okta, scopeGroups, fullScopeGroups === undefined, owners, options.oktaConcurrency);
  const appliedValues = allApplied ?? (await readAppliedValuesOf(store, oktaRead.side, links, oktaRead.fates, owners));
  return { ...planInputOf(oktaRead.side, dialpadRead.listing, offices, availableNumbers, links, oktaRead.fates, owners, withOwners), listingGaps: gaps, appliedValues };
}

/** The scoping groups of the link owners read by id, added when the membership was read user by user. */
async function ownersScopeGroups(
  okta: OktaGateway,
  membership: ScopeGroupMembership | undefined,
  byUser: boolean,
  owners: LinkOwners,
  concurrency: number,
): Promise<ScopeGroupMembership | undefined> {
  if (membership === undefined || !byUser || owners.assignments.length === 0) return membership;
  return addUserGroups(okta, membership, owners.assignments.map((a) => a.oktaUserId), concurrency);
}

function planInputOf(
  oktaSide: OktaSide,
  dialpadUsers: DialpadUserListing,
  offices: PlanInput['offices'],
  availableNumbers: PlanInput['availableNumbers'],
  links: Link[],
  fates: Record<string, OktaUserFate>,
  owners: LinkOwners,
  scopeGroups: ScopeGroupMembership | undefined,
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
    ...(scopeGroups === undefined ? {} : { scopeGroups }),
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
  const [oktaSide, offices, availableNumbers, links, runScopeGroups] = await Promise.all([
    readAssignmentsOf(okta, oktaUserIds, options.oktaConcurrency),
    dialpad.listOffices(),
    options.availableNumbers === 'later' ? Promise.resolve([]) : dialpad.listAvailableNumbers(),
    store.links.all(),
    // The run's users' groups, one request each: never a scoping group's whole membership.
    readScopeGroupsOf(okta, rules, oktaUserIds, options.oktaConcurrency),
  ]);
  const dialpadUsers = await readTargetedDialpadUsers(
    dialpad,
    { oktaUserIds: oktaSide.only ?? oktaUserIds, assignments: oktaSide.assignments, links },
    rules,
    options.dialpadConcurrency ?? 8,
  );
  // Each Okta user was read by id: one not assigned is proven so.
  const unassigned = await readOktaAbsences(okta, oktaSide, linksNotAssigned(oktaSide, links), dialpadUsers.users, rules, {
    concurrency: options.oktaConcurrency,
    readAll: true,
    budget: Number.POSITIVE_INFINITY,
  });
  const scoping = new ScopeEvaluator(rules.scope, runScopeGroups);
  const owners = await readLinkOwners(okta, oktaSide.assignments, links, dialpadUsers.users, rules, unassigned.fates, options.oktaConcurrency, scoping);
  const scopeGroups = await ownersScopeGroups(okta, runScopeGroups, true, owners, options.oktaConcurrency);
  const appliedValues = await readAppliedValuesOf(store, oktaSide, links, unassigned.fates, owners);
  return { ...planInputOf(oktaSide, dialpadUsers, offices, availableNumbers, links, unassigned.fates, owners, scopeGroups), appliedValues };
}

/**
 * The last applied values of the Dialpad users a run of some users can act on: those linked to the run's Okta users
 * and to the link owners read for them (a re-hire's Dialpad user is linked to its previous owner).
 */
async function readAppliedValuesOf(
  store: Store,
  side: OktaSide,
  links: readonly Link[],
  fates: Record<string, OktaUserFate>,
  owners: LinkOwners,
): Promise<PlanInput['appliedValues']> {
  const oktaUserIds = new Set([...(side.only ?? []), ...Object.keys(fates), ...Object.keys(owners.fates), ...owners.assignments.map((a) => a.oktaUserId)]);
  const ids = links.filter((link) => oktaUserIds.has(link.oktaUserId)).map((link) => link.dialpadUserId);
  return store.appliedValues.forUsers(ids);
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
  const reads = await Promise.all(ids.map((id) => limit(() => readAssignment(okta, id))));
  return { ...sideOf(reads), only: ids };
}

async function readOneAssignment(okta: OktaGateway, store: Store, email: string): Promise<OktaSide> {
  let oktaUserId = await okta.findUserIdByLogin(email);
  if (!oktaUserId) {
    // Gone from Okta: the link still knows who it was.
    oktaUserId = (await store.links.byEmail(email))?.oktaUserId ?? null;
  }
  if (!oktaUserId) throw new UserNotFoundError(email);
  return { ...sideOf([await readAssignment(okta, oktaUserId)]), only: [oktaUserId] };
}

/** Reads by id as a side: the assignments found and the ones the boundary rejected (skipped, with the reason). */
function sideOf(reads: readonly AssignmentRead[]): Omit<OktaSide, 'only'> {
  const side: Omit<OktaSide, 'only'> = { assignments: [], rejected: [] };
  for (const read of reads) {
    if (read.kind === 'assigned') side.assignments.push(read.assignment);
    else if (read.kind === 'rejected') side.rejected.push(read.rejected);
  }
  return side;
}

/** The links whose Okta user the side does not show as assigned (a rejected assignment is still one), within the run's users. */
function linksNotAssigned(side: OktaSide, links: readonly Link[]): Link[] {
  const assigned = new Set(side.assignments.map((assignment) => assignment.oktaUserId));
  for (const rejected of side.rejected) if (rejected.oktaUserId !== null) assigned.add(rejected.oktaUserId);
  const only = side.only ? new Set(side.only) : null;
  return links.filter((link) => !assigned.has(link.oktaUserId) && (!only || only.has(link.oktaUserId)));
}

/** The links whose Dialpad user the listing does not hold (readable or not). */
function linksNotListed(listing: DialpadUserListing, links: readonly Link[]): Link[] {
  const listedIds = new Set<string>();
  for (const user of listing.users) listedIds.add(user.id);
  for (const rejected of listing.rejected) if (rejected.id !== null) listedIds.add(rejected.id);
  return links.filter((link) => !listedIds.has(link.dialpadUserId));
}

/**
 * Linked Okta users the Okta side did not show as assigned (`unassigned`), where that changes the plan (their
 * Dialpad user is still active, or deactivation deletes and the Dialpad user still exists). After a full listing
 * each one's absence is confirmed by a read of its assignment (confirmOktaAbsences): those still assigned join the
 * side as if listed. After reads by id (targeted runs) the absence is proven already: only the fates are read.
 */
async function readOktaAbsences(
  okta: OktaGateway,
  side: OktaSide,
  unassigned: readonly Link[],
  dialpadUsers: readonly { id: string; state: string }[],
  rules: Rules,
  reads: AbsenceReadOptions,
): Promise<{ side: OktaSide; fates: Record<string, OktaUserFate>; gaps: Pick<ListingGaps, 'oktaStillAssigned' | 'oktaUnconfirmed'> }> {
  const none = { side, fates: {}, gaps: { oktaStillAssigned: [], oktaUnconfirmed: 0 } };
  if (unassigned.length === 0) return none;
  // The states of just their Dialpad users: usually a handful, not a map of the whole company.
  const linkedIds = new Set(unassigned.map((link) => link.dialpadUserId));
  const userById = new Map(dialpadUsers.filter((user) => linkedIds.has(user.id)).map((user) => [user.id, user]));
  const wanted = unassigned.filter((link) => {
    const user = userById.get(link.dialpadUserId);
    if (user?.state === 'active') return true;
    return rules.onDeactivated === 'delete' && user !== undefined && !isGoneDialpadUser(user);
  });
  if (wanted.length === 0) return none;
  if (side.only !== null) {
    const limit = pLimit(reads.concurrency);
    const entries = await Promise.all(wanted.map((link) => limit(async () => [link.oktaUserId, await okta.getUserFate(link.oktaUserId)] as const)));
    return { ...none, fates: Object.fromEntries(entries) };
  }
  const found = await confirmOktaAbsences(okta, wanted, reads);
  // Joined to the side as if listed (the side's arrays are this run's own).
  for (const assignment of found.found) side.assignments.push(assignment);
  for (const rejected of found.rejected) side.rejected.push(rejected);
  return {
    side,
    fates: found.fates,
    gaps: { oktaStillAssigned: found.stillAssigned, oktaUnconfirmed: found.unconfirmed },
  };
}

/**
 * Linked Dialpad users missing from a full Dialpad listing (`unlisted`) whose Okta user is assigned and in scope, by
 * its status and by scoping (the planner would create them again): each is read by id (confirmDialpadAbsences)
 * and, when found, joins the listing as if listed.
 */
async function readDialpadAbsences(
  dialpad: DialpadGateway,
  side: OktaSide,
  unlisted: readonly Link[],
  listing: DialpadUserListing,
  rules: Rules,
  scoping: ScopeEvaluator,
  reads: AbsenceReadOptions,
): Promise<{ listing: DialpadUserListing; gaps: Pick<ListingGaps, 'dialpadStillThere' | 'dialpadUnconfirmed'> }> {
  const only = side.only ? new Set(side.only) : null;
  const unlistedByOkta = new Map(unlisted.map((link) => [link.oktaUserId, link]));
  const missing: Link[] = [];
  for (const assignment of side.assignments) {
    const link = unlistedByOkta.get(assignment.oktaUserId);
    if (!link || (only && !only.has(assignment.oktaUserId)) || !rules.inScopeStatuses.includes(assignment.status)) continue;
    // Left out by scoping: never created again, so its absence changes nothing.
    if (scoping.isActive && !scoping.verdict(assignment).inScope) continue;
    missing.push(link);
    // Each link once, should the side list its Okta user twice.
    unlistedByOkta.delete(assignment.oktaUserId);
  }
  const found = await confirmDialpadAbsences(dialpad, missing, reads);
  // Joined to the listing as if listed (the listing's arrays are this run's own).
  for (const user of found.users) listing.users.push(user);
  for (const rejected of found.rejected) listing.rejected.push(rejected);
  return {
    listing,
    gaps: { dialpadStillThere: dialpadStillThere(found), dialpadUnconfirmed: found.unconfirmed },
  };
}
