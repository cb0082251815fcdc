// What must change on a Dialpad user that dialsync owns for it to match its desired user
// (docs/rules.md#mapping to #write-back): reactivate, update fields, move office, give a number, write the number back.
import type { ScopeEvaluator } from './rules/scope-rule.js';
import type { DialpadOffice, DialpadUser } from '../dialpad/types.js';
import { emailKey } from '../identity/email-identity.js';
import { planNumberAssignment, type NumberPool } from './rules/number-rule.js';
import { driftPolicyKey, isDrift, userDrift, type FieldDrift } from './rules/drift-rule.js';
import type { Action, AppliedRecord, AppliedValueLookup, DesiredUser, DriftFinding, FieldChange, Rules } from './types.js';
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
  /** Dialpad user id → the values dialsync last applied (PlanInput.appliedValues); absent: none known. */
  appliedValues?: AppliedValueLookup | undefined;
}

/**
 * The actions for one user, in the order they must run, drift worth a warning that changes nothing, every field
 * edited in Dialpad with its drift decision, and the applied values to record without a write (baselines, adoptions).
 */
export interface UserDiff {
  actions: Action[];
  warnings: string[];
  drift: DriftFinding[];
  records: AppliedRecord[];
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

/** A drift value as the plan's warning shows it: an office by name (with its id), as the actions show it. */
function shown(field: FieldDrift['field'], value: string | null, ctx: UserDiffContext): string {
  if (value === null || value === '') return '(empty)';
  return field === 'office' ? officeLabel(ctx.officesById.get(value), value) : `"${value}"`;
}

function fieldChanges(desired: DesiredUser, user: DialpadUser, ctx: UserDiffContext, drift: readonly FieldDrift[], warnings: string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  // Names and title as the drift policies decide (names are never cleared, a title cannot be: see drift-rule.ts).
  for (const field of drift) {
    if (field.field === 'office' || field.field === 'license' || !field.verdict.write) continue;
    changes.push({ field: field.field, from: field.dialpad, to: field.okta ?? '' });
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

  // Dialpad's SCIM never changes a license after creation; by default (drift.license: report) the drift is only
  // reported (docs/rules.md#license).
  const license = drift.find((field) => field.field === 'license');
  if (license?.verdict.write) changes.push({ field: 'license', from: license.dialpad, to: desired.license });

  for (const field of drift) {
    if (field.verdict.decision !== 'reported') continue;
    const key = `drift.${driftPolicyKey(field.field)}`;
    warnings.push(
      field.field === 'license'
        ? `license drift: Dialpad has ${field.dialpad}, Okta says ${field.okta} (${key}: report)`
        : `${field.field} drift: Dialpad has ${shown(field.field, field.dialpad, ctx)}, Okta says ${shown(field.field, field.okta, ctx)} (${key}: report)`,
    );
  }
  return changes;
}

/**
 * Said after a field Okta's change overwrites where Dialpad held an adopted value or an edit of its own; nothing for
 * a plain Okta change (Dialpad still held what dialsync wrote) or any other write.
 */
function oktaChanged(drift: readonly FieldDrift[], field: string): string {
  const verdict = drift.find((f) => f.field === field)?.verdict;
  if (verdict?.decision !== 'okta_changed') return '';
  if (verdict.dialpadSide === 'adopted') return " (Okta's value changed since Dialpad's was adopted)";
  if (verdict.dialpadSide === 'edited') return " (changed in Okta and edited in Dialpad: Okta's wins)";
  return '';
}

/** The plan's drift findings and the records to keep, for one Dialpad user's fields. */
function driftOfUser(desired: DesiredUser, user: DialpadUser, drift: readonly FieldDrift[]): Pick<UserDiff, 'drift' | 'records'> {
  const findings: DriftFinding[] = [];
  const records: AppliedRecord[] = [];
  for (const { field, policy, okta, dialpad, applied, verdict } of drift) {
    // A plain Okta change is ordinary sync, not drift: the update's reason says it.
    if (verdict.decision !== null && isDrift(verdict)) {
      findings.push({ oktaUserId: desired.oktaUserId, dialpadUserId: user.id, email: desired.email, field, okta, dialpad, applied, policy, decision: verdict.decision });
    }
    if (verdict.record !== null) records.push({ dialpadUserId: user.id, field, ...verdict.record });
  }
  return { drift: findings, records };
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

  const drift = userDrift(desired, user, ctx.appliedValues?.get(user.id), ctx.rules.drift);
  const changes = fieldChanges(desired, user, ctx, drift, warnings);
  if (changes.length > 0) {
    actions.push({
      kind: 'update',
      changes,
      reason: `differs from Okta: ${changes.map((c) => `${c.field}${oktaChanged(drift, c.field)}`).join(', ')}`,
    });
  }

  let international = false;
  // An office drift reported or adopted keeps the user where Dialpad has it: numbers come from that office.
  const officeMove = drift.find((field) => field.field === 'office')?.verdict.write ?? false;
  const officeId = officeMove ? desired.officeId : (user.officeId ?? desired.officeId);
  if (officeMove) {
    const from = user.officeId === null ? undefined : ctx.officesById.get(user.officeId);
    const to = ctx.officesById.get(desired.officeId);
    // An office we cannot see may be abroad: assume the worst, the plan then says numbers may change.
    international = from === undefined || !sameText(from.country, to?.country ?? null);
    const move = `move from ${officeLabel(from, user.officeId)} to ${officeLabel(to, desired.officeId)} (office chosen by ${desired.officeRule})${oktaChanged(drift, 'office')}`;
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

  const office = ctx.officesById.get(officeId);
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

  return { actions, warnings, ...driftOfUser(desired, user, drift) };
}
