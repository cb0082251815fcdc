// Retiring a Dialpad user whose Okta user no longer wants one: assigned but out of scope (suspended, deactivated,
// staged, ... in Okta), left out by scope.groups or a filter, or linked but no longer assigned to the app. Its Dialpad user is suspended, or deleted
// when the Okta user was deactivated or deleted and onDeactivated is delete; the number written back to Okta is
// cleared (writeBack.onSuspended: clear) where Okta still lets dialsync edit the profile.
//
// Worked example: 00uA (Dialpad user 42, active) is unassigned from the app; reading it by id finds it ACTIVE.
// 42 is suspended, and with writeBack.onSuspended clear, 00uA's dialpadPhone is cleared. Had 00uA been
// deactivated and onDeactivated delete, 42 is deleted and the profile left alone (Okta refuses such edits).
import type { OktaAssignment, OktaUserFate } from '../okta/types.js';
import { isGoneDialpadUser, untouchableReason } from './live-dialpad-user.js';
import type { PlanBuilder } from './plan-builder.js';
import type { PlanIndex } from './plan-index.js';
import { readDesiredEmail } from './rules/desired-user.js';
import { readProfileValue } from './rules/profile-attribute.js';
import { planWriteBackClear } from './rules/write-back-rule.js';
import type { Action, Link, Rules } from './types.js';

/**
 * The Okta user id an unassigned user's plan carries: none when the Okta user was deleted (there is no Okta user
 * left to name or to write to). Its failures are recorded under the key this gives (user-key.ts).
 */
export function retiredOktaUserId(link: Link, fate: OktaUserFate | undefined): string | null {
  return fate?.kind === 'deleted' ? null : link.oktaUserId;
}

function fateReason(fate: OktaUserFate | undefined): { reason: string; deactivatedOrDeleted: boolean } {
  if (fate?.kind === 'deleted') return { reason: 'deleted in Okta', deactivatedOrDeleted: true };
  if (fate?.kind === 'exists' && fate.status === 'DEPROVISIONED') {
    return { reason: 'deactivated in Okta', deactivatedOrDeleted: true };
  }
  return { reason: 'unassigned from the app', deactivatedOrDeleted: false };
}

/**
 * Plans an assignment whose Okta status is not in scope: suspend (or delete) its live linked Dialpad user and
 * clear the written-back number; with no such user, a not_in_scope skip. Nothing when Okta suspended it and
 * onOktaSuspended is ignore, or a re-hire in this plan took its Dialpad user over. Adds to `out`.
 */
export function retireOutOfScope(assignment: OktaAssignment, index: PlanIndex, rules: Rules, out: PlanBuilder): void {
  const { oktaUserId, status } = assignment;
  const reading = readDesiredEmail(assignment, rules.mapping);
  const user = index.liveLinkedUser(oktaUserId);
  const email = reading.ok ? reading.email : (user?.emails[0] ?? reading.value);

  if (!user) {
    const note = index.brokenLinkNote(oktaUserId);
    out.skipped.push({
      oktaUserId,
      email,
      code: 'not_in_scope',
      reason: `Okta user status is ${status}: not in scope, no Dialpad user is created${note === null ? '' : `; ${note}`}`,
    });
    return;
  }
  if (status === 'SUSPENDED' && rules.onOktaSuspended === 'ignore') return;
  // A re-hire took its Dialpad user over: it is no longer this Okta user's to suspend.
  if (out.relinked.has(user.id)) return;
  const untouchable = untouchableReason(user);
  if (untouchable !== null) {
    out.skipped.push({ oktaUserId, email: email ?? user.emails[0] ?? null, code: 'invalid_dialpad_data', reason: `Okta user status is ${status}, but ${untouchable}` });
    return;
  }

  const actions: Action[] = [];
  const why = `Okta user status is ${status}`;
  if (status === 'DEPROVISIONED' && rules.onDeactivated === 'delete') {
    actions.push({ kind: 'delete', reason: `${why} (onDeactivated: delete)` });
  } else if (user.state !== 'suspended') {
    actions.push({ kind: 'suspend', reason: why });
  }
  // Okta refuses profile updates of deactivated users (by default): no clear for them.
  const profile = rules.writeBack.target === 'user' ? assignment.profile : assignment.appProfile;
  const current = readProfileValue(profile, rules.writeBack.attribute);
  if (status !== 'DEPROVISIONED' && current !== null) {
    const clear = planWriteBackClear(current, actions.length > 0 ? why : 'suspended in Dialpad', rules);
    if (clear) actions.push(clear);
  }
  out.addUser({ oktaUserId, dialpadUserId: user.id, email: email ?? user.emails[0] ?? '', actions });
}

