import { describe, expect, it } from 'vitest';
import type { DialpadLicense, DialpadUser } from '../../../src/dialpad/types.js';
import { capLicenses, countLicenseHolders, licenseHoldersNeeded } from '../../../src/plan/safety/license-caps.js';
import type { Plan, UserPlan } from '../../../src/plan/types.js';
import { dialpadUser, NY } from '../fixtures.js';

function create(email: string, license: DialpadLicense = 'talk'): UserPlan {
  return {
    oktaUserId: email.split('@')[0] ?? email,
    dialpadUserId: null,
    email,
    actions: [
      { kind: 'create', email, firstName: 'A', lastName: 'B', officeId: NY.id, license, autoAssign: true, jobTitle: null, reason: 'new hire' },
      { kind: 'write_back', from: null, to: null, pending: true, reason: 'number' },
    ],
  };
}

function reactivate(email: string, dialpadUserId: string): UserPlan {
  return { oktaUserId: email, dialpadUserId, email, actions: [{ kind: 'reactivate', reason: 'assigned again' }] };
}

function plan(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

function talkUsers(n: number, overrides: Partial<DialpadUser> = {}): DialpadUser[] {
  return Array.from({ length: n }, (_, i) => dialpadUser(String(1000 + i), `u${i}@example.com`, overrides));
}

describe('capLicenses', () => {
  it('holds the creates past the cap, in email order, counting active users managed or not', () => {
    const p = plan([create('c@example.com'), create('a@example.com'), create('b@example.com')]);
    const out = capLicenses(p, { caps: { talk: 4 }, dialpadUsers: talkUsers(2) }).plan;
    expect(out.users.map((u) => u.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(out.withheld.map((w) => `${w.email} ${w.kind}`)).toEqual(['c@example.com create', 'c@example.com write_back']);
    expect(out.withheld[0]?.reason).toContain('licenseCaps.talk: 4 talk users already active or planned, the cap is 4');
  });

  it.each<[string, DialpadUser[], number]>([
    ['suspended users hold no seat', talkUsers(5, { state: 'suspended' }), 3],
    ['deleted users hold no seat', talkUsers(5, { state: 'deleted' }), 3],
    ['pending users hold one', talkUsers(2, { state: 'pending' }), 1],
    ['other licenses do not count', talkUsers(5, { license: 'agents' }), 3],
  ])('%s', (_name, users, kept) => {
    const p = plan([create('a@example.com'), create('b@example.com'), create('c@example.com')]);
    expect(capLicenses(p, { caps: { talk: 3 }, dialpadUsers: users }).plan.users).toHaveLength(kept);
  });

  it('counts a reactivation as taking a seat of the user\'s license', () => {
    const suspended = dialpadUser('77', 'back@example.com', { state: 'suspended', license: 'agents' });
    const p = plan([reactivate('back@example.com', '77'), create('new@example.com', 'agents')]);
    const out = capLicenses(p, { caps: { agents: 1 }, dialpadUsers: [suspended] }).plan;
    expect(out.users.map((u) => u.email)).toEqual(['back@example.com']);
    expect(out.withheld[0]?.reason).toContain('licenseCaps.agents');
  });

  it('leaves licenses without a cap, and a plan without caps, alone', () => {
    const p = plan([create('a@example.com', 'agents'), create('b@example.com')]);
    expect(capLicenses(p, { caps: { talk: 0 }, dialpadUsers: [] }).plan.users.map((u) => u.email)).toEqual(['a@example.com']);
    expect(capLicenses(p, { caps: {}, dialpadUsers: [] })).toEqual({ plan: p, held: null });
    expect(capLicenses(p, { caps: {}, dialpadUsers: [] }).plan).toBe(p);
  });
});

// A targeted run reads only the Dialpad users its Okta users can touch: the holders come counted from the full
// listing instead (the shell reads it when licenseHoldersNeeded says so).
describe('license caps in a run that read only some Dialpad users', () => {
  it('counts the holders handed in, not the few users the run read: 4 talk holders, cap 4, the create is held', () => {
    const result = capLicenses(plan([create('new@example.com')]), { caps: { talk: 4 }, dialpadUsers: [], holders: { talk: 4 } });
    expect(result.plan.users).toEqual([]);
    expect(result.plan.withheld.map((w) => `${w.email} ${w.kind}`)).toEqual(['new@example.com create', 'new@example.com write_back']);
    expect(result.plan.withheld[0]?.reason).toBe('held back by licenseCaps.talk: 4 talk users already active or planned, the cap is 4 (raise licenseCaps.talk to let the create through): new hire');
  });

  it('lets the create through when the full count leaves room: 3 holders, cap 4', () => {
    const result = capLicenses(plan([create('new@example.com')]), { caps: { talk: 4 }, dialpadUsers: [], holders: { talk: 3 } });
    expect(result.plan.users.map((u) => u.email)).toEqual(['new@example.com']);
  });

  it('counts each seat holder once by id, active or pending, of the capped licenses only', () => {
    const users = [...talkUsers(2), dialpadUser('1000', 'u0@example.com'), dialpadUser('2000', 'p@example.com', { state: 'pending' }), dialpadUser('3000', 's@example.com', { state: 'suspended' }), dialpadUser('4000', 'a@example.com', { license: 'agents' })];
    expect(countLicenseHolders(users, { talk: 10, lite_lines: 5 })).toEqual({ talk: 3, lite_lines: 0 });
  });

  it('asks for the full count only when the plan takes a capped license', () => {
    const suspended = dialpadUser('5000', 'back@example.com', { state: 'suspended' });
    expect(licenseHoldersNeeded(plan([create('new@example.com')]), [], { talk: 4 })).toBe(true);
    expect(licenseHoldersNeeded(plan([reactivate('back@example.com', '5000')]), [suspended], { talk: 4 })).toBe(true);
    expect(licenseHoldersNeeded(plan([create('new@example.com', 'agents')]), [], { talk: 4 })).toBe(false);
    expect(licenseHoldersNeeded(plan([create('new@example.com')]), [], {})).toBe(false);
  });
});
