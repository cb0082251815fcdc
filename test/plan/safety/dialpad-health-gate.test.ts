import { describe, expect, it } from 'vitest';
import { dialpadHealthProblem, gateOnDialpadHealth, type DialpadHealthInput } from '../../../src/plan/safety/dialpad-health-gate.js';
import type { Action, ListingGaps, Plan } from '../../../src/plan/types.js';

const gaps = (overrides: Partial<ListingGaps> = {}): ListingGaps => ({
  oktaStillAssigned: [],
  oktaUnconfirmed: 0,
  dialpadStillThere: [],
  dialpadUnconfirmed: 0,
  dialpadLinked: { expected: 12, listed: 12 },
  ...overrides,
});

const base: DialpadHealthInput = {
  gaps: gaps(),
  links: [
    { oktaUserId: 'linked', dialpadUserId: '1', origin: 'created' },
    { oktaUserId: 'leaver', dialpadUserId: '2', origin: 'created' },
    { oktaUserId: 'adopter', dialpadUserId: '3', origin: 'adopted' },
  ],
  minFraction: 0.5,
  targeted: false,
  allow: false,
};

const create = (email: string): Action => ({ kind: 'create', email, firstName: 'F', lastName: 'L', officeId: '1', license: 'talk', autoAssign: true, jobTitle: null, reason: 'the linked Dialpad user 1 no longer exists' });

function plan(): Plan {
  return {
    users: [
      { oktaUserId: 'linked', dialpadUserId: null, email: 'linked@example.com', actions: [create('linked@example.com'), { kind: 'write_back', from: '+1', to: null, pending: true, reason: 'number' }] },
      { oktaUserId: 'adopter', dialpadUserId: '9', email: 'adopter@example.com', actions: [{ kind: 'adopt', dialpadUserId: '9', reason: 'has the email' }] },
      { oktaUserId: 'leaver', dialpadUserId: '2', email: 'leaver@example.com', actions: [{ kind: 'suspend', reason: 'unassigned from the app' }] },
      { oktaUserId: 'hire', dialpadUserId: null, email: 'hire@example.com', actions: [create('hire@example.com')] },
      { oktaUserId: 'editor', dialpadUserId: '4', email: 'editor@example.com', actions: [{ kind: 'update', changes: [], reason: 'title' }] },
    ],
    skipped: [],
    unmanaged: [],
    warnings: [],
    withheld: [],
  };
}

describe('dialpadHealthProblem', () => {
  it.each<[string, Partial<DialpadHealthInput>, string | null]>([
    ['a full listing', {}, null],
    ['a listing holding none of the linked users', { gaps: gaps({ dialpadLinked: { expected: 12, listed: 0 } }) }, 'Dialpad listed none of the 12 users dialsync manages'],
    ['fewer than half', { gaps: gaps({ dialpadLinked: { expected: 12, listed: 5 } }) }, 'Dialpad listed 5 of the 12 users dialsync manages, fewer than 50%'],
    ['exactly half', { gaps: gaps({ dialpadLinked: { expected: 12, listed: 6 } }) }, null],
    ['nobody linked yet (a first run)', { gaps: gaps({ dialpadLinked: { expected: 0, listed: 0 } }) }, null],
    ['one linked user left out but still there', { gaps: gaps({ dialpadStillThere: [{ id: '7', email: null }] }) }, null],
    [
      'two left out but still there',
      { gaps: gaps({ dialpadStillThere: [{ id: '7', email: null }, { id: '8', email: 'b@x.com' }] }) },
      "Dialpad's listing left out 2 linked users who are still there (each read by id)",
    ],
    [
      'left out and not read one by one',
      { gaps: gaps({ dialpadUnconfirmed: 300, dialpadLinked: { expected: 300, listed: 0 } }) },
      "Dialpad's listing left out 300 linked users, more than dialsync reads one by one in a run, so their absence is unproven",
    ],
    ['a targeted run', { targeted: true, gaps: gaps({ dialpadLinked: { expected: 12, listed: 0 } }) }, null],
    ['no gaps read (nothing listed)', { gaps: undefined }, null],
  ])('%s', (_name, overrides, expected) => {
    expect(dialpadHealthProblem({ ...base, ...overrides })).toBe(expected);
  });
});

describe('gateOnDialpadHealth', () => {
  const unhealthy: DialpadHealthInput = { ...base, gaps: gaps({ dialpadLinked: { expected: 12, listed: 0 } }) };

  it('holds creates and adoptions for linked Okta users (with their other actions) and every suspend; new hires and updates go on', () => {
    const out = gateOnDialpadHealth(plan(), unhealthy);
    expect(out.plan.users.map((u) => u.email)).toEqual(['hire@example.com', 'editor@example.com']);
    expect(out.plan.withheld.map((w) => `${w.email} ${w.kind}`)).toEqual([
      'linked@example.com create',
      'linked@example.com write_back',
      'adopter@example.com adopt',
      'leaver@example.com suspend',
    ]);
    expect(out.plan.withheld[0]?.reason).toMatch(/^held back by the Dialpad health gate: Dialpad listed none of the 12 users dialsync manages; check Dialpad/);
    expect(out.held).toEqual({
      gate: 'dialpad-health',
      counts: { create: 1, write_back: 1, adopt: 1, suspend: 1 },
      users: 3,
      reason: 'Dialpad health gate: Dialpad listed none of the 12 users dialsync manages',
      release: expect.stringContaining('--allow-mass-changes'),
    });
  });

  it('holds nothing when the listing is healthy, the run allows it, or nothing it guards is planned', () => {
    expect(gateOnDialpadHealth(plan(), base)).toEqual({ plan: plan(), held: null });
    expect(gateOnDialpadHealth(plan(), { ...unhealthy, allow: true })).toEqual({ plan: plan(), held: null });
    const harmless: Plan = { ...plan(), users: plan().users.filter((u) => u.oktaUserId === 'hire' || u.oktaUserId === 'editor') };
    expect(gateOnDialpadHealth(harmless, unhealthy)).toEqual({ plan: harmless, held: null });
  });
});
