import { describe, expect, it } from 'vitest';
import { quarantine, quarantineStall, type FailureRecord } from '../../../src/plan/safety/quarantine.js';
import type { Plan, SkippedUser, UserPlan } from '../../../src/plan/types.js';

const ann: UserPlan = { oktaUserId: 'ann', dialpadUserId: '1', email: 'ann@example.com', actions: [{ kind: 'suspend', reason: 'unassigned' }] };
const bob: UserPlan = { oktaUserId: 'bob', dialpadUserId: null, email: 'bob@example.com', actions: [{ kind: 'reactivate', reason: 'x' }] };
const gone: UserPlan = { oktaUserId: null, dialpadUserId: '3', email: 'gone@example.com', actions: [{ kind: 'suspend', reason: 'deleted in Okta' }] };

function plan(): Plan {
  return { users: [ann, bob, gone], skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

function failure(userKey: string, consecutiveFailures: number, oktaFingerprint: string | null = 'fp1', cause: string | null = 'dialpad.bad_request'): FailureRecord {
  return { userKey, consecutiveFailures, action: 'create', message: 'Dialpad 400: bad office', oktaFingerprint, cause };
}

describe('quarantine', () => {
  const fingerprints = new Map([
    ['okta:ann', 'fp1'],
    ['okta:bob', 'fp1'],
  ]);

  it.each<[string, FailureRecord[], number, Map<string, string>, string[]]>([
    ['failing 3 runs in a row with the same Okta data: quarantined', [failure('okta:ann', 3)], 3, fingerprints, ['ann@example.com']],
    ['failing 2 runs: not yet', [failure('okta:ann', 2)], 3, fingerprints, []],
    ['Okta data changed since: tried again', [failure('okta:ann', 5, 'fp0')], 3, fingerprints, []],
    ['no fingerprint stored: cannot tell, stays quarantined', [failure('okta:bob', 3, null)], 3, fingerprints, ['bob@example.com']],
    ['a Dialpad-only user', [failure('dialpad:3', 4, null)], 3, new Map(), ['gone@example.com']],
    ['quarantineAfter 0: off', [failure('okta:ann', 30)], 0, fingerprints, []],
    ['last failure of a cause now known systemic: not held', [failure('okta:ann', 3, 'fp1', 'okta.E0000001')], 3, fingerprints, []],
    ['a cause other than the systemic one: held', [failure('okta:ann', 3, 'fp1', 'okta.E0000002')], 3, fingerprints, ['ann@example.com']],
    ['no cause recorded (before causes were kept): held', [failure('okta:ann', 3, 'fp1', null)], 3, fingerprints, ['ann@example.com']],
  ])('%s', (_name, failures, after, fps, quarantined) => {
    const out = quarantine(plan(), { after, failures, fingerprints: fps, systemicCodes: new Set(['okta.E0000001']) }).plan;
    expect(out.skipped.map((s) => s.email)).toEqual(quarantined);
    expect(out.users.map((u) => u.email)).toEqual(plan().users.map((u) => u.email).filter((e) => !quarantined.includes(e)));
  });

  it('says why and how to release', () => {
    const out = quarantine(plan(), { after: 3, failures: [failure('okta:ann', 3)], fingerprints }).plan;
    expect(out.skipped).toEqual([
      {
        oktaUserId: 'ann',
        email: 'ann@example.com',
        code: 'quarantined',
        reason: expect.stringMatching(/failing in 3 runs in a row \(last: create: Dialpad 400: bad office \[dialpad.bad_request\]\).*dialsync release ann@example.com/),
      },
    ]);
  });
});

describe('quarantineStall', () => {
  const held: SkippedUser = { oktaUserId: 'ann', email: 'ann@example.com', code: 'quarantined', reason: 'x' };
  const bad: SkippedUser = { oktaUserId: 'cy', email: 'cy@example.com', code: 'missing_name', reason: 'x' };
  it.each<[string, Pick<Plan, 'users' | 'skipped'>, number]>([
    ['every planned user quarantined: stalled, with their count', { users: [], skipped: [held, bad] }, 1],
    ['someone still planned: not stalled', { users: [bob], skipped: [held] }, 0],
    ['nothing planned, nobody quarantined: a quiet run', { users: [], skipped: [bad] }, 0],
  ])('%s', (_name, input, stalled) => {
    expect(quarantineStall(input)).toBe(stalled);
  });
});
