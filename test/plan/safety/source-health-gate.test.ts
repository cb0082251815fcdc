import { describe, expect, it } from 'vitest';
import { gateOnSourceHealth, sourceHealthProblem, type SourceHealthInput } from '../../../src/plan/safety/source-health-gate.js';
import type { Plan } from '../../../src/plan/types.js';

const base: SourceHealthInput = { assignments: 100, managedUsers: 100, lastHealthyAssignments: 100, minFraction: 0.5, targeted: false, allow: false };

function plan(): Plan {
  return {
    users: [
      { oktaUserId: 'a', dialpadUserId: '1', email: 'a@example.com', actions: [{ kind: 'suspend', reason: 'unassigned from the app' }, { kind: 'write_back', from: null, to: null, pending: false, reason: 'clear' }] },
      { oktaUserId: 'b', dialpadUserId: '2', email: 'b@example.com', actions: [{ kind: 'delete', reason: 'deleted in Okta (onDeactivated: delete)' }] },
      { oktaUserId: 'c', dialpadUserId: null, email: 'c@example.com', actions: [{ kind: 'create', email: 'c@example.com', firstName: 'C', lastName: 'D', officeId: '1', license: 'talk', autoAssign: true, jobTitle: null, reason: 'new' }] },
    ],
    skipped: [],
    unmanaged: [],
    warnings: [],
    withheld: [],
  };
}

describe('sourceHealthProblem', () => {
  it.each<[string, Partial<SourceHealthInput>, string | null]>([
    ['a healthy listing', {}, null],
    ['no assignments while users are managed', { assignments: 0 }, 'Okta listed no assigned users while dialsync manages 100'],
    ['no assignments and nobody managed (a new install)', { assignments: 0, managedUsers: 0, lastHealthyAssignments: null }, null],
    ['fewer than half of the last healthy listing', { assignments: 49 }, 'Okta listed 49 assigned users, fewer than 50% of the 100 of the last healthy run'],
    ['exactly half', { assignments: 50 }, null],
    ['no earlier listing to compare with', { assignments: 3, lastHealthyAssignments: null }, null],
    ['a configured fraction', { assignments: 79, minFraction: 0.8 }, 'Okta listed 79 assigned users, fewer than 80% of the 100 of the last healthy run'],
    ['fraction 0 turns the comparison off', { assignments: 1, minFraction: 0 }, null],
    ['a targeted run', { assignments: 0, targeted: true }, null],
    ['one user left out but still assigned (a warning, not a gate)', { leftOut: { stillAssigned: 1, unconfirmed: 0 } }, null],
    ['several left out but still assigned', { leftOut: { stillAssigned: 2, unconfirmed: 0 } }, "Okta's listing left out 2 users who are still assigned (each read by id)"],
    [
      'users left out and not read one by one',
      { leftOut: { stillAssigned: 0, unconfirmed: 101 } },
      "Okta's listing left out 101 linked users, more than dialsync reads one by one in a run, so their absence is unproven",
    ],
    ['left out users in a targeted run', { targeted: true, leftOut: { stillAssigned: 5, unconfirmed: 5 } }, null],
  ])('%s', (_name, overrides, expected) => {
    expect(sourceHealthProblem({ ...base, ...overrides })).toBe(expected);
  });
});

describe('gateOnSourceHealth', () => {
  it('withholds every suspend and delete (and clears), and keeps creates, when the listing is empty', () => {
    const out = gateOnSourceHealth(plan(), { ...base, assignments: 0 });
    expect(out.plan.users.map((u) => u.email)).toEqual(['c@example.com']);
    expect(out.plan.withheld.map((w) => `${w.email} ${w.kind}`)).toEqual(['a@example.com suspend', 'a@example.com write_back', 'b@example.com delete']);
    expect(out.plan.withheld[0]?.reason).toContain('source health gate: Okta listed no assigned users');
    expect(out.held).toMatchObject({ gate: 'source-health', users: 2, counts: { suspend: 1, delete: 1, write_back: 1 } });
  });

  it('withholds every suspend and delete when several users were left out of an otherwise full listing', () => {
    const out = gateOnSourceHealth(plan(), { ...base, leftOut: { stillAssigned: 3, unconfirmed: 0 } });
    expect(out.plan.users.map((u) => u.email)).toEqual(['c@example.com']);
    expect(out.held).toMatchObject({ gate: 'source-health', users: 2, reason: "source health gate: Okta's listing left out 3 users who are still assigned (each read by id)" });
  });

  it('holds nothing when the listing is healthy or the run allows it', () => {
    expect(gateOnSourceHealth(plan(), base).held).toBeNull();
    expect(gateOnSourceHealth(plan(), { ...base, assignments: 0, allow: true })).toEqual({ plan: plan(), held: null });
  });
});