/**
 * Plans an assignment in an in-scope status that scope.groups or a filter leaves out (`why` names the group or
 * clause). onOutOfScope suspend: as if unassigned, its live linked Dialpad user is suspended (never deleted for
 * this) and the written-back number cleared per writeBack.onSuspended; ignore, or no such user: an out_of_scope
 * skip saying so. Nothing when a re-hire in this plan took its Dialpad user over. Adds to `out`.
 */
export function retireScopedOut(assignment: OktaAssignment, why: string, index: PlanIndex, rules: Rules, out: PlanBuilder): void {
  const { oktaUserId } = assignment;
  const reading = readDesiredEmail(assignment, rules.mapping);
  const user = index.liveLinkedUser(oktaUserId);
  const email = reading.ok ? reading.email : (user?.emails[0] ?? reading.value);
  if (!user) {
    const note = index.brokenLinkNote(oktaUserId);
    out.skipped.push({ oktaUserId, email, code: 'out_of_scope', reason: `${why}: no Dialpad user is created${note === null ? '' : `; ${note}`}` });
    return;
  }
  if (out.relinked.has(user.id)) return;
  if (rules.scope.onOutOfScope === 'ignore') {
    out.skipped.push({ oktaUserId, email, code: 'out_of_scope', reason: `${why}: Dialpad user ${user.id} is left as it is (scope.onOutOfScope: ignore)` });
    return;
  }
  const untouchable = untouchableReason(user);
  if (untouchable !== null) {
    out.skipped.push({ oktaUserId, email: email ?? user.emails[0] ?? null, code: 'invalid_dialpad_data', reason: `${why}, but ${untouchable}` });
    return;
  }
  const actions: Action[] = [];
  if (user.state !== 'suspended') actions.push({ kind: 'suspend', reason: why });
  const profile = rules.writeBack.target === 'user' ? assignment.profile : assignment.appProfile;
  const current = readProfileValue(profile, rules.writeBack.attribute);
  if (current !== null) {
    const clear = planWriteBackClear(current, actions.length > 0 ? why : 'suspended in Dialpad', rules);
    if (clear) actions.push(clear);
  }
  out.addUser({ oktaUserId, dialpadUserId: user.id, email: email ?? user.emails[0] ?? '', actions });
}

/**
 * Plans a linked Okta user with no assignment any more: suspend (or delete, per onDeactivated and what reading
 * it by id found) its live Dialpad user. Nothing when that user is gone or a re-hire in this plan took it over;
 * only a warning when an unreadable assignment with its email may still be its own. Adds to `out`.
 */
export function retireUnassigned(link: Link, index: PlanIndex, rules: Rules, out: PlanBuilder): void {
  const user = index.usersById.get(link.dialpadUserId);
  if (!user || isGoneDialpadUser(user) || out.relinked.has(user.id)) return;
  const untouchable = untouchableReason(user);
  if (untouchable !== null) {
    out.skipped.push({ oktaUserId: link.oktaUserId, email: user.emails[0] ?? null, code: 'invalid_dialpad_data', reason: `no longer assigned in Okta, but ${untouchable}` });
    return;
  }
  const primary = user.emails[0];
  if (primary !== undefined && index.hasRejectedLogin(primary)) {
    out.warn(link.oktaUserId, primary, [
      `not suspended: an assignment with the login ${primary} could not be read, so the user may still be assigned`,
    ]);
    return;
  }
  const fate = index.fateOf(link.oktaUserId);
  const { reason, deactivatedOrDeleted } = fateReason(fate);

  const actions: Action[] = [];
  if (deactivatedOrDeleted && rules.onDeactivated === 'delete') {
    actions.push({ kind: 'delete', reason: `${reason} (onDeactivated: delete)` });
  } else if (user.state !== 'suspended') {
    actions.push({ kind: 'suspend', reason });
  }
  // The profile is not read for unassigned users, so the value is unknown: clear only along with the
  // suspend or delete, only on the Okta user profile (unassigning discards the app-user profile), and
  // only for an Okta user that exists and may still be edited (not deactivated).
  if (
    actions.length > 0 &&
    rules.writeBack.target === 'user' &&
    fate?.kind === 'exists' &&
    fate.status !== 'DEPROVISIONED'
  ) {
    const clear = planWriteBackClear(null, reason, rules);
    if (clear) actions.push(clear);
  }
  out.addUser({
    oktaUserId: retiredOktaUserId(link, fate),
    dialpadUserId: user.id,
    email: user.emails[0] ?? '',
    actions,
  });
}
