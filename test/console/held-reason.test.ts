import { describe, expect, it } from 'vitest';
import { consoleReason } from '../../src/console/held-reason.js';
import { guardMassChanges } from '../../src/plan/safety/mass-change-guard.js';
import { gateOnSourceHealth } from '../../src/plan/safety/source-health-gate.js';
import type { Plan } from '../../src/plan/types.js';

const plan: Plan = {
  users: [{ oktaUserId: '00u1', dialpadUserId: '1', email: 'ann@acme.com', actions: [{ kind: 'suspend', reason: 'unassigned from the app: gone' }] }],
  skipped: [],
  unmanaged: [],
  warnings: [],
  withheld: [],
};

describe('consoleReason', () => {
  it("keeps the mass-change guard's finding and the action's own reason, not the command-line ways out", () => {
    const held = guardMassChanges(plan, { managedUsers: 1, thresholds: { suspend: { count: 0, percent: 0 }, delete: { count: 0, percent: 0 } }, allow: false });
    const reason = held.plan.withheld[0]?.reason ?? '';
    expect(reason).toContain('--allow-mass-changes');
    expect(consoleReason(reason)).toBe('held back by the mass-change guard: 1 suspends planned (more than 0 and more than 0% of 1 managed users) — unassigned from the app: gone');
  });

  it("does the same for the source health gate's holds", () => {
    const held = gateOnSourceHealth(plan, { assignments: 0, managedUsers: 1, lastHealthyAssignments: null, minFraction: 0.5, targeted: false, allow: false });
    expect(consoleReason(held.plan.withheld[0]?.reason ?? '')).toBe('held back by the source health gate: Okta listed no assigned users while dialsync manages 1 — unassigned from the app: gone');
  });

  it('leaves any other reason as it is', () => {
    expect(consoleReason('license cap: talk is full')).toBe('license cap: talk is full');
  });
});
