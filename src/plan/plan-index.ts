// The look-ups a plan makes over its input, built once per plan: Dialpad users by id and by email, links both
// ways, the assignments by Okta id, what could not be read, and what the read step learnt of unassigned users.
import type { DialpadRejectedUser, DialpadUser } from '../dialpad/types.js';
import type { OktaAssignment, OktaUserFate } from '../okta/types.js';
import { MultiMap } from '../collections/multi-map.js';
import { SortedIndex } from '../collections/sorted-index.js';
import { isGoneDialpadUser, livePrimaryEmailKey } from './live-dialpad-user.js';
import { emailKey } from '../identity/email-identity.js';
import type { Link, PlanInput } from './types.js';

/**
 * Look-ups over one PlanInput. Where a key repeats (a second link or assignment of one Okta user, a Dialpad user
 * listed twice), the first listed counts. Email keys are emailKeys (rules/email-identity.ts). Throws nothing.
 */
export class PlanIndex {
  // Sorted arrays, not Maps: at 100,000 users three Maps of every user and link were the largest garbage a
  // no-change run made while planning (a Map's table, grown by doubling, is several times the array's size).
  /** Dialpad users by id (the first listed of an id). */
  readonly usersById: SortedIndex<DialpadUser>;
  /** Links by Okta user id and by Dialpad user id (the first listed of each). */
  readonly linkByOkta: SortedIndex<Link>;
  readonly linkByDialpad: SortedIndex<Link>;
  /** One assignment per Okta user (the first listed), sorted by Okta id: no Map of every assigned user. */
  readonly assignments: SortedIndex<OktaAssignment>;
  /** Live Dialpad users by the emailKey of their primary email (adoption). */
  private readonly byPrimaryEmail = new MultiMap<string, DialpadUser>();
  /** Live Dialpad users by the emailKeys of their other emails: most users have none, so this index stays small. */
  private readonly byOtherEmail = new MultiMap<string, DialpadUser>();
  /** Dialpad users the listing could not read, by id and by emailKey. */
  readonly rejectedById = new Map<string, DialpadRejectedUser>();
  readonly rejectedByEmail = new Map<string, DialpadRejectedUser>();
  /** Okta users whose assignment could not be read, and the emailKeys of logins of those read without an id. */
  private readonly rejectedAssignmentIds = new Set<string>();
  private readonly rejectedLogins = new Set<string>();
  private readonly ownerAssignments: ReadonlyMap<string, OktaAssignment>;
  private readonly fates: PlanInput['fates'];

  constructor(input: PlanInput) {
    for (const rejected of input.rejectedDialpadUsers ?? []) {
      if (rejected.id !== null) this.rejectedById.set(rejected.id, rejected);
      for (const email of rejected.emails ?? []) this.rejectedByEmail.set(emailKey(email), rejected);
    }
    this.usersById = new SortedIndex(input.dialpadUsers, (user) => user.id);
    // In listing order, the first listed of each id: holders of one email keep the listing's order.
    for (const user of input.dialpadUsers) {
      if (this.usersById.get(user.id) !== user) continue;
      const primaryKey = livePrimaryEmailKey(user);
      if (primaryKey === null) continue;
      this.byPrimaryEmail.add(primaryKey, user);
      if (user.emails.length === 1) continue;
      // Each email once per user: a user listing one address twice (in any spelling) still holds it alone.
      const others = new Set(user.emails.slice(1).map(emailKey));
      others.delete(primaryKey);
      for (const email of others) this.byOtherEmail.add(email, user);
    }
    this.linkByOkta = new SortedIndex(input.links, (link) => link.oktaUserId);
    this.linkByDialpad = new SortedIndex(input.links, (link) => link.dialpadUserId);
    this.assignments = new SortedIndex(input.assignments, (assignment) => assignment.oktaUserId);
    for (const rejected of input.rejectedAssignments) {
      if (rejected.oktaUserId !== null) this.rejectedAssignmentIds.add(rejected.oktaUserId);
      else if (rejected.login !== null) this.rejectedLogins.add(emailKey(rejected.login));
    }
    this.ownerAssignments = new Map((input.ownerAssignments ?? []).map((a) => [a.oktaUserId, a]));
    this.fates = input.fates;
  }

  /** Live Dialpad users with this emailKey as their primary email, in listing order. */
  primaryHoldersOf(key: string): readonly DialpadUser[] {
    return this.byPrimaryEmail.get(key);
  }

  /** Live Dialpad users holding the email (by emailKey): those with it as their primary first, then the others. */
  holdersOf(key: string): readonly DialpadUser[] {
    const primary = this.byPrimaryEmail.get(key);
    const other = this.byOtherEmail.get(key);
    if (other.length === 0) return primary;
    return primary.length === 0 ? other : [...primary, ...other];
  }

  /** The Dialpad user linked to an Okta user, if it still exists in Dialpad and is not gone. */
  liveLinkedUser(oktaUserId: string): DialpadUser | null {
    const link = this.linkByOkta.get(oktaUserId);
    const user = link ? this.usersById.get(link.dialpadUserId) : undefined;
    return user && !isGoneDialpadUser(user) ? user : null;
  }

  /** Why a link exists but cannot be used (for the reason of a create or adopt), or null. */
  brokenLinkNote(oktaUserId: string): string | null {
    const link = this.linkByOkta.get(oktaUserId);
    if (!link) return null;
    const user = this.usersById.get(link.dialpadUserId);
    return user
      ? `the linked Dialpad user ${link.dialpadUserId} is ${user.state}`
      : `the linked Dialpad user ${link.dialpadUserId} no longer exists`;
  }

  /** The Okta user's assignment (the first listed), from the listing or, for a link's owner, read by id. */
  assignmentOf(oktaUserId: string): OktaAssignment | undefined {
    return this.assignments.get(oktaUserId) ?? this.ownerAssignments.get(oktaUserId);
  }

  /** Whether the Okta user is assigned: listed, or listed but unreadable (still an assignment). */
  isAssigned(oktaUserId: string): boolean {
    return this.assignments.has(oktaUserId) || this.rejectedAssignmentIds.has(oktaUserId);
  }

  /** Whether the Okta user's assignment was listed but could not be read. */
  hasRejectedAssignment(oktaUserId: string): boolean {
    return this.rejectedAssignmentIds.has(oktaUserId);
  }

  /** Whether an assignment without an id, known only by this login (any spelling of the email), was unreadable. */
  hasRejectedLogin(email: string): boolean {
    return this.rejectedLogins.size > 0 && this.rejectedLogins.has(emailKey(email));
  }

  /** What reading an unassigned linked Okta user by id found, or undefined when it was not read. */
  fateOf(oktaUserId: string): OktaUserFate | undefined {
    return Object.hasOwn(this.fates, oktaUserId) ? this.fates[oktaUserId] : undefined;
  }
}
