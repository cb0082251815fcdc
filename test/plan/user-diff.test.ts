// The drift policies in the plan: what a linked user's plan does with fields edited in Dialpad, the findings it
// lists and the applied values it hands apply to record.
import { describe, expect, it } from 'vitest';
import { calculatePlan } from '../../src/plan/calculate.js';
import type { AppliedValues, DriftPolicies } from '../../src/plan/types.js';
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
  return calculatePlan(input, rules({ drift: { ...base.drift, ...drift } }));
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
