import { describe, expect, it } from 'vitest';
import {
  causeKey,
  classifyFailures,
  clearedCauses,
  type FailedAction,
  type FailureCause,
  type KnownSystemicCause,
} from '../../src/plan/systemic-failure.js';
import type { ActionKind } from '../../src/plan/types.js';

const attributeMissing: FailureCause = {
  code: 'okta.E0000001',
  service: 'okta',
  class: 'data',
  status: 400,
  detail: "Property name 'dialpadPhone' is not defined in profile schema",
};
const badOffice: FailureCause = { code: 'dialpad.bad_request', service: 'dialpad', class: 'data', status: 400, detail: 'no talk_lines left' };
const refusedTitle: FailureCause = { code: 'dialpad.bad_request', service: 'dialpad', class: 'data', status: 400, detail: 'Invalid job_title' };
const keyRevoked: FailureCause = { code: 'dialpad.unauthorized', service: 'dialpad', class: 'auth', status: 401, detail: null };
const outage: FailureCause = { code: 'dialpad.unavailable', service: 'dialpad', class: 'outage', status: 503, detail: null };
const rateLimit: FailureCause = { code: 'okta.rate_limited', service: 'okta', class: 'rate_limit', status: 429, detail: null };

function failures(n: number, cause: FailureCause, kind: ActionKind = 'write_back', from = 0): FailedAction[] {
  return Array.from({ length: n }, (_, i) => {
    const email = `u${from + i}@acme.com`;
    return { userKey: `okta:${from + i}`, email, oktaUserId: String(from + i), kind, cause, message: `${cause.code} for ${email}` };
  });
}

/** n users refused by Dialpad each for a reason of its own. */
function ownFailures(n: number, from: number): FailedAction[] {
  return Array.from({ length: n }, (_, i) => failures(1, { ...badOffice, detail: `office ${from + i} has no talk_lines left` }, 'move_office', from + i)[0]!);
}

const options = (attemptedUsers: number, known: KnownSystemicCause[] = [], targeted = false) => ({
  attemptedUsers,
  known,
  targeted,
  writeBack: { attribute: 'dialpadPhone', target: 'user' as const },
});

