// The drift policies in the plan: what a linked user's plan does with fields edited in Dialpad, the findings it
// lists and the applied values it hands apply to record.
import { describe, expect, it } from 'vitest';
import { calculatePlan } from '../../src/plan/calculate.js';
import type { AppliedValues, DriftPolicies } from '../../src/plan/types.js';
import { type AppliedValueIndex, AppliedValueIndexBuilder } from '../../src/store/applied-value-index.js';
import { actionOf, assignment, dialpadUser, kinds, link, planInput, poolNumber, rules, SF } from './fixtures.js';

const EMAIL = 'u1@example.com';
const AT = '2026-11-30T10:00:00.000Z';
/** In step with dialpadUser('d1', EMAIL) but for what a test changes: a title, and the number already written back. */
const annIn = (title: string) => assignment('u1', { profile: { dialpadPhone: '+12125550111', title } });

function planFor(dialpad: Parameters<typeof dialpadUser>[2], drift: Partial<DriftPolicies>, applied?: AppliedValues, title = 'Engineer') {
  const input = planInput({
    assignments: [annIn(title)],
    dialpadUsers: [dialpadUser('d1', EMAIL, { jobTitle: 'Engineer', ...dialpad })],
    links: [link('u1', 'd1')],
    availableNumbers: [poolNumber('+14155550123', SF.id)],
    ...(applied ? { appliedValues: new Map([['d1', applied]]) } : {}),
  });
  const base = rules();
  const driftRules = rules({ drift: { ...base.drift, ...drift } });
  const plan = calculatePlan(input, driftRules);
  // A full run plans with the packed form of the same values: the plan must not change.
  expect(calculatePlan({ ...input, appliedValues: packed(applied) }, driftRules)).toEqual(plan);
  return plan;
}

/** The values as a full run reads them (store: AppliedValueIndex), or undefined for none. */
function packed(applied: AppliedValues | undefined): AppliedValueIndex | undefined {
  if (applied === undefined) return undefined;
  const builder = new AppliedValueIndexBuilder();
  for (const [field, value] of Object.entries(applied)) builder.add('d1', { field, applied: value.applied, okta: value.okta });
  return builder.build();
}

