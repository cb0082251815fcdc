// A re-hire's relink: the link of a Dialpad user passes from the Okta account that let go of it to the new one.
// It is the only write to dialsync's own store that must survive a crash like an API write, so it is journaled
// (target store) and done in one transaction. The actions after it (reactivate, update, write-back) are ordinary
// writes: a crash between the relink and the reactivation leaves the new account linked to a suspended Dialpad
// user, which the next run simply reactivates (never a second user).
import type { Action, UserPlan } from '../plan/types.js';
import type { LinkTransfer } from '../store/links.js';
import type { ApplyContext } from './apply-context.js';
import type { DialpadUserState } from './create-user.js';
import { journaled } from './journaled.js';
import { linkTransfer } from './writes.js';

type RelinkAction = Extract<Action, { kind: 'relink' }>;

/**
 * A re-hire (docs/rules.md#rehire): moves the link (LinkStore.transfer, journaled) and points the user's state at
 * the Dialpad user, so the actions that follow act on it. Returns what was done; throws when the user has no Okta
 * id or the store refuses (LinkTransferError, code `link_moved`, when a third Okta user holds the link by now).
 */
export async function applyRelink(user: UserPlan, action: RelinkAction, state: DialpadUserState, context: ApplyContext): Promise<string> {
  const oktaUserId = user.oktaUserId;
  if (!oktaUserId) throw new Error('relink needs an Okta user');
  const move: LinkTransfer = { dialpadUserId: action.dialpadUserId, from: action.previousOktaUserId, to: oktaUserId, origin: action.origin };
  const subject = { runId: context.runId, oktaUserId, email: user.email, action: 'relink' } as const;
  await journaled(context.store, subject, linkTransfer(context.store, move, user.email));
  state.dialpadUserId = action.dialpadUserId;
  return `linked to Dialpad user ${action.dialpadUserId} (was Okta user ${action.previousOktaUserId}'s, ${action.cause.replace('_', ' ')})`;
}