describe('classifyFailures', () => {
  it.each<[string, FailedAction[], number, string[], number]>([
    // name, failed actions, users the run acted on, systemic codes, users counted toward quarantine
    ['the worked example: 11 write-backs with one Okta cause and 1 own Dialpad 400 in 14 users', [...failures(11, attributeMissing), ...failures(1, badOffice, 'create', 11)], 14, ['okta.E0000001'], 1],
    ['2 of 40 users with the same cause: below 3, each counts', failures(2, attributeMissing), 40, [], 2],
    ['3 users, but under half of the failed users: each counts', [...failures(3, attributeMissing), ...ownFailures(4, 3)], 40, [], 7],
    ['every user of a 2-user run with one data cause: below 3, each counts', failures(2, attributeMissing), 2, [], 2],
    ['two users whose job titles Dialpad refused with the same message, alone in the run: each counts', failures(2, refusedTitle, 'update'), 2, [], 2],
    ['three refused titles in a 3-user run: shared', failures(3, refusedTitle, 'update'), 3, ['dialpad.bad_request'], 0],
    ['three refused titles but under half of the failed users: each counts', [...failures(3, refusedTitle, 'update'), ...ownFailures(4, 3)], 7, [], 7],
    ['Dialpad 503 for both users of a 2-user run: systemic (an outage is every user\'s)', failures(2, outage, 'create'), 2, ['dialpad.unavailable'], 0],
    ['a revoked key, even for one user: systemic', failures(1, keyRevoked, 'create'), 40, ['dialpad.unauthorized'], 0],
    ['Dialpad 503 for all 11 creates: systemic', failures(11, outage, 'create'), 11, ['dialpad.unavailable'], 0],
    ['one passing 503 in 40 users: neither systemic nor counted', failures(1, outage, 'create'), 40, [], 0],
    ['the rate limit used up for 4 write-backs: systemic', failures(4, rateLimit), 4, ['okta.rate_limited'], 0],
    ['errors without a typed code are never shared: each counts', failures(5, { code: 'dialsync.error', service: 'dialsync', class: 'data', status: null, detail: null }, 'adopt'), 5, [], 5],
  ])('%s', (_name, failed, attempted, systemic, counted) => {
    const verdict = classifyFailures(failed, options(attempted));
    expect(verdict.systemic.map((s) => s.code)).toEqual(systemic);
    expect(verdict.counted.size).toBe(counted);
    expect(verdict.excused.size).toBe(new Set(failed.map((f) => f.userKey)).size - counted);
  });

  it('groups data errors by the API explanation: the same code with each user\'s own reason is no shared cause', () => {
    const own = Array.from({ length: 5 }, (_, i): FailedAction => ({
      userKey: `okta:${i}`,
      email: `u${i}@acme.com`,
      oktaUserId: String(i),
      kind: 'write_back',
      cause: { ...attributeMissing, detail: `dialpadPhone: '+1555000${i}' does not match the pattern` },
      message: 'x',
    }));
    const verdict = classifyFailures(own, options(20));
    expect(verdict.systemic).toEqual([]);
    expect(verdict.counted.size).toBe(5);
  });

  const knownMissing: KnownSystemicCause[] = [{ key: `okta.E0000001|write_back|${attributeMissing.detail}`, code: 'okta.E0000001', class: 'data', service: 'okta', kind: 'write_back' }];
  const knownTitle: KnownSystemicCause[] = [{ key: `dialpad.bad_request|update|${refusedTitle.detail}`, code: 'dialpad.bad_request', class: 'data', service: 'dialpad', kind: 'update' }];

  it('a cause known from an earlier run is systemic for the one user of a targeted run', () => {
    const verdict = classifyFailures(failures(1, attributeMissing), options(3, knownMissing, true));
    expect(verdict.systemic).toEqual([expect.objectContaining({ code: 'okta.E0000001', rule: 'known', users: 1 })]);
    expect(verdict.counted.size).toBe(0);
    expect(verdict.lapsed).toEqual([]);
  });

  it.each<[string, FailedAction[], number]>([
    ['2 users with refused titles', failures(2, refusedTitle, 'update'), 2],
    ['1 user of 40 with the missing attribute', failures(1, attributeMissing), 40],
  ])('a known data cause a full run sees fail for too few users (%s) lapses: each user counts', (_name, failed, attempted) => {
    const verdict = classifyFailures(failed, options(attempted, [...knownMissing, ...knownTitle]));
    expect(verdict.systemic).toEqual([]);
    expect(verdict.counted.size).toBe(failed.length);
    expect(verdict.lapsed).toEqual([causeKey(failed[0]!.cause, failed[0]!.kind)]);
  });

  it('a known cause a full run confirms stays systemic by rule 2, and one it does not see is left known', () => {
    const verdict = classifyFailures(failures(3, refusedTitle, 'update'), options(3, [...knownMissing, ...knownTitle]));
    expect(verdict.systemic).toEqual([expect.objectContaining({ code: 'dialpad.bad_request', rule: 'shared' })]);
    expect(verdict.lapsed).toEqual([]);
  });

  it("a user with a systemic failure and an own one counts the own one", () => {
    const both = [...failures(5, attributeMissing), { ...failures(1, badOffice, 'move_office')[0]! }];
    const verdict = classifyFailures(both, options(5));
    expect([...verdict.counted.values()].map((f) => [f.userKey, f.cause.code])).toEqual([['okta:0', 'dialpad.bad_request']]);
  });

  it('says what failed, for how many users, and what to do, once per cause', () => {
    const [failure] = classifyFailures(failures(11, attributeMissing), options(11)).systemic;
    expect(failure?.summary).toBe("Okta refused write_back for 11 users [okta.E0000001] (HTTP 400: Property name 'dialpadPhone' is not defined in profile schema)");
    expect(failure?.hint).toMatch(/^add the attribute dialpadPhone to the Okta user profile \(Directory → Profile Editor\)/);
    const [revoked] = classifyFailures(failures(2, keyRevoked, 'create'), options(2)).systemic;
    expect(revoked?.summary).toBe("Dialpad refused dialsync's credentials or permissions for 2 users [dialpad.unauthorized] (HTTP 401)");
    expect(revoked?.hint).toContain('DIALPAD_API_KEY');
  });

  it("names the action and Dialpad's message for a shared Dialpad 400, and what to check", () => {
    const [title] = classifyFailures(failures(3, refusedTitle, 'update'), options(3)).systemic;
    expect(title?.summary).toBe('Dialpad refused update for 3 users [dialpad.bad_request] (HTTP 400: Invalid job_title)');
    expect(title?.hint).toMatch(/^Dialpad refused the update \(PATCH \/api\/v2\/users\/\{id\}: name, job title, email, license\) of these users with the same 400 "Invalid job_title": check the value they share/);
    expect(title?.hint).toContain('Dialpad company setting');
    expect(title?.hint).not.toContain('setting it names');
  });
});

describe('clearedCauses', () => {
  const missing: KnownSystemicCause = { key: 'k1', code: 'okta.E0000001', class: 'data', service: 'okta', kind: 'write_back' };
  const down: KnownSystemicCause = { key: 'dialpad.unavailable', code: 'dialpad.unavailable', class: 'outage', service: 'dialpad', kind: null };

  it.each<[string, { kind: ActionKind; outcome: string }[], string[]]>([
    ['a write-back went through: the attribute cause cleared; no Dialpad action, the outage stays', [{ kind: 'write_back', outcome: 'done' }], ['k1']],
    ['a create went through: the outage cleared', [{ kind: 'create', outcome: 'done' }], ['dialpad.unavailable']],
    ['only failures and unchanged write-backs: nothing is known to have cleared', [{ kind: 'write_back', outcome: 'unchanged' }, { kind: 'create', outcome: 'failed' }], []],
  ])('%s', (_name, outcomes, cleared) => {
    expect(clearedCauses([missing, down], outcomes, { systemic: [], lapsed: [] }).map((c) => c.key)).toEqual(cleared);
  });

  it('a lapsed cause is not cleared (nobody quarantined for it is released), though its action went through for others', () => {
    expect(clearedCauses([missing], [{ kind: 'write_back', outcome: 'done' }], { systemic: [], lapsed: ['k1'] })).toEqual([]);
  });

  it('a cause still failing in the run does not clear, whatever else went through', () => {
    const still = classifyFailures(failures(1, outage, 'create'), options(1, [down]));
    expect(clearedCauses([down], [{ kind: 'update', outcome: 'done' }], still)).toEqual([]);
  });
});
