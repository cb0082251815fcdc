import { describe, expect, it } from 'vitest';
import type { DialpadAvailableLicenses, DialpadLicense, DialpadUser } from '../../../src/dialpad/types.js';
import { checkSeats, lineOf, officesNeedingSeats } from '../../../src/plan/safety/seat-check.js';
import type { Plan, UserPlan } from '../../../src/plan/types.js';
import { dialpadUser, NY, SF } from '../fixtures.js';

function create(email: string, officeId: string, license: DialpadLicense = 'talk'): UserPlan {
  return {
    oktaUserId: email,
    dialpadUserId: null,
    email,
    actions: [{ kind: 'create', email, firstName: 'A', lastName: 'B', officeId, license, autoAssign: true, jobTitle: null, reason: 'new hire' }],
  };
}

function plan(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

const lines = (talkLines: number | null, sellLines: number | null = null, contactCenterLines: number | null = null): DialpadAvailableLicenses => ({ talkLines, sellLines, contactCenterLines });

describe('lineOf', () => {
  it.each<[DialpadLicense, keyof DialpadAvailableLicenses]>([
    ['talk', 'talkLines'],
    ['lite_lines', 'talkLines'],
    ['magenta_lines', 'talkLines'],
    ['admins', 'talkLines'],
    ['dpde_all', 'talkLines'],
    ['dpde_one', 'talkLines'],
    ['agents', 'sellLines'],
    ['lite_support_agents', 'contactCenterLines'],
  ])('%s → %s', (license, line) => {
    expect(lineOf(license)).toBe(line);
  });
});

describe('checkSeats', () => {
  it('holds the creates an office has no line left for ("would buy a seat"), per office and line, in email order', () => {
    const p = plan([create('b@example.com', NY.id), create('a@example.com', NY.id), create('c@example.com', SF.id), create('d@example.com', NY.id, 'agents')]);
    const out = checkSeats(p, { available: { [NY.id]: lines(1, 0), [SF.id]: lines(5) }, dialpadUsers: [], officeNames: { [NY.id]: 'New York' } }).plan;
    expect(out.users.map((u) => u.email)).toEqual(['a@example.com', 'c@example.com']);
    expect(out.withheld.map((w) => w.email)).toEqual(['b@example.com', 'd@example.com']);
    expect(out.withheld[0]?.reason).toContain('would buy a seat (office "New York" has no talk_lines left for talk');
    expect(out.withheld[1]?.reason).toContain('no sell_lines left for agents');
  });

  it('allows what it cannot know: a null count or an office not read', () => {
    const p = plan([create('a@example.com', NY.id), create('b@example.com', SF.id)]);
    expect(checkSeats(p, { available: { [NY.id]: lines(null) }, dialpadUsers: [] })).toEqual({ plan: p, held: null });
  });

  it('an office whose free lines could not be read: its creates go through, and the plan warns', () => {
    const p = plan([create('a@example.com', NY.id)]);
    const out = checkSeats(p, { available: {}, unreadable: { [NY.id]: 'Dialpad 503' }, dialpadUsers: [], officeNames: { [NY.id]: 'New York' } }).plan;
    expect(out.users.map((u) => u.email)).toEqual(['a@example.com']);
    expect(out.warnings).toEqual([
      { oktaUserId: null, email: null, message: 'free license lines of office "New York" could not be read (Dialpad 503): creates there are not checked for seats' },
    ]);
  });

  it('checks a reactivation in the office the user ends up in', () => {
    const suspended = dialpadUser('7', 'back@example.com', { state: 'suspended', officeId: NY.id });
    const back: UserPlan = {
      oktaUserId: 'back',
      dialpadUserId: '7',
      email: 'back@example.com',
      actions: [{ kind: 'reactivate', reason: 'assigned again' }, { kind: 'move_office', fromOfficeId: NY.id, toOfficeId: SF.id, international: false, reason: 'moved' }],
    };
    expect(officesNeedingSeats(plan([back]), [suspended])).toEqual([SF.id]);
    const out = checkSeats(plan([back]), { available: { [NY.id]: lines(9), [SF.id]: lines(0) }, dialpadUsers: [suspended] }).plan;
    expect(out.users).toEqual([]);
    expect(out.withheld.map((w) => w.kind)).toEqual(['reactivate', 'move_office']);
  });

  it('lists only the offices creates land in', () => {
    const p = plan([create('a@example.com', SF.id), create('b@example.com', SF.id), create('c@example.com', NY.id)]);
    expect(officesNeedingSeats(p, [])).toEqual([NY.id, SF.id].sort());
  });
});

function changing(email: string, user: DialpadUser, to: DialpadLicense, moveTo?: string): UserPlan {
  return {
    oktaUserId: email,
    dialpadUserId: user.id,
    email,
    actions: [
      { kind: 'update', changes: [{ field: 'job_title', from: null, to: 'CTO' }, { field: 'license', from: user.license, to }], reason: 'differs from Okta: job_title, license' },
      ...(moveTo === undefined ? [] : [{ kind: 'move_office' as const, fromOfficeId: user.officeId, toOfficeId: moveTo, international: false, reason: 'moved' }]),
    ],
  };
}

// A license change of an active user to a license of another line takes a line in the office the user ends up in
// and gives back one of the old line where it holds it now.
describe('checkSeats and license changes of active users', () => {
  const ann = dialpadUser('1', 'ann@example.com');
  const bob = dialpadUser('2', 'bob@example.com', { license: 'agents' });
  interface Row {
    name: string;
    users: UserPlan[];
    dialpadUsers: DialpadUser[];
    available: Record<string, DialpadAvailableLicenses>;
    offices: string[];
    /** email → the fields its update still changes. */
    updates: Record<string, string[]>;
    withheld: string[];
  }
  it.each<Row>([
    {
      name: 'no sell line left: only the license change is held ("would buy a seat"), the title update is kept',
      users: [changing('ann@example.com', ann, 'agents')],
      dialpadUsers: [ann],
      available: { [NY.id]: lines(5, 0) },
      offices: [NY.id],
      updates: { 'ann@example.com': ['job_title'] },
      withheld: ['ann@example.com update'],
    },
    {
      name: 'a free sell line: the change passes',
      users: [changing('ann@example.com', ann, 'agents')],
      dialpadUsers: [ann],
      available: { [NY.id]: lines(0, 1) },
      offices: [NY.id],
      updates: { 'ann@example.com': ['job_title', 'license'] },
      withheld: [],
    },
    {
      name: 'a license of the same line needs no line, and no office is read for it',
      users: [changing('ann@example.com', ann, 'lite_lines')],
      dialpadUsers: [ann],
      available: { [NY.id]: lines(0, 0) },
      offices: [],
      updates: { 'ann@example.com': ['job_title', 'license'] },
      withheld: [],
    },
    {
      name: 'a swap in one office with no line free passes (the lines given back count first)',
      users: [changing('ann@example.com', ann, 'agents'), changing('bob@example.com', bob, 'talk')],
      dialpadUsers: [ann, bob],
      available: { [NY.id]: lines(0, 0) },
      offices: [NY.id],
      updates: { 'ann@example.com': ['job_title', 'license'], 'bob@example.com': ['job_title', 'license'] },
      withheld: [],
    },
    {
      name: 'a change with a move needs the line in the office the user ends up in',
      users: [changing('ann@example.com', ann, 'agents', SF.id)],
      dialpadUsers: [ann],
      available: { [NY.id]: lines(0, 9), [SF.id]: lines(9, 0) },
      offices: [SF.id],
      updates: { 'ann@example.com': ['job_title'] },
      withheld: ['ann@example.com update'],
    },
  ])('$name', (row) => {
    const p = plan(row.users);
    expect(officesNeedingSeats(p, row.dialpadUsers)).toEqual(row.offices);
    const out = checkSeats(p, { available: row.available, dialpadUsers: row.dialpadUsers, officeNames: { [NY.id]: 'New York' } }).plan;
    const updates = Object.fromEntries(out.users.flatMap((u) => u.actions.flatMap((a) => (a.kind === 'update' ? [[u.email, a.changes.map((c) => c.field)]] : []))));
    expect(updates).toEqual(row.updates);
    expect(out.withheld.map((w) => `${w.email} ${w.kind}`)).toEqual(row.withheld);
    expect(out.users.find((u) => u.email === 'ann@example.com')?.actions.some((a) => a.kind === 'move_office')).toBe(row.users[0]?.actions.some((a) => a.kind === 'move_office'));
  });

  it('names the license and the office in the reason', () => {
    const out = checkSeats(plan([changing('ann@example.com', ann, 'agents')]), { available: { [NY.id]: lines(5, 0) }, dialpadUsers: [ann], officeNames: { [NY.id]: 'New York' } }).plan;
    expect(out.withheld[0]?.reason).toBe(
      'license change from talk to agents held back: would buy a seat (office "New York" has no sell_lines left for agents; add lines in Dialpad, or set safety.allowBuyingSeats: true)',
    );
  });
});
