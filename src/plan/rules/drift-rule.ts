// What a run does with a field whose Dialpad value differs from Okta's (docs: README, Drift): report it, revert it
// to Okta's, or adopt Dialpad's until Okta's value changes again. Telling "Dialpad changed since dialsync wrote it"
// from "Okta changed" takes the last applied record of the field: the value Dialpad held after dialsync's last
// decision, and Okta's value at that time.
//
// Worked example, drift.job_title: adopt. dialsync wrote "Engineer" (record: applied "Engineer", okta "Engineer").
// An admin edits the title in Dialpad's portal to "Staff Engineer": the sides differ, Okta still says "Engineer" as
// recorded, so Dialpad's is adopted (record: applied "Staff Engineer", okta "Engineer") and nothing is written.
// Later Okta's title becomes "Principal": Okta changed since the record, so "Principal" is written (okta_changed).
import type { DialpadUser } from '../../dialpad/types.js';
import type { AppliedField, AppliedValue, AppliedValues, DesiredUser, DriftDecision, DriftPolicies, DriftPolicy } from '../types.js';

/** What the rule decides for one field. */
export interface DriftVerdict {
  /** null: the sides agree (nothing to report). */
  decision: DriftDecision | null;
  /** Write Okta's value to Dialpad. */
  write: boolean;
  /** The record to keep without a write (a baseline or an adoption); null: the store keeps what it holds. */
  record: { applied: string | null; okta: string | null } | null;
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

/**
 * The decision for one field, given Okta's value now (as the rules compute it), Dialpad's value now, the last
 * applied record (undefined: none) and the field's policy:
 * - equal: nothing; the record becomes {applied: value, okta: value} when it is missing or says otherwise, so a
 *   later change can be told apart;
 * - report: `reported`, nothing written or recorded;
 * - revert: `reverted`, Okta's value written;
 * - adopt: Okta's value changed since the record → `okta_changed`, Okta's value written (Okta wins); otherwise (no
 *   record either: who changed it cannot be told) `adopted`, Dialpad's value kept and recorded with Okta's now.
 * Pure; throws nothing.
 */
export function decideDrift(okta: string | null, dialpad: string | null, record: AppliedValue | undefined, policy: DriftPolicy): DriftVerdict {
  if (same(okta, dialpad)) return { decision: null, write: false, record: recordOf(record, dialpad, okta) };
  switch (policy) {
    case 'report':
      return { decision: 'reported', write: false, record: null };
    case 'revert':
      return { decision: 'reverted', write: true, record: null };
    case 'adopt':
      if (record !== undefined && !same(record.okta, okta)) return { decision: 'okta_changed', write: true, record: null };
      return { decision: 'adopted', write: false, record: recordOf(record, dialpad, okta) };
  }
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
