// Who a withheld action belongs to, as plan.withheld records it: the user's email and ids, so the run's record
// (and the held actions an admin approves) name the same user the plan did (plan/user-key.ts userKeyOf).
import type { UserPlan, WithheldAction } from './types.js';

/** The user fields of a withheld action of `user`. */
export function withheldUser(user: Pick<UserPlan, 'email' | 'oktaUserId' | 'dialpadUserId'>): Pick<WithheldAction, 'email' | 'oktaUserId' | 'dialpadUserId'> {
  return { email: user.email, oktaUserId: user.oktaUserId, dialpadUserId: user.dialpadUserId };
}
