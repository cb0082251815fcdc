// Several assigned Okta users with one email. Those not linked yet cannot be told apart: all of them are skipped.
// Linked ones keep their Dialpad user, but none of them may take the contested email.
//
// Worked example: 00uA (linked to Dialpad user 42) and 00uB (no link) both have tom@acme.com. 00uA keeps 42;
// 00uB is skipped as duplicate_email, with the remedy of unassigning 00uA (the link then passes to 00uB). Had
// both been linked, both would keep their Dialpad users, and neither would be moved to tom@acme.com.
import type { DesiredUsersByEmail } from './desired-users-by-email.js';
import type { PlanBuilder } from './plan-builder.js';
import type { PlanIndex } from './plan-index.js';
import { emailKey } from '../identity/email-identity.js';
import { linkedElsewhereRemedy } from './rules/relink-rule.js';
import type { DesiredUser } from './types.js';
import type { UserDiffContext } from './user-diff.js';

/** The emailKeys that several assigned Okta users, each linked to a live Dialpad user, have. */
export function contestedEmails(desired: DesiredUsersByEmail, index: PlanIndex): Set<string> {
  const contested = new Set<string>();
  desired.forEachEmail({
    alone: () => undefined,
    shared: (positions) => {
      const linked = positions.filter((p) => index.liveLinkedUser(desired.oktaUserIdAt(p)) !== null);
      const first = linked[0];
      if (first !== undefined && linked.length > 1) contested.add(desired.emailKeyAt(first));
    },
  });
  return contested;
}

/**
 * Settles one email several desired users have (`group`, in Okta id order): skips those not linked (as
 * duplicate_email, with a remedy) and returns the linked ones, to be planned as usual.
 */
export function settleDuplicateEmail(group: readonly DesiredUser[], index: PlanIndex, out: PlanBuilder): DesiredUser[] {
  const ids = group.map((d) => d.oktaUserId).join(', ');
  const linked = group.filter((d) => index.liveLinkedUser(d.oktaUserId) !== null);
  for (const d of group) {
    if (linked.includes(d)) continue;
    const holder = linked.length === 1 ? linked[0] : undefined;
    // One of them already has the Dialpad user: it keeps it until it lets go (then a re-hire takes the link over).
    const remedy = holder
      ? linkedElsewhereRemedy(`Okta user ${holder.oktaUserId}`, `Okta user ${d.oktaUserId}`)
      : `give each of these Okta users its own email, or unassign all but one of them from the app`;
    out.skipped.push({
      oktaUserId: d.oktaUserId,
      email: d.email,
      code: 'duplicate_email',
      reason: `${group.length} assigned Okta users have the email ${d.email} (${ids}): ${remedy}`,
      remedy,
    });
  }
  return linked;
}

/**
 * Why a linked user's primary email may not be changed to an email now: it is contested (see contestedEmails),
 * or another live Dialpad user holds it. null when it may.
 */
export function emailBlocker(contested: ReadonlySet<string>, index: PlanIndex): UserDiffContext['emailBlocker'] {
  return (email, dialpadUserId) => {
    const key = emailKey(email);
    if (contested.has(key)) return 'several assigned Okta users have this email';
    const holder = index.holdersOf(key).find((u) => u.id !== dialpadUserId);
    return holder ? `Dialpad user ${holder.id} already has this email` : null;
  };
}
