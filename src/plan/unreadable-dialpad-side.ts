// What the Dialpad listing could not read, or returned in a shape no action may touch: users planned against it
// are skipped, never created or adopted, since the listing may merely have failed to show what is there.
import type { DialpadRejectedUser } from '../dialpad/types.js';
import { untouchableReason } from './live-dialpad-user.js';
import type { PlanIndex } from './plan-index.js';
import { emailKey } from '../identity/email-identity.js';
import type { DesiredUser } from './types.js';

/** A Dialpad user the listing could not read, for messages: its id and first email when known, and why. */
export function describeRejected(user: DialpadRejectedUser): string {
  return `Dialpad user ${user.id ?? '(without an id)'}${user.emails?.[0] ? ` (${user.emails[0]})` : ''} could not be read (${user.reason})`;
}

/**
 * Why the Dialpad side of a desired user cannot be acted on: its linked Dialpad user, or a Dialpad user
 * with its email, came unreadable or untouchable. Acting anyway could create a duplicate of a user the
 * listing merely failed to show, or overwrite what it failed to show. null when all is readable.
 */
export function unreadableDialpadSide(desired: DesiredUser, index: PlanIndex): string | null {
  const link = index.linkByOkta.get(desired.oktaUserId);
  const rejectedLinked = link ? index.rejectedById.get(link.dialpadUserId) : undefined;
  if (rejectedLinked) return `the linked ${describeRejected(rejectedLinked)}: nothing is done until Dialpad returns it whole`;
  const linked = index.liveLinkedUser(desired.oktaUserId);
  if (linked) return untouchableReason(linked);
  const key = emailKey(desired.email);
  const rejectedByEmail = index.rejectedByEmail.get(key);
  if (rejectedByEmail) return `${describeRejected(rejectedByEmail)} and has the email ${desired.email}: not created or adopted while it is unreadable`;
  for (const candidate of index.holdersOf(key)) {
    const reason = untouchableReason(candidate);
    if (reason !== null) return `${reason} (it has the email ${desired.email})`;
  }
  return null;
}
