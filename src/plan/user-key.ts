// The key a user's failures are recorded under and looked up by: the apply step records each failure under it,
// and quarantine and the Okta-data fingerprints find them by it. One definition, so they cannot drift apart.
import type { UserPlan } from './types.js';

/**
 * `okta:<Okta user id>` when the user has an Okta user; otherwise (an unassigned user deleted in Okta)
 * `dialpad:<Dialpad user id>`, or `dialpad:<email>` when it has no Dialpad user either.
 */
export function userKeyOf(user: Pick<UserPlan, 'oktaUserId' | 'dialpadUserId' | 'email'>): string {
  return user.oktaUserId ? `okta:${user.oktaUserId}` : `dialpad:${user.dialpadUserId ?? user.email}`;
}
