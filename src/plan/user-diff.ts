// What must change on a Dialpad user that dialsync owns for it to match its desired user
// (docs/rules.md#mapping to #write-back): reactivate, update fields, move office, give a number, write the number back.
import type { ScopeEvaluator } from './rules/scope-rule.js';
import type { DialpadOffice, DialpadUser } from '../dialpad/types.js';
import { emailKey } from '../identity/email-identity.js';
import { planNumberAssignment, type NumberPool } from './rules/number-rule.js';
import type { Action, DesiredUser, FieldChange, Rules } from './types.js';
import { planWriteBack } from './rules/write-back-rule.js';

/** What diffing one user needs from the whole plan; `pool` is shared by the plan and drawn from. */
export interface UserDiffContext {
  rules: Rules;
  /** All offices by id, inactive ones too: a user may still sit in one. */
  officesById: ReadonlyMap<string, DialpadOffice>;
  pool: NumberPool;
  /** Why the user's primary email may not be changed to `email` now (someone else holds it), or null. */
  emailBlocker: (email: string, dialpadUserId: string) => string | null;
  /** Scoping (rules/scope-rule.ts): whether a link's owner the groups or filters leave out still holds its link. */
  scoping?: ScopeEvaluator;
}

/** The actions for one user, in the order they must run, and drift worth a warning that changes nothing. */
export interface UserDiff {
  actions: Action[];
  warnings: string[];
}

function sameText(a: string | null, b: string | null): boolean {
  return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
}

/** Language tags: "en-US" and "en_us" are the same; "en" and "en-US" too (one side has no region). */
function sameLanguage(a: string, b: string): boolean {
  const x = a.trim().toLowerCase().replace(/_/g, '-');
  const y = b.trim().toLowerCase().replace(/_/g, '-');
  if (x === y) return true;
  if (!x.includes('-') || !y.includes('-')) return x.split('-')[0] === y.split('-')[0];
  return false;
}

function officeLabel(office: DialpadOffice | undefined, id: string | null): string {
  if (id === null) return 'no office';
  return office ? `"${office.name}" (${id})` : `office ${id}`;
}

function fieldChanges(desired: DesiredUser, user: DialpadUser, ctx: UserDiffContext, warnings: string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  // Names are only set, never cleared: an empty Okta name (the other one is present) leaves Dialpad's.
  if (desired.firstName !== '' && desired.firstName !== (user.firstName ?? '')) {
    changes.push({ field: 'first_name', from: user.firstName, to: desired.firstName });
  }
  if (desired.lastName !== '' && desired.lastName !== (user.lastName ?? '')) {
    changes.push({ field: 'last_name', from: user.lastName, to: desired.lastName });
  }
  // Dialpad's PATCH cannot clear a title (an empty string is not a title): only a present one is synced.
  if (desired.jobTitle !== null && desired.jobTitle !== (user.jobTitle ?? '')) {
    changes.push({ field: 'job_title', from: user.jobTitle, to: desired.jobTitle });
  }

  // One mailbox in two spellings (case, IDNA or Unicode form of the domain, NFC/NFD) is no change.
  const oldPrimary = user.emails[0] ?? null;
  if (oldPrimary !== desired.email && (oldPrimary === null || emailKey(oldPrimary) !== emailKey(desired.email))) {
    const newKey = emailKey(desired.email);
    const oldKey = oldPrimary === null ? null : emailKey(oldPrimary);
    const blocker = ctx.emailBlocker(desired.email, user.id);
    if (blocker !== null) {
      warnings.push(`primary email not changed to ${desired.email}: ${blocker}`);
    } else {
      const others = user.emails.slice(1).filter((e) => emailKey(e) !== newKey && emailKey(e) !== oldKey);
      changes.push({ field: 'emails', from: [...user.emails], to: [desired.email, ...others] });
    }
  }

  // Dialpad's SCIM never changes a license after creation; by default the drift is only reported (docs/rules.md#license).
  if (user.license !== null && user.license !== desired.license) {
    if (ctx.rules.licenseDrift === 'apply') {
      changes.push({ field: 'license', from: user.license, to: desired.license });
    } else {
      warnings.push(`license drift: Dialpad has ${user.license}, Okta says ${desired.license} (licenseDrift: report)`);
    }
  }
  return changes;
}

/**
 * What must change on an existing (linked or adopted) Dialpad user to match its desired user: reactivate, update,
 * move office, assign a number, write the number back (docs/rules.md#mapping to #write-back). Takes the number it
 * assigns from `ctx.pool`, so no other user of the plan gets it; otherwise pure; does not throw.
 */
export function diffExistingUser(desired: DesiredUser, user: DialpadUser, ctx: UserDiffContext): UserDiff {
  const actions: Action[] = [];
  const warnings: string[] = [];

  if (user.state === 'suspended') {
    actions.push({ kind: 'reactivate', reason: `in scope in Okta (${desired.status}) but suspended in Dialpad` });
  }

  const changes = fieldChanges(desired, user, ctx, warnings);
  if (changes.length > 0) {
    actions.push({
      kind: 'update',
      changes,
      reason: `differs from Okta: ${changes.map((c) => c.field).join(', ')}`,
    });
  }

  let international = false;
  if (user.officeId !== desired.officeId) {
    const from = user.officeId === null ? undefined : ctx.officesById.get(user.officeId);
    const to = ctx.officesById.get(desired.officeId);
    // An office we cannot see may be abroad: assume the worst, the plan then says numbers may change.
    international = from === undefined || !sameText(from.country, to?.country ?? null);
    const move = `move from ${officeLabel(from, user.officeId)} to ${officeLabel(to, desired.officeId)} (office chosen by ${desired.officeRule})`;
    actions.push({
      kind: 'move_office',
      fromOfficeId: user.officeId,
      toOfficeId: desired.officeId,
      international,
      reason: international
        ? `${move}; international move: Dialpad unassigns the user's numbers and assigns new ones`
        : move,
    });
  }

  const office = ctx.officesById.get(desired.officeId);
  // An international move already makes Dialpad assign a new number.
  const assign =
    desired.wantsNumber && user.phoneNumbers.length === 0 && !international && office !== undefined
      ? planNumberAssignment(office, ctx.pool)
      : null;
  if (assign) actions.push(assign);

  if (desired.country !== null && user.country !== null && !sameText(desired.country, user.country)) {
    warnings.push(`country drift: Dialpad has ${user.country}, Okta says ${desired.country} (read-only in Dialpad)`);
  }
  if (desired.language !== null && user.language !== null && !sameLanguage(desired.language, user.language)) {
    warnings.push(`language drift: Dialpad has ${user.language}, Okta says ${desired.language} (read-only in Dialpad)`);
  }

  const numberKnown = !international && assign === null;
  const writeBack = planWriteBack(
    desired.currentWriteBack,
    numberKnown ? (user.phoneNumbers[0] ?? null) : 'pending',
    ctx.rules,
  );
  if (writeBack) actions.push(writeBack);

  return { actions, warnings };
}
