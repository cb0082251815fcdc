// The drift decisions (docs: README, Drift): which side changed since the last applied record, for each policy.
import { describe, expect, it } from 'vitest';
import { decideDrift, isDrift, userDrift, type DriftVerdict } from '../../../src/plan/rules/drift-rule.js';
import type { AppliedValue, DesiredUser, DriftPolicy } from '../../../src/plan/types.js';
import { dialpadUser } from '../fixtures.js';

const AT = '2026-11-30T10:00:00.000Z';
/** dialsync wrote "Engineer", Okta said "Engineer". */
const RECORD: AppliedValue = { applied: 'Engineer', okta: 'Engineer', at: AT };

type Situation = 'neither' | 'okta changed' | 'dialpad changed' | 'both changed' | 'no record, differs' | 'no record, equal';

/** Okta's value now, Dialpad's value now and the record, for each situation. */
const SIDES: Record<Situation, { okta: string; dialpad: string; record: AppliedValue | undefined }> = {
  neither: { okta: 'Engineer', dialpad: 'Engineer', record: RECORD },
  'okta changed': { okta: 'Principal', dialpad: 'Engineer', record: RECORD },
  'dialpad changed': { okta: 'Engineer', dialpad: 'Staff Engineer', record: RECORD },
  'both changed': { okta: 'Principal', dialpad: 'Staff Engineer', record: RECORD },
  'no record, differs': { okta: 'Engineer', dialpad: 'Staff Engineer', record: undefined },
  'no record, equal': { okta: 'Engineer', dialpad: 'Engineer', record: undefined },
};

const nothing: DriftVerdict = { decision: null, write: false, record: null, dialpadSide: 'as_applied' };
const baseline: DriftVerdict = { decision: null, write: false, record: { applied: 'Engineer', okta: 'Engineer' }, dialpadSide: 'unrecorded' };
/** Okta's change is ordinary sync: written whatever the policy, and not drift. */
const synced: DriftVerdict = { decision: 'okta_changed', write: true, record: null, dialpadSide: 'as_applied' };
const edited = { dialpadSide: 'edited' } as const;
const unrecorded = { dialpadSide: 'unrecorded' } as const;
const adoptedEdit = { decision: 'adopted', write: false, record: { applied: 'Staff Engineer', okta: 'Engineer' } } as const;

const TABLE: [Situation, DriftPolicy, DriftVerdict][] = [
  ['neither', 'report', nothing],
  ['neither', 'revert', nothing],
  ['neither', 'adopt', nothing],
  ['okta changed', 'report', synced],
  ['okta changed', 'revert', synced],
  ['okta changed', 'adopt', synced],
  ['dialpad changed', 'report', { decision: 'reported', write: false, record: null, ...edited }],
  ['dialpad changed', 'revert', { decision: 'reverted', write: true, record: null, ...edited }],
  ['dialpad changed', 'adopt', { ...adoptedEdit, ...edited }],
  ['both changed', 'report', { decision: 'reported', write: false, record: null, ...edited }],
  ['both changed', 'revert', { decision: 'reverted', write: true, record: null, ...edited }],
  ['both changed', 'adopt', { decision: 'okta_changed', write: true, record: null, ...edited }],
  ['no record, differs', 'report', { decision: 'reported', write: false, record: null, ...unrecorded }],
  ['no record, differs', 'revert', { decision: 'reverted', write: true, record: null, ...unrecorded }],
  ['no record, differs', 'adopt', { ...adoptedEdit, ...unrecorded }],
  ['no record, equal', 'report', baseline],
  ['no record, equal', 'revert', baseline],
  ['no record, equal', 'adopt', baseline],
];

