// Re-hires (docs/rules.md#rehire): whether the Okta user a link points to still holds its Dialpad user, or let go of
// it, so that a new Okta account with the same email may take the link over (and the same Dialpad user, with
// its number, is reactivated instead of a second paid user being created).
//
// Worked example: Tom's Okta user 00uA was linked to Dialpad user 42 and deactivated (42 suspended). A new
// Okta user 00uB, tom@acme.com, is assigned. 00uA is not in the listing and reading it by id says DEPROVISIONED:
// it let go ('deactivated'), the link passes to 00uB and 42 is reactivated. Had 00uA still been assigned and
// ACTIVE, it would hold: 00uB stays unprovisioned, and the plan tells the admin what to do.
import type { OktaAssignment, OktaUserFate } from '../../okta/types.js';
import type { RelinkCause, Rules } from '../types.js';

/** What the read step knows of a link's owner. */
export interface LinkOwnerFacts {
  oktaUserId: string;
  /** Its assignment, when assigned (from the full listing, or read by id in a targeted run). */
  assignment: OktaAssignment | null;
  /** An assignment that may be its own came unreadable: it may still be assigned. */
  unreadable: boolean;
  /** What reading it by id found, when it is not assigned; undefined when it was not read. */
  fate: OktaUserFate | undefined;
  /** Why scope.groups or a filter leaves its assignment out; absent or null when scoping keeps it in. */
  scopedOut?: string | null;
}

/** The owner still holds the link (with why, for the skip reason), or let go of it (with the cause). */
export type LinkHold = { holds: true; why: string } | { holds: false; cause: RelinkCause; why: string };

/**
 * Whether a link's owner holds it. It lets go when deactivated or deleted in Okta, no longer assigned (confirmed
 * by reading it by id: a user missing from a listing is not proof of absence), suspended in Okta when
 * onOktaSuspended is suspend, assigned in another status that is not in scope, or left out by scope.groups or a
 * filter (`scopedOut`) when scope.onOutOfScope is suspend. Pure; throws nothing.
 */
export function linkHold(owner: LinkOwnerFacts, rules: Pick<Rules, 'inScopeStatuses' | 'onOktaSuspended'> & Partial<Pick<Rules, 'scope'>>): LinkHold {
  const who = `Okta user ${owner.oktaUserId}`;
  const { assignment, fate } = owner;
  if (assignment !== null) {
    const status = assignment.status;
    if (rules.inScopeStatuses.includes(status)) {
      const scopedOut = owner.scopedOut ?? null;
      if (scopedOut === null) return { holds: true, why: `${who} is still assigned and ${status}` };
      return rules.scope?.onOutOfScope === 'ignore'
        ? { holds: true, why: `${who} is left out of scope (${scopedOut}) and scope.onOutOfScope is ignore, so it keeps its Dialpad user` }
        : { holds: false, cause: 'out_of_scope', why: `${who} is left out of scope: ${scopedOut}` };
    }
    if (status === 'DEPROVISIONED') return { holds: false, cause: 'deactivated', why: `${who} was deactivated in Okta` };
    if (status === 'SUSPENDED') {
      return rules.onOktaSuspended === 'ignore'
        ? { holds: true, why: `${who} is suspended in Okta and onOktaSuspended is ignore, so it keeps its Dialpad user` }
        : { holds: false, cause: 'suspended', why: `${who} is suspended in Okta (onOktaSuspended: suspend)` };
    }
    return { holds: false, cause: 'not_in_scope', why: `${who} is assigned with status ${status}, which is not in scope` };
  }
  if (owner.unreadable) return { holds: true, why: `an assignment that may be ${who}'s could not be read` };
  if (fate === undefined) return { holds: true, why: `${who} is not in the listing, but was not read to confirm it` };
  if (fate.kind === 'deleted') return { holds: false, cause: 'deleted', why: `${who} was deleted in Okta` };
  if (fate.status === 'DEPROVISIONED') return { holds: false, cause: 'deactivated', why: `${who} was deactivated in Okta` };
  return { holds: false, cause: 'unassigned', why: `${who} is no longer assigned to the app` };
}

/** Who an Okta user is, for messages: its id and, when known, its login. */
export function describeOktaUser(oktaUserId: string, assignment: OktaAssignment | null): string {
  const login = assignment?.profile['login'];
  return typeof login === 'string' && login !== '' ? `Okta user ${oktaUserId} (${login})` : `Okta user ${oktaUserId}`;
}

/** What an admin can do when an assigned user's email is held by a link's owner that still holds it. */
export function linkedElsewhereRemedy(owner: string, newcomer: string): string {
  return `unassign ${owner} from the app or deactivate it in Okta; the link then passes to ${newcomer}`;
}
