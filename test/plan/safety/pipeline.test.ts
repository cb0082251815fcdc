import { describe, expect, it } from 'vitest';
import type { DialpadLicense } from '../../../src/dialpad/types.js';
import { applySafety, healthyListedAssignments, seatCheckOffices } from '../../../src/plan/safety/pipeline.js';
import type { FailureRecord } from '../../../src/plan/safety/quarantine.js';
import type { Plan, UserPlan } from '../../../src/plan/types.js';
import { assignment, dialpadUser, link, NY, planInput, SF } from '../fixtures.js';
import { safetyFacts, safetySettings } from './fixtures.js';

function create(email: string, officeId = NY.id, license: DialpadLicense = 'talk'): UserPlan {
  return {
    oktaUserId: email.split('@')[0] ?? email,
    dialpadUserId: null,
    email,
    actions: [
      { kind: 'create', email, firstName: 'A', lastName: 'B', officeId, license, autoAssign: true, jobTitle: null, reason: 'new hire' },
      { kind: 'write_back', from: null, to: null, pending: true, reason: 'number' },
    ],
  };
}

function suspend(i: number): UserPlan {
  return { oktaUserId: `o${i}`, dialpadUserId: `${i}`, email: `leaver${String(i).padStart(2, '0')}@example.com`, actions: [{ kind: 'suspend', reason: 'unassigned from the app' }] };
}

