// An in-scope Okta user with no usable link: adopt the one Dialpad user with its primary email, take that user's
// link over when its owner let go of it (a re-hire, rules/relink-rule.ts), or create a Dialpad user.
//
// Worked example: ann@acme.com is assigned and has no link. One live Dialpad user, 17, has ann@acme.com as its
// primary email and no link: adopt 17 (and bring its fields in line). Had 17 been linked to 00uX, deactivated in
// Okta, the link passes to Ann (relink). Had no Dialpad user had the email, Ann is created; had two, or had one
// held it as a secondary email, Ann is skipped with what the admin can do.
import type { DialpadUser } from '../dialpad/types.js';
import { compareDialpadIds } from './dialpad-id.js';
import type { PlanBuilder } from './plan-builder.js';
import type { PlanIndex } from './plan-index.js';
import { emailKey } from '../identity/email-identity.js';
import { describeOktaUser, linkHold, linkedElsewhereRemedy, type LinkHold } from './rules/relink-rule.js';
import { scopedOutReason } from './rules/scope-rule.js';
import { planWriteBack } from './rules/write-back-rule.js';
import type { Action, DesiredUser, Link, SkippedUser } from './types.js';
import { diffExistingUser, type UserDiffContext } from './user-diff.js';

/** Whether a link's owner still holds it (rules/relink-rule.ts), and who it is, for messages. */
function linkOwner(link: Link, user: DialpadUser, index: PlanIndex, ctx: UserDiffContext): { hold: LinkHold; name: string } {
  const assignment = index.assignmentOf(link.oktaUserId) ?? null;
  const primary = user.emails[0];
  const hold = linkHold(
    {
      oktaUserId: link.oktaUserId,
      assignment,
      unreadable: index.hasRejectedAssignment(link.oktaUserId) || (primary !== undefined && index.hasRejectedLogin(primary)),
      fate: index.fateOf(link.oktaUserId),
      scopedOut: assignment !== null && ctx.scoping?.isActive === true ? scopedOutReason(ctx.scoping.verdict(assignment)) : null,
    },
    ctx.rules,
  );
  return { hold, name: describeOktaUser(link.oktaUserId, assignment) };
}

/**
 * Plans an in-scope desired user without a live linked Dialpad user: an adopt or relink (then the diff of that
 * user), a create (then the write-back of its number), or a skip with its remedy. Adds to `out`; a relink marks
 * its Dialpad user in `out.relinked`, so its previous owner is not retired and no second re-hire takes it.
 */
export function planAdoptOrCreate(desired: DesiredUser, index: PlanIndex, ctx: UserDiffContext, out: PlanBuilder): void {
  const { oktaUserId, email } = desired;
  const note = index.brokenLinkNote(oktaUserId);
  const because = (text: string): string => (note === null ? text : `${text}; ${note}`);
  // Each of these leaves an in-scope user without a Dialpad user: the reason ends with what an admin can do.
  const skip = (code: SkippedUser['code'], reason: string, remedy: string): void => {
    out.skipped.push({ oktaUserId, email, code, reason: because(`${reason}: ${remedy}`), remedy });
  };

  const candidates = index.primaryHoldersOf(emailKey(email));
  if (candidates.length > 1) {
    const ids = candidates.map((u) => u.id).sort(compareDialpadIds).join(', ');
    skip('ambiguous_dialpad_match', `several Dialpad users have the primary email ${email} (${ids})`, `in Dialpad, change the primary email of all but one of them`);
    return;
  }

  const candidate = candidates[0];
  if (candidate) {
    const owner = index.linkByDialpad.get(candidate.id);
    let linking: Action;
    if (owner && owner.oktaUserId !== oktaUserId) {
      const { hold, name } = linkOwner(owner, candidate, index, ctx);
      if (hold.holds || out.relinked.has(candidate.id)) {
        const why = hold.holds ? hold.why : `its link already passed to another Okta user in this run`;
        skip('email_linked_elsewhere', `Dialpad user ${candidate.id} (${email}) is linked to ${name}: ${why}`, linkedElsewhereRemedy(name, `Okta user ${oktaUserId}`));
        return;
      }
      out.relinked.add(candidate.id);
      linking = {
        kind: 'relink',
        dialpadUserId: candidate.id,
        previousOktaUserId: owner.oktaUserId,
        cause: hold.cause,
        origin: owner.origin,
        reason: because(`re-hire: Dialpad user ${candidate.id} (${email}) was linked to ${name}, which let go of it (${hold.why}): the link passes to Okta user ${oktaUserId}`),
      };
    } else {
      linking = { kind: 'adopt', dialpadUserId: candidate.id, reason: because(`Dialpad user ${candidate.id} has the primary email ${email}`) };
    }
    const diff = diffExistingUser(desired, candidate, ctx);
    out.warn(oktaUserId, email, diff.warnings);
    out.addDrift(diff);
    out.addUser({ oktaUserId, dialpadUserId: candidate.id, email, actions: [linking, ...diff.actions] });
    return;
  }

  // Only the primary email adopts; a user holding it as another email would make Dialpad refuse the create.
  const holder = index.holdersOf(emailKey(email))[0];
  if (holder) {
    const owner = index.linkByDialpad.get(holder.id);
    if (owner && owner.oktaUserId !== oktaUserId) {
      const { name } = linkOwner(owner, holder, index, ctx);
      skip('email_linked_elsewhere', `${email} is a secondary email of Dialpad user ${holder.id}, linked to ${name}`, `remove it from that Dialpad user, or give Okta user ${oktaUserId} another email`);
    } else {
      skip('ambiguous_dialpad_match', `${email} is a secondary email of Dialpad user ${holder.id}`, `make it its primary email in Dialpad to adopt it`);
    }
    return;
  }

  const actions: Action[] = [
    {
      kind: 'create',
      email,
      firstName: desired.firstName,
      lastName: desired.lastName,
      officeId: desired.officeId,
      license: desired.license,
      autoAssign: desired.wantsNumber,
      jobTitle: desired.jobTitle,
      reason: because(
        `assigned in Okta, no Dialpad user with ${email}: create in "${desired.officeName}" (office chosen by ${desired.officeRule}) as ${desired.license}${desired.wantsNumber ? ' with a number' : ', no number'}`,
      ),
    },
  ];
  const writeBack = planWriteBack(desired.currentWriteBack, desired.wantsNumber ? 'pending' : null, ctx.rules);
  if (writeBack) actions.push(writeBack);
  out.addUser({ oktaUserId, dialpadUserId: null, email, actions });
}
