// Which Dialpad users are live (not deleted or cancelled), which live ones may be acted on, and which holds an
// email as its primary. The planner, `explain`, the create step and the crash settle-up all ask these questions;
// they are answered here once, so a user one of them adopts is the user the others would find.
import type { DialpadUser } from '../dialpad/types.js';
import { emailKey } from '../identity/email-identity.js';

/** Whether a Dialpad user is gone (deleted or cancelled): gone users are never matched, never acted on. */
export function isGoneDialpadUser(user: Pick<DialpadUser, 'state'>): boolean {
  return user.state === 'deleted' || user.state === 'cancelled';
}

/** UserProto.state values the rules know; a user in any other state is listed but never acted on. */
const KNOWN_DIALPAD_STATES: ReadonlySet<string> = new Set(['active', 'pending', 'suspended', 'cancelled', 'deleted']);

/**
 * Why a live Dialpad user must not be touched although it was read: a state the rules do not know (an
 * action could mean anything), or no email at all (every Dialpad user has one, so the response is
 * broken, and an email update would overwrite the real ones). null when it may be acted on.
 */
export function untouchableReason(user: Pick<DialpadUser, 'id' | 'state' | 'emails'>): string | null {
  if (!KNOWN_DIALPAD_STATES.has(user.state)) {
    return `Dialpad user ${user.id} is in state "${user.state}", which dialsync does not know: it is not touched`;
  }
  if (user.emails.length === 0) {
    return `Dialpad returned user ${user.id} without any email: it is not touched until Dialpad returns its emails`;
  }
  return null;
}

/**
 * The emailKey (rules/email-identity.ts) of a live Dialpad user's primary email (its first), or null when the
 * user is gone or has no email. Only a live user's primary email adopts: this is the key it adopts by.
 */
export function livePrimaryEmailKey(user: Pick<DialpadUser, 'state' | 'emails'>): string | null {
  const primary = user.emails[0];
  return primary === undefined || isGoneDialpadUser(user) ? null : emailKey(primary);
}

/**
 * The one live Dialpad user among `users` whose primary email is `email` (compared by emailKey), or null when
 * none or several are: several cannot be told apart, so none of them is taken.
 */
export function theLivePrimaryHolder<U extends Pick<DialpadUser, 'state' | 'emails'>>(users: readonly U[], email: string): U | null {
  const wanted = emailKey(email);
  let found: U | null = null;
  for (const user of users) {
    if (livePrimaryEmailKey(user) !== wanted) continue;
    if (found !== null) return null;
    found = user;
  }
  return found;
}