describe('decideDrift', () => {
  it.each(TABLE)('%s, policy %s', (situation, policy, expected) => {
    const { okta, dialpad, record } = SIDES[situation];
    expect(decideDrift(okta, dialpad, record, policy)).toEqual(expected);
  });

  const adopted: AppliedValue = { applied: 'Staff Engineer', okta: 'Engineer', at: AT };

  it('an adopted value stays adopted while neither side changes again (nothing more to record)', () => {
    expect(decideDrift('Engineer', 'Staff Engineer', adopted, 'adopt')).toEqual({ decision: 'adopted', write: false, record: null, dialpadSide: 'adopted' });
  });

  it.each(['report', 'revert', 'adopt'] as const)('an adopted value gives way when Okta changes after it (policy now %s)', (policy) => {
    expect(decideDrift('Principal', 'Staff Engineer', adopted, policy)).toEqual({ decision: 'okta_changed', write: true, record: null, dialpadSide: 'adopted' });
  });

  it('an adopted value under a policy changed since to report or revert is drift as an edit is', () => {
    expect(decideDrift('Engineer', 'Staff Engineer', adopted, 'report')).toMatchObject({ decision: 'reported', write: false });
    expect(decideDrift('Engineer', 'Staff Engineer', adopted, 'revert')).toMatchObject({ decision: 'reverted', write: true });
  });

  it('sides that agree again refresh an outdated record, so a later change is told apart', () => {
    expect(decideDrift('Staff Engineer', 'Staff Engineer', adopted, 'adopt')).toEqual({
      decision: null,
      write: false,
      record: { applied: 'Staff Engineer', okta: 'Staff Engineer' },
      dialpadSide: 'adopted',
    });
  });

  it('unset and empty are one value', () => {
    expect(decideDrift('', null, undefined, 'revert')).toEqual({ decision: null, write: false, record: { applied: null, okta: '' }, dialpadSide: 'unrecorded' });
    const cleared: AppliedValue = { applied: null, okta: '', at: AT };
    expect(decideDrift('Engineer', '', cleared, 'report')).toEqual(synced);
  });

  it('drift is a difference where Dialpad does not hold what dialsync wrote from Okta', () => {
    const listed = (situation: Situation) => isDrift(decideDrift(SIDES[situation].okta, SIDES[situation].dialpad, SIDES[situation].record, 'revert'));
    expect((['neither', 'okta changed', 'dialpad changed', 'both changed', 'no record, differs', 'no record, equal'] as const).map(listed)).toEqual([false, false, true, true, true, false]);
    expect(isDrift(decideDrift('Principal', 'Staff Engineer', adopted, 'adopt'))).toBe(true);
  });
});

describe('userDrift', () => {
  const desired: DesiredUser = {
    oktaUserId: 'u1',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: '',
    jobTitle: null,
    officeId: '5001',
    officeName: 'New York',
    officeRule: 'name',
    license: 'talk',
    wantsNumber: true,
    country: 'us',
    language: null,
    currentWriteBack: null,
    inScope: true,
    status: 'ACTIVE',
  };
  const policies = { name: 'adopt', job_title: 'adopt', office: 'report', license: 'report' } as const;

  it('leaves out an empty Okta name, no Okta title and a Dialpad user without a license', () => {
    const user = dialpadUser('d1', 'ada@example.com', { lastName: 'Byron', jobTitle: 'Countess', license: null });
    expect(userDrift(desired, user, undefined, policies).map((f) => f.field)).toEqual(['first_name', 'office']);
  });

  it('moves a Dialpad user in no office whatever drift.office says', () => {
    const user = dialpadUser('d1', 'ada@example.com', { officeId: null });
    const office = userDrift(desired, user, undefined, policies).find((f) => f.field === 'office');
    expect(office).toMatchObject({ policy: 'revert', verdict: { decision: 'reverted', write: true, dialpadSide: 'unrecorded' } });
  });

  it('reads each field with its policy and its record', () => {
    const user = dialpadUser('d1', 'ada@example.com', { firstName: 'Augusta', officeId: '5002' });
    const drift = userDrift(desired, user, { first_name: { applied: 'Augusta', okta: 'Ada', at: AT } }, policies);
    expect(drift).toEqual([
      { field: 'first_name', policy: 'adopt', okta: 'Ada', dialpad: 'Augusta', applied: 'Augusta', verdict: { decision: 'adopted', write: false, record: null, dialpadSide: 'adopted' } },
      { field: 'office', policy: 'report', okta: '5001', dialpad: '5002', applied: null, verdict: { decision: 'reported', write: false, record: null, dialpadSide: 'unrecorded' } },
      {
        field: 'license',
        policy: 'report',
        okta: 'talk',
        dialpad: 'talk',
        applied: null,
        verdict: { decision: null, write: false, record: { applied: 'talk', okta: 'talk' }, dialpadSide: 'unrecorded' },
      },
    ]);
  });
});