function plan(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

const links = (n: number) => Array.from({ length: n }, (_, i) => link(`o${i}`, `${i}`));
const assignments = (n: number) => Array.from({ length: n }, (_, i) => assignment(`a${i}`));
const quarantinedFailure = (userKey: string): FailureRecord => ({ userKey, consecutiveFailures: 3, action: 'create', message: 'Dialpad 400', oktaFingerprint: null, cause: null });

describe('applySafety', () => {
  it('the worked example: the cap holds b@, the mass-change guard holds 12 of 100 suspends, a@ is created', () => {
    const planned = plan([create('a@example.com'), create('b@example.com'), ...Array.from({ length: 12 }, (_, i) => suspend(i))]);
    const facts = safetyFacts({
      input: planInput({ links: links(100), assignments: assignments(88), dialpadUsers: [dialpadUser('900', 'x@example.com'), dialpadUser('901', 'y@example.com')] }),
    });
    const { plan: safe, held } = applySafety(planned, facts, safetySettings({ licenseCaps: { talk: 3 } }));
    expect(safe.users.map((u) => u.email)).toEqual(['a@example.com']);
    expect(safe.withheld.filter((w) => w.email === 'b@example.com').map((w) => w.kind)).toEqual(['create', 'write_back']);
    expect(safe.withheld.filter((w) => w.kind === 'suspend')).toHaveLength(12);
    expect(held).toEqual([expect.objectContaining({ gate: 'mass-change', users: 12, reason: expect.stringContaining('12 suspends planned (more than 10 and more than 5% of 100 managed users)') })]);
  });

  it('runs quarantine before the caps: a quarantined create takes no capped seat', () => {
    const facts = safetyFacts({ failures: [quarantinedFailure('okta:a')] });
    const { plan: safe, held } = applySafety(plan([create('a@example.com'), create('b@example.com')]), facts, safetySettings({ licenseCaps: { talk: 1 } }));
    expect(safe.skipped.map((s) => [s.email, s.code])).toEqual([['a@example.com', 'quarantined']]);
    expect(safe.users.map((u) => u.email)).toEqual(['b@example.com']);
    expect(safe.withheld).toEqual([]);
    expect(held).toEqual([]);
  });

  it('holds what the seat check finds no line for, and warns about an office it could not read', () => {
    const facts = safetyFacts({
      freeLines: { available: { [NY.id]: { talkLines: 0, sellLines: null, contactCenterLines: null } }, unreadable: { [SF.id]: 'Dialpad 503' } },
    });
    const { plan: safe, held } = applySafety(plan([create('a@example.com'), create('c@example.com', SF.id)]), facts, safetySettings());
    expect(safe.users.map((u) => u.email)).toEqual(['c@example.com']);
    expect(safe.withheld[0]).toMatchObject({ email: 'a@example.com', kind: 'create', reason: expect.stringContaining('would buy a seat (office "New York" has no talk_lines left') });
    expect(safe.warnings.map((w) => w.message)).toEqual(['free license lines of office "San Francisco" could not be read (Dialpad 503): creates there are not checked for seats']);
    expect(held).toEqual([]);
    // safety.allowBuyingSeats: the seat check is off.
    expect(applySafety(plan([create('a@example.com')]), facts, safetySettings({ allowBuyingSeats: true })).plan.users).toHaveLength(1);
  });

  it('a listing that lists nobody: the source health gate holds every suspend before the guard counts them', () => {
    const facts = safetyFacts({ input: planInput({ links: links(15) }) });
    const { plan: safe, held } = applySafety(plan(Array.from({ length: 15 }, (_, i) => suspend(i))), facts, safetySettings());
    expect(safe.users).toEqual([]);
    expect(held.map((h) => h.gate)).toEqual(['source-health']);
    expect(held[0]?.reason).toBe('source health gate: Okta listed no assigned users while dialsync manages 15');
  });

  it('a targeted run: the health gates do not judge it, the mass-change guard still counts against every managed user', () => {
    const input = planInput({ links: links(3), onlyOktaUserIds: ['o0'] });
    const facts = safetyFacts({ input });
    const strict = safetySettings({ massSuspend: { count: 0, percent: 0 } });
    const { plan: safe, held } = applySafety(plan([suspend(0)]), facts, strict);
    expect(held.map((h) => h.gate)).toEqual(['mass-change']);
    expect(held[0]?.reason).toContain('1 suspends planned (more than 0 and more than 0% of 3 managed users)');
    expect(safe.withheld.map((w) => [w.email, w.kind])).toEqual([['leaver00@example.com', 'suspend']]);
    expect(applySafety(plan([suspend(0)]), facts, safetySettings()).held).toEqual([]);
  });

  it('the Dialpad health gate: holds a linked user created anew, unless a repin let the run through', () => {
    const input = planInput({
      links: [link('a', '700')],
      assignments: [assignment('a')],
      listingGaps: { oktaStillAssigned: [], oktaUnconfirmed: 0, dialpadStillThere: [], dialpadUnconfirmed: 0, dialpadLinked: { expected: 1, listed: 0 } },
    });
    const planned = plan([create('a@example.com')]);
    const gated = applySafety(planned, safetyFacts({ input }), safetySettings());
    expect(gated.held.map((h) => h.gate)).toEqual(['dialpad-health']);
    expect(gated.plan.users).toEqual([]);
    const repinned = applySafety(planned, safetyFacts({ input, repinned: true }), safetySettings());
    expect(repinned.held).toEqual([]);
    expect(repinned.plan.users.map((u) => u.email)).toEqual(['a@example.com']);
  });

  it('adds the listing-gap warnings first, and changes nothing when there is nothing to hold', () => {
    const input = planInput({
      listingGaps: { oktaStillAssigned: [{ id: 'a', email: 'a@example.com' }], oktaUnconfirmed: 0, dialpadStillThere: [], dialpadUnconfirmed: 0, dialpadLinked: { expected: 0, listed: 0 } },
    });
    const planned = plan([create('b@example.com')]);
    const { plan: safe, held } = applySafety(planned, safetyFacts({ input }), safetySettings());
    expect(safe.warnings.map((w) => w.email)).toEqual(['a@example.com']);
    expect(safe.users).toEqual(planned.users);
    expect(held).toEqual([]);
    expect(applySafety(planned, safetyFacts(), safetySettings()).plan).toBe(planned);
  });
});

describe('seatCheckOffices', () => {
  it.each<[string, Partial<Parameters<typeof safetySettings>[0]>, string[]]>([
    ['the offices creates land in', {}, [NY.id, SF.id].sort()],
    ['after the caps: a capped create needs no line', { licenseCaps: { talk: 0 } }, [SF.id]],
    ['none when seats may be bought', { allowBuyingSeats: true }, []],
    ['none when free lines are not checked', { checkAvailableLicenses: false }, []],
  ])('%s', (_name, settings, offices) => {
    const planned = plan([create('a@example.com'), create('c@example.com', SF.id, 'agents')]);
    expect(seatCheckOffices(planned, safetyFacts(), safetySettings(settings))).toEqual(offices);
  });

  it('after quarantine: a quarantined create needs no line', () => {
    const planned = plan([create('a@example.com'), create('c@example.com', SF.id)]);
    expect(seatCheckOffices(planned, safetyFacts({ failures: [quarantinedFailure('okta:a')] }), safetySettings())).toEqual([SF.id]);
  });
});

describe('healthyListedAssignments: the next run\'s baseline', () => {
  it.each<[string, Partial<Parameters<typeof safetyFacts>[0]>, number | null]>([
    ['a healthy full listing: its assignments', { input: planInput({ assignments: assignments(8), links: links(10) }), lastHealthyAssignments: 10 }, 8],
    ['an unhealthy one: none', { input: planInput({ assignments: assignments(4), links: links(10) }), lastHealthyAssignments: 10 }, null],
    ['an unhealthy one a person let through: its assignments', { input: planInput({ assignments: assignments(4), links: links(10) }), lastHealthyAssignments: 10, allowMassChanges: true }, 4],
    ['a targeted run: none', { input: planInput({ assignments: assignments(1), links: links(10), onlyOktaUserIds: ['a0'] }) }, null],
  ])('%s', (_name, facts, baseline) => {
    expect(healthyListedAssignments(safetyFacts(facts), safetySettings())).toBe(baseline);
  });
});
