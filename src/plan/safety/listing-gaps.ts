// A listing that left out a user who is still there is inconsistent, even when a read by id saved the plan: each
// such user is a warning in the plan (and so in the report and the run's record), whether or not the health gates
// also find the listing unhealthy.
import type { ListingGaps, PlanWarning } from '../types.js';

/** The plan warnings for what the read step found about users the listings left out; none when gaps is absent. */
export function listingGapWarnings(gaps: ListingGaps | undefined): PlanWarning[] {
  if (gaps === undefined) return [];
  const warnings: PlanWarning[] = [];
  for (const user of gaps.oktaStillAssigned) {
    warnings.push({
      oktaUserId: user.id,
      email: user.email,
      message: `Okta's app-user listing left out Okta user ${user.id}, but reading the assignment by id found it still assigned: planned from that read, not suspended`,
    });
  }
  if (gaps.oktaUnconfirmed > 0) {
    warnings.push({
      oktaUserId: null,
      email: null,
      message: `Okta's app-user listing left out ${gaps.oktaUnconfirmed} linked users, too many to read one by one in this run: none of them is suspended or deleted on that listing's word`,
    });
  }
  for (const user of gaps.dialpadStillThere) {
    warnings.push({
      oktaUserId: null,
      email: user.email,
      message: `Dialpad's user listing left out Dialpad user ${user.id}, but reading it by id found it: planned from that read, not created again`,
    });
  }
  if (gaps.dialpadUnconfirmed > 0) {
    warnings.push({
      oktaUserId: null,
      email: null,
      message: `Dialpad's user listing left out ${gaps.dialpadUnconfirmed} linked users, too many to read one by one in this run: none of them is created again on that listing's word`,
    });
  }
  return warnings;
}
