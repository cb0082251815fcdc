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

/** An active user's update: the title and, when `to` is given, the license (Okta's licenseType changed). */
function changing(email: string, dialpadUserId: string, from: DialpadLicense, to: DialpadLicense | null, title = true): UserPlan {
  const changes = [
    ...(title ? [{ field: 'job_title' as const, from: null, to: 'CTO' }] : []),
    ...(to === null ? [] : [{ field: 'license' as const, from, to }]),
  ];
  return { oktaUserId: email, dialpadUserId, email, actions: [{ kind: 'update', changes, reason: `differs from Okta: ${changes.map((c) => c.field).join(', ')}` }] };
}

// An active user whose Okta licenseType changed takes a seat of the new license and gives back one of the old:
// past a cap, only the license change is held; the user's other changes go on.
describe('license caps and license changes of active users', () => {
  interface Row {
    name: string;
    caps: Partial<Record<DialpadLicense, number>>;
    dialpadUsers: DialpadUser[];
    users: UserPlan[];
    /** email → the fields its update still changes (absent: no update left). */
    updates: Record<string, string[]>;
    /** "email kind" of each withheld entry. */
    withheld: string[];
  }
  const ann = dialpadUser('1', 'ann@example.com');
  const bob = dialpadUser('2', 'bob@example.com', { license: 'agents' });
  const sue = dialpadUser('3', 'sue@example.com', { state: 'suspended' });
  it.each<Row>([
    {
      name: 'cap reached: only the license change is held, the title update is kept',
      caps: { agents: 1 },
      dialpadUsers: [ann, bob],
      users: [changing('ann@example.com', '1', 'talk', 'agents')],
      updates: { 'ann@example.com': ['job_title'] },
      withheld: ['ann@example.com update'],
    },
    {
      name: 'cap reached, nothing else changes: the update goes',
      caps: { agents: 1 },
      dialpadUsers: [ann, bob],
      users: [changing('ann@example.com', '1', 'talk', 'agents', false)],
      updates: {},
      withheld: ['ann@example.com update'],
    },
    {
      name: 'room under the cap: the license change passes',
      caps: { agents: 2 },
      dialpadUsers: [ann, bob],
      users: [changing('ann@example.com', '1', 'talk', 'agents')],
      updates: { 'ann@example.com': ['job_title', 'license'] },
      withheld: [],
    },
    {
      name: 'a swap between two licenses at their caps passes (frees count before takes)',
      caps: { talk: 1, agents: 1 },
      dialpadUsers: [ann, bob],
      users: [changing('ann@example.com', '1', 'talk', 'agents'), changing('bob@example.com', '2', 'agents', 'talk')],
      updates: { 'ann@example.com': ['job_title', 'license'], 'bob@example.com': ['job_title', 'license'] },
      withheld: [],
    },
    {
      name: 'a change away from a capped license makes room for a create in the same plan',
      caps: { agents: 1 },
      dialpadUsers: [ann, bob],
      users: [changing('bob@example.com', '2', 'agents', 'talk'), create('zed@example.com', 'agents')],
      updates: { 'bob@example.com': ['job_title', 'license'] },
      withheld: [],
    },
    {
      name: 'a held change gives nothing back: the create that counted on its seat is held too',
      caps: { agents: 1, lite_lines: 0 },
      dialpadUsers: [ann, bob],
      users: [changing('bob@example.com', '2', 'agents', 'lite_lines'), create('zed@example.com', 'agents')],
      updates: { 'bob@example.com': ['job_title'] },
      withheld: ['bob@example.com update', 'zed@example.com create', 'zed@example.com write_back'],
    },
    {
      name: 'a suspended user\'s license change takes no seat',
      caps: { agents: 1 },
      dialpadUsers: [sue, bob],
      users: [changing('sue@example.com', '3', 'talk', 'agents')],
      updates: { 'sue@example.com': ['job_title', 'license'] },
      withheld: [],
    },
    {
      name: 'changes in email order: the first takes the last seat',
      caps: { agents: 2 },
      dialpadUsers: [ann, bob, dialpadUser('4', 'abe@example.com')],
      users: [changing('ann@example.com', '1', 'talk', 'agents'), changing('abe@example.com', '4', 'talk', 'agents')],
      updates: { 'abe@example.com': ['job_title', 'license'], 'ann@example.com': ['job_title'] },
      withheld: ['ann@example.com update'],
    },
  ])('$name', (row) => {
    const out = capLicenses(plan(row.users), { caps: row.caps, dialpadUsers: row.dialpadUsers }).plan;
    const updates = Object.fromEntries(
      out.users.flatMap((u) => u.actions.flatMap((a) => (a.kind === 'update' ? [[u.email, a.changes.map((c) => c.field)]] : []))),
    );
    expect(updates).toEqual(row.updates);
    expect(out.withheld.map((w) => `${w.email} ${w.kind}`)).toEqual(row.withheld);
  });

  it('says which change is held and by which cap; the update\'s reason no longer names the license', () => {
    const out = capLicenses(plan([changing('ann@example.com', '1', 'talk', 'agents')]), { caps: { agents: 1 }, dialpadUsers: [dialpadUser('1', 'ann@example.com'), dialpadUser('2', 'bob@example.com', { license: 'agents' })] }).plan;
    expect(out.withheld).toEqual([
      {
        email: 'ann@example.com',
        oktaUserId: 'ann@example.com',
        dialpadUserId: '1',
        kind: 'update',
        reason: 'license change from talk to agents held back by licenseCaps.agents: 1 agents users already active or planned, the cap is 1 (raise licenseCaps.agents to let it through)',
      },
    ]);
    expect(out.users[0]?.actions).toEqual([{ kind: 'update', changes: [{ field: 'job_title', from: null, to: 'CTO' }], reason: 'differs from Okta: job_title' }]);
  });

  it('asks a targeted run for the full count when a license change takes a capped license', () => {
    expect(licenseHoldersNeeded(plan([changing('ann@example.com', '1', 'talk', 'agents')]), [dialpadUser('1', 'ann@example.com')], { agents: 5 })).toBe(true);
    expect(licenseHoldersNeeded(plan([changing('ann@example.com', '1', 'talk', 'agents')]), [dialpadUser('1', 'ann@example.com')], { talk: 5 })).toBe(false);
  });
});