describe('drift in the plan', () => {
  it('an in-step user with no record: nothing to do, every field recorded as its baseline', () => {
    const plan = planFor({}, {});
    expect(plan.users).toEqual([]);
    expect(plan.drift).toBeUndefined();
    expect(plan.appliedRecords).toEqual([
      { dialpadUserId: 'd1', field: 'first_name', applied: 'Ada', okta: 'Ada' },
      { dialpadUserId: 'd1', field: 'last_name', applied: 'Lovelace', okta: 'Lovelace' },
      { dialpadUserId: 'd1', field: 'job_title', applied: 'Engineer', okta: 'Engineer' },
      { dialpadUserId: 'd1', field: 'office', applied: '5001', okta: '5001' },
      { dialpadUserId: 'd1', field: 'license', applied: 'talk', okta: 'talk' },
    ]);
  });

  it('an in-step user whose records agree: nothing to record', () => {
    const same = (value: string) => ({ applied: value, okta: value, at: AT });
    const plan = planFor({}, {}, { first_name: same('Ada'), last_name: same('Lovelace'), job_title: same('Engineer'), office: same('5001'), license: same('talk') });
    expect(plan.appliedRecords).toBeUndefined();
  });

  it('a title edited in Dialpad, adopt: no update, the finding and the adoption to record', () => {
    const plan = planFor({ jobTitle: 'Staff Engineer' }, { job_title: 'adopt' }, { job_title: { applied: 'Engineer', okta: 'Engineer', at: AT } });
    expect(plan.users).toEqual([]);
    expect(plan.drift).toEqual([
      { oktaUserId: 'u1', dialpadUserId: 'd1', email: EMAIL, field: 'job_title', okta: 'Engineer', dialpad: 'Staff Engineer', applied: 'Engineer', policy: 'adopt', decision: 'adopted' },
    ]);
    expect(plan.appliedRecords).toContainEqual({ dialpadUserId: 'd1', field: 'job_title', applied: 'Staff Engineer', okta: 'Engineer' });
    expect(plan.warnings).toEqual([]);
  });

  it("an adopted title after Okta's title changed: Okta's is written (okta_changed)", () => {
    const plan = planFor({ jobTitle: 'Staff Engineer' }, { job_title: 'adopt' }, { job_title: { applied: 'Staff Engineer', okta: 'Engineer', at: AT } }, 'Principal');
    expect(actionOf(plan.users[0], 'update')?.changes).toEqual([{ field: 'job_title', from: 'Staff Engineer', to: 'Principal' }]);
    expect(actionOf(plan.users[0], 'update')?.reason).toBe("differs from Okta: job_title (Okta's value changed since Dialpad's was adopted)");
    expect(plan.drift?.map((d) => d.decision)).toEqual(['okta_changed']);
  });

  const wrote = (value: string) => ({ applied: value, okta: value, at: AT });

  it.each(['report', 'revert', 'adopt'] as const)("Okta's title changed, Dialpad untouched, %s: written as ordinary sync, not listed as drift", (policy) => {
    const plan = planFor({}, { job_title: policy }, { job_title: wrote('Engineer') }, 'Principal');
    expect(actionOf(plan.users[0], 'update')).toMatchObject({ changes: [{ field: 'job_title', from: 'Engineer', to: 'Principal' }], reason: 'differs from Okta: job_title' });
    expect(plan.drift).toBeUndefined();
    expect(plan.warnings).toEqual([]);
  });

  it('a title edited in Dialpad, report: listed with a warning, nothing written; with Okta changed too still nothing (an admin decides)', () => {
    const edited = planFor({ jobTitle: 'Staff Engineer' }, { job_title: 'report' }, { job_title: wrote('Engineer') });
    expect(edited.users).toEqual([]);
    expect(edited.drift?.map((d) => [d.field, d.dialpad, d.okta, d.applied, d.decision])).toEqual([['job_title', 'Staff Engineer', 'Engineer', 'Engineer', 'reported']]);
    expect(edited.warnings.map((w) => w.message)).toEqual(['job_title drift: Dialpad has "Staff Engineer", Okta says "Engineer" (drift.job_title: report)']);

    const both = planFor({ jobTitle: 'Staff Engineer' }, { job_title: 'report' }, { job_title: wrote('Engineer') }, 'Principal');
    expect(both.users).toEqual([]);
    expect(both.drift?.map((d) => [d.dialpad, d.okta, d.decision])).toEqual([['Staff Engineer', 'Principal', 'reported']]);
  });

  it('a title edited in Dialpad, revert: Okta\'s written and listed as reverted', () => {
    const plan = planFor({ jobTitle: 'Staff Engineer' }, { job_title: 'revert' }, { job_title: wrote('Engineer') });
    expect(actionOf(plan.users[0], 'update')?.changes).toEqual([{ field: 'job_title', from: 'Staff Engineer', to: 'Engineer' }]);
    expect(plan.drift?.map((d) => d.decision)).toEqual(['reverted']);
  });

  it("a title edited in Dialpad and changed in Okta, adopt: Okta's wins, listed and said so", () => {
    const plan = planFor({ jobTitle: 'Staff Engineer' }, { job_title: 'adopt' }, { job_title: wrote('Engineer') }, 'Principal');
    expect(actionOf(plan.users[0], 'update')).toMatchObject({
      changes: [{ field: 'job_title', from: 'Staff Engineer', to: 'Principal' }],
      reason: "differs from Okta: job_title (changed in Okta and edited in Dialpad: Okta's wins)",
    });
    expect(plan.drift?.map((d) => d.decision)).toEqual(['okta_changed']);
  });

  it('an office reported as drift is named in the warning, with its id', () => {
    const plan = planFor({ officeId: SF.id }, { office: 'report' }, { office: wrote('5001') });
    expect(plan.warnings.map((w) => w.message)).toEqual([`office drift: Dialpad has "San Francisco" (${SF.id}), Okta says "New York" (5001) (drift.office: report)`]);
  });

  it("license, report (the default): Okta's licenseType change is applied when Dialpad still holds the last applied license; an edit in Dialpad is reported", () => {
    const input = (dialpadLicense: string) =>
      planInput({
        assignments: [assignment('u1', { profile: { dialpadPhone: '+12125550111', title: 'Engineer' }, appProfile: { licenseType: 'dialpad_sell' } })],
        dialpadUsers: [dialpadUser('d1', EMAIL, { jobTitle: 'Engineer', license: dialpadLicense })],
        links: [link('u1', 'd1')],
        appliedValues: new Map([['d1', { license: wrote('talk') }]]),
      });
    const changed = calculatePlan(input('talk'), rules());
    expect(actionOf(changed.users[0], 'update')).toMatchObject({ changes: [{ field: 'license', from: 'talk', to: 'agents' }], reason: 'differs from Okta: license' });
    expect(changed.drift).toBeUndefined();
    expect(changed.warnings).toEqual([]);

    const edited = calculatePlan(input('lite_lines'), rules());
    expect(edited.users).toEqual([]);
    expect(edited.drift?.map((d) => [d.field, d.dialpad, d.okta, d.decision])).toEqual([['license', 'lite_lines', 'agents', 'reported']]);
    expect(edited.warnings.map((w) => w.message)).toEqual(['license drift: Dialpad has lite_lines, Okta says agents (drift.license: report)']);
  });

  it('names: drift.name covers first and last name; report lists both and changes neither', () => {
    const plan = planFor({ firstName: 'Augusta', lastName: 'King' }, { name: 'report' });
    expect(plan.users).toEqual([]);
    expect(plan.drift?.map((d) => [d.field, d.decision])).toEqual([
      ['first_name', 'reported'],
      ['last_name', 'reported'],
    ]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'first_name drift: Dialpad has "Augusta", Okta says "Ada" (drift.name: report)',
      'last_name drift: Dialpad has "King", Okta says "Lovelace" (drift.name: report)',
    ]);
  });

  it('an office changed in Dialpad: revert moves back, report and adopt leave the user (and its number) in that office', () => {
    const reverted = planFor({ officeId: SF.id, phoneNumbers: [] }, {});
    expect(kinds(reverted.users[0])).toEqual(['move_office', 'assign_number', 'write_back']);
    expect(actionOf(reverted.users[0], 'move_office')?.toOfficeId).toBe('5001');

    const reported = planFor({ officeId: SF.id, phoneNumbers: [] }, { office: 'report' });
    expect(kinds(reported.users[0])).toEqual(['assign_number', 'write_back']);
    // The number comes from the office the user stays in.
    expect(actionOf(reported.users[0], 'assign_number')?.number).toBe('+14155550123');
    expect(reported.drift?.map((d) => [d.field, d.okta, d.dialpad, d.decision])).toEqual([['office', '5001', SF.id, 'reported']]);

    const adopted = planFor({ officeId: SF.id }, { office: 'adopt' });
    expect(adopted.users).toEqual([]);
    expect(adopted.appliedRecords).toContainEqual({ dialpadUserId: 'd1', field: 'office', applied: SF.id, okta: '5001' });
  });

  it('a license changed in Dialpad, adopt: kept while Okta says the same, written once Okta changes', () => {
    const kept = planFor({ license: 'agents' }, { license: 'adopt' }, { license: { applied: 'talk', okta: 'talk', at: AT } });
    expect(kept.users).toEqual([]);
    expect(kept.drift?.map((d) => d.decision)).toEqual(['adopted']);
    const input = planInput({
      assignments: [assignment('u1', { profile: { dialpadPhone: '+12125550111', title: 'Engineer' }, appProfile: { licenseType: 'dialpad_lite' } })],
      dialpadUsers: [dialpadUser('d1', EMAIL, { jobTitle: 'Engineer', license: 'agents' })],
      links: [link('u1', 'd1')],
      appliedValues: new Map([['d1', { license: { applied: 'agents', okta: 'talk', at: AT } }]]),
    });
    const changed = calculatePlan(input, rules({ drift: { ...rules().drift, license: 'adopt' } }));
    expect(actionOf(changed.users[0], 'update')?.changes).toEqual([{ field: 'license', from: 'agents', to: 'lite_lines' }]);
  });
});
