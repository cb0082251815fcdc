// A missing row is not proof of absence. A listing can answer 200 and still leave users out (a lagging replica, a
// lost page), so before a plan acts on a user's absence the read step asks the source about that one user: a linked
// Okta user missing from the app-user listing (who would be suspended) by its assignment, and a linked Dialpad user
// missing from the Dialpad listing (who would be created again) by id. Only a 404 proves the absence; a user still
// found is handed to the planner as if listed, and the health gates (src/plan) judge the listing by how many were.
import pLimit from 'p-limit';
import type { DialpadGateway, DialpadRejectedUser, DialpadUser } from '../dialpad/types.js';
import type { OktaAssignment, OktaGateway, OktaRejectedAssignment, OktaUserFate } from '../okta/types.js';
import { isGoneDialpadUser } from '../plan/live-dialpad-user.js';
import type { LeftOutUser, Link } from '../plan/types.js';
import { readAssignment } from './read-assignment.js';

/** The fewest absences a run confirms one by one. */
export const ABSENCE_READS_MIN = 100;

/**
 * How many absences per side a run reads one by one, for `links` linked users: 100, or 1 % of the links in a
 * larger org. A listing that leaves out more than that is held by the health gates instead (reading each of
 * 100,000 users one by one after an empty answer would take hours of API budget).
 */
export function absenceReadBudget(links: number): number {
  return Math.max(ABSENCE_READS_MIN, Math.ceil(links / 100));
}

/** How the absence reads of one side are made (docs/rules.md#lifecycle: only a read by id proves a user gone). */
export interface AbsenceReadOptions {
  /** Reads in flight at once (a count). */
  concurrency: number;
  /** Read every absence, whatever the budget (--allow-mass-changes: a person lets the removals through). */
  readAll: boolean;
  /** absenceReadBudget of the run's links. */
  budget: number;
}

/** What confirmOktaAbsences found about the linked Okta users the app-user listing left out. */
export interface OktaAbsences {
  /** What became of the users whose absence was proven (GET /api/v1/users/{id}), by Okta user id. */
  fates: Record<string, OktaUserFate>;
  /** Assignments the listing left out, read by id (GET /api/v1/apps/{appId}/users/{userId}). */
  found: OktaAssignment[];
  /** Assignments the listing left out that were found but could not be read: the users are skipped, not suspended. */
  rejected: OktaRejectedAssignment[];
  /** The users of found and rejected, for the gate and the warnings. */
  stillAssigned: LeftOutUser[];
  /** Left out and not read (more than the budget): nothing proves these users left. */
  unconfirmed: number;
}

/**
 * Confirms that these linked Okta users, missing from the app-user listing, are no longer assigned: one assignment
 * read each (a 404 proves it), then, for those proven, one read of the Okta user for its fate (deactivated,
 * deleted or only unassigned). Throws what the Okta client throws for a failed read (the run fails as a whole).
 */
export async function confirmOktaAbsences(okta: OktaGateway, missing: readonly Link[], options: AbsenceReadOptions): Promise<OktaAbsences> {
  const result: OktaAbsences = { fates: {}, found: [], rejected: [], stillAssigned: [], unconfirmed: 0 };
  if (missing.length === 0) return result;
  if (missing.length > options.budget && !options.readAll) {
    result.unconfirmed = missing.length;
    return result;
  }
  const limit = pLimit(options.concurrency);
  await Promise.all(
    missing.map((link) =>
      limit(async () => {
        const read = await readAssignment(okta, link.oktaUserId);
        if (read.kind === 'rejected') {
          // Assigned, but unreadable: like an unreadable row of the listing, the user is skipped, never suspended.
          result.rejected.push(read.rejected);
          result.stillAssigned.push({ id: link.oktaUserId, email: null });
          return;
        }
        const assignment = read.kind === 'assigned' ? read.assignment : null;
        if (assignment) {
          result.found.push(assignment);
          result.stillAssigned.push({ id: link.oktaUserId, email: loginOf(assignment) });
        } else {
          result.fates[link.oktaUserId] = await okta.getUserFate(link.oktaUserId);
        }
      }),
    ),
  );
  return result;
}

/** The Okta login of an assignment, for messages. */
function loginOf(assignment: OktaAssignment): string | null {
  const login = assignment.profile.login;
  return typeof login === 'string' ? login : null;
}

/** What confirmDialpadAbsences found about the linked Dialpad users the listing left out. */
export interface DialpadAbsences {
  /** Linked Dialpad users the listing left out, read by id (GET /api/v2/users/{id}), gone ones included. */
  users: DialpadUser[];
  /** Users read by id that the boundary could not parse: skipped by the planner, never created again. */
  rejected: DialpadRejectedUser[];
  /** Left out and not read (more than the budget). */
  unconfirmed: number;
}

/**
 * Reads by id the linked Dialpad users the listing left out (GET /api/v2/users/{id}; a 404 proves the user gone).
 * Reads none, and counts them `unconfirmed`, when they are more than `options.budget` and not `readAll`.
 * Throws DialpadError for a failed read.
 */
export async function confirmDialpadAbsences(
  dialpad: DialpadGateway,
  missing: readonly Link[],
  options: AbsenceReadOptions,
): Promise<DialpadAbsences> {
  const result: DialpadAbsences = { users: [], rejected: [], unconfirmed: 0 };
  if (missing.length === 0) return result;
  if (missing.length > options.budget && !options.readAll) {
    result.unconfirmed = missing.length;
    return result;
  }
  const limit = pLimit(options.concurrency);
  const listings = await Promise.all(missing.map((link) => limit(() => dialpad.getUserListing(link.dialpadUserId))));
  for (const listing of listings) {
    result.users.push(...listing.users);
    result.rejected.push(...listing.rejected);
  }
  return result;
}

/** The users of a Dialpad confirmation that are still there (live or unreadable), for the gate and the warnings. */
export function dialpadStillThere(found: DialpadAbsences): LeftOutUser[] {
  return [
    ...found.users.filter((user) => !isGoneDialpadUser(user)).map((user) => ({ id: user.id, email: user.emails[0] ?? null })),
    ...found.rejected.flatMap((user) => (user.id === null ? [] : [{ id: user.id, email: user.emails?.[0] ?? null }])),
  ];
}
