// What a run does with a field whose Dialpad value differs from Okta's (docs: README, Drift). Drift is an edit made
// in Dialpad: a change of Okta's value is ordinary sync and is written whatever the policy; a value edited in
// Dialpad is reported, reverted to Okta's, or adopted until Okta's value changes again. Telling the two apart takes
// the last applied record of the field: the value Dialpad held after dialsync's last decision, and Okta's value at
// that time.
//
// Worked example, drift.job_title: adopt. dialsync wrote "Engineer" (record: applied "Engineer", okta "Engineer").
// An admin edits the title in Dialpad's portal to "Staff Engineer": Dialpad differs from the record, Okta still says
// "Engineer" as recorded, so Dialpad's is adopted (record: applied "Staff Engineer", okta "Engineer") and nothing is
// written; each later run reads last applied "Staff Engineer" and keeps it. Later Okta's title becomes "Principal":
// Okta changed since the record, so "Principal" is written (okta_changed) and recorded as applied.
import type { DialpadUser } from '../../dialpad/types.js';
import type { AppliedField, AppliedValue, AppliedValues, DesiredUser, DriftDecision, DriftPolicies, DriftPolicy } from '../types.js';

/**
 * How Dialpad's value stands against the last applied record: `as_applied` it still holds what dialsync wrote from
 * Okta; `adopted` it still holds a value adopted from Dialpad; `edited` it changed since the record (an edit made in
 * Dialpad); `unrecorded` there is no record, so who changed it cannot be told.
 */
export type DialpadSide = 'as_applied' | 'adopted' | 'edited' | 'unrecorded';

/** What the rule decides for one field. */
export interface DriftVerdict {
  /** null: the sides agree (nothing to do). */
  decision: DriftDecision | null;
  /** Write Okta's value to Dialpad. */
  write: boolean;
  /** The record to keep without a write (a baseline or an adoption); null: the store keeps what it holds. */
  record: { applied: string | null; okta: string | null } | null;
  /** Dialpad's value against the record; drift (worth listing) is a difference where it is not `as_applied`. */
  dialpadSide: DialpadSide;
}

/** Unset and empty are one value: Dialpad's API answers either for a field that holds nothing. */
function same(a: string | null, b: string | null): boolean {
  return (a ?? '') === (b ?? '');
}

/** The record that makes the store hold {applied, okta}, or null when it holds it already. */
function recordOf(record: AppliedValue | undefined, applied: string | null, okta: string | null): DriftVerdict['record'] {
  if (record !== undefined && same(record.applied, applied) && same(record.okta, okta)) return null;
  return { applied, okta };
}

function dialpadSideOf(dialpad: string | null, record: AppliedValue | undefined): DialpadSide {
  if (record === undefined) return 'unrecorded';
  if (!same(dialpad, record.applied)) return 'edited';
  return same(record.applied, record.okta) ? 'as_applied' : 'adopted';
}

/**
 * The decision for one field, given Okta's value now (as the rules compute it), Dialpad's value now, the last
 * applied record (undefined: none) and the field's policy:
 * - equal: nothing; the record becomes {applied: value, okta: value} when it is missing or says otherwise, so a
 *   later change can be told apart;
 * - Okta changed only (Dialpad still holds the record's applied value, Okta's differs from the record's): ordinary
 *   sync, whatever the policy: `okta_changed`, Okta's value written;
 * - otherwise Dialpad's value is an edit made in Dialpad (changed since the record, or adopted earlier, or no record
 *   tells who changed it): report → `reported`, nothing written or recorded (with Okta changed too an admin decides);
 *   revert → `reverted`, Okta's value written; adopt → `adopted`, Dialpad's value kept and recorded with Okta's now,
 *   but when Okta changed too → `okta_changed`, Okta's value written (Okta wins).
 * Pure; throws nothing.
 */
export function decideDrift(okta: string | null, dialpad: string | null, record: AppliedValue | undefined, policy: DriftPolicy): DriftVerdict {
  const dialpadSide = dialpadSideOf(dialpad, record);
  if (same(okta, dialpad)) return { decision: null, write: false, record: recordOf(record, dialpad, okta), dialpadSide };
  const oktaChanged = record !== undefined && !same(record.okta, okta);
  if (oktaChanged && dialpadSide !== 'edited') return { decision: 'okta_changed', write: true, record: null, dialpadSide };
  switch (policy) {
    case 'report':
      return { decision: 'reported', write: false, record: null, dialpadSide };
    case 'revert':
      return { decision: 'reverted', write: true, record: null, dialpadSide };
    case 'adopt':
      if (oktaChanged) return { decision: 'okta_changed', write: true, record: null, dialpadSide };
      return { decision: 'adopted', write: false, record: recordOf(record, dialpad, okta), dialpadSide };
  }
}

/** Whether a verdict is drift worth listing: the sides differ and Dialpad's value is not the one dialsync wrote from Okta. */
export function isDrift(verdict: DriftVerdict): boolean {
  return verdict.decision !== null && verdict.dialpadSide !== 'as_applied';
}

/** One field of one Dialpad user as the drift rule saw it. */
export interface FieldDrift {
  field: AppliedField;
  policy: DriftPolicy;
  okta: string | null;
  dialpad: string | null;
  /** The last applied value recorded (null: none recorded, or it was empty). */
  applied: string | null;
  verdict: DriftVerdict;
}

/** The policy key of a field in the config file (drift.name covers both names). */
export function driftPolicyKey(field: AppliedField): keyof DriftPolicies {
  return field === 'first_name' || field === 'last_name' ? 'name' : field;
}

/**
 * The drift of each field dialsync keeps in step on an existing Dialpad user, in the order first_name, last_name,
 * job_title, office, license. Fields dialsync never writes are left out, as they always were: an empty Okta name
 * (names are never cleared), no Okta title (Dialpad's PATCH cannot clear one), a Dialpad user without a license
 * (nothing to compare). A Dialpad user in no office is moved whatever drift.office says: no admin chose that.
 * Pure; throws nothing.
 */
export function userDrift(desired: DesiredUser, user: DialpadUser, recorded: AppliedValues | undefined, policies: DriftPolicies): FieldDrift[] {
  const sides: [AppliedField, string | null, string | null][] = [];
  if (desired.firstName !== '') sides.push(['first_name', desired.firstName, user.firstName]);
  if (desired.lastName !== '') sides.push(['last_name', desired.lastName, user.lastName]);
  if (desired.jobTitle !== null) sides.push(['job_title', desired.jobTitle, user.jobTitle]);
  sides.push(['office', desired.officeId, user.officeId]);
  if (user.license !== null) sides.push(['license', desired.license, user.license]);
  return sides.map(([field, okta, dialpad]) => {
    const record = recorded?.[field];
    const policy = field === 'office' && dialpad === null ? 'revert' : policies[driftPolicyKey(field)];
    return { field, policy, okta, dialpad, applied: record?.applied ?? null, verdict: decideDrift(okta, dialpad, record, policy) };
  });
}
