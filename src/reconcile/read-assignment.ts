// One Okta user's assignment read by id, where one user's bad data must not fail the run: the boundary's
// rejection of the app user (a numeric login, an object where a string belongs, ...) comes back as a rejected
// assignment, as an unreadable row of the full listing does, so the user is skipped with the reason and the rest
// of a targeted run (System Log, event hook, --user, absence and re-hire reads) goes on.
import { OktaError } from '../okta/errors.js';
import type { OktaAssignment, OktaGateway, OktaRejectedAssignment } from '../okta/types.js';

/** What a read by id found: the assignment, an assignment the boundary rejected, or none (404: not assigned). */
export type AssignmentRead =
  | { kind: 'assigned'; assignment: OktaAssignment }
  | { kind: 'rejected'; rejected: OktaRejectedAssignment }
  | { kind: 'not_assigned' };

/**
 * Reads the assignment of `oktaUserId` (GET /api/v1/apps/{appId}/users/{userId}, through OktaGateway.getAssignment).
 * Returns `rejected` with the boundary's reason when the app user cannot be parsed (OktaError `invalid_response`).
 * Throws every other OktaError (credentials, outage, rate limit): those are not one user's data.
 */
export async function readAssignment(okta: OktaGateway, oktaUserId: string): Promise<AssignmentRead> {
  try {
    const assignment = await okta.getAssignment(oktaUserId);
    return assignment ? { kind: 'assigned', assignment } : { kind: 'not_assigned' };
  } catch (error) {
    if (!(error instanceof OktaError) || error.code !== 'invalid_response') throw error;
    return { kind: 'rejected', rejected: { oktaUserId, login: null, reason: error.message } };
  }
}
