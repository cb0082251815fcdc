// Approvals in the run-wide gates: when a gate would hold, exactly the approved (user, kind) actions pass, marked
// with who approved them; everything else is held as before, and an approval for an action no longer planned does
// nothing.
import { describe, expect, it } from 'vitest';
import { gateOnDialpadHealth } from '../../../src/plan/safety/dialpad-health-gate.js';
import type { Approval } from '../../../src/plan/safety/held-back.js';
import { guardMassChanges, type MassChangeOptions } from '../../../src/plan/safety/mass-change-guard.js';
import { applySafety } from '../../../src/plan/safety/pipeline.js';
import { gateOnSourceHealth } from '../../../src/plan/safety/source-health-gate.js';
import type { Action, Plan, UserPlan } from '../../../src/plan/types.js';
import { assignment, link, planInput } from '../fixtures.js';
import { safetyFacts, safetySettings } from './fixtures.js';

const ADMIN = 'cli:ana@ops-host';

/** Leaver i: a suspend of a linked user and the write-back clear that goes with it. */
function leaver(i: number, kind: 'suspend' | 'delete' = 'suspend'): UserPlan {
  return {
    oktaUserId: `o${i}`,
    dialpadUserId: `${100 + i}`,
    email: `leaver${String(i).padStart(2, '0')}@example.com`,
    actions: [
      { kind, reason: 'unassigned from the app' },
      { kind: 'write_back', from: '+1', to: null, pending: false, reason: 'clear the number' },
    ],
  };
}

const editor: UserPlan = { oktaUserId: 'ed', dialpadUserId: '9', email: 'editor@example.com', actions: [{ kind: 'update', changes: [], reason: 'title changed' }] };

function plan(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

const approved = (ids: number[], kind: 'suspend' | 'delete' = 'suspend'): Approval[] => ids.map((i) => ({ userKey: `okta:o${i}`, kind, approvedBy: ADMIN }));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const guard = (approvals: Approval[]): MassChangeOptions => ({
  managedUsers: 100,
  thresholds: { suspend: { count: 10, percent: 5 }, delete: { count: 10, percent: 5 } },
  allow: false,
  approvals,
});
const emailsOf = (p: Plan, kind: string): string[] => p.users.filter((u) => u.actions.some((a) => a.kind === kind)).map((u) => u.email);
const withheldOf = (p: Plan): [string, string, string | undefined][] => p.withheld.map((w) => [w.email, w.kind, w.gate]);

describe('the mass-change guard with approvals (12 suspends of 100 managed users, more than 10 and 5 %)', () => {
  const twelve = range(0, 12).map((i) => leaver(i));

  it.each([
    // situation, approved leavers, suspends that pass, users still held
    ['none approved: all 12 held', [], 0, 12],
    ['all 12 approved: all pass, nothing held', range(0, 12), 12, 0],
    ['11 approved: those pass, the 12th is held with its clear', range(0, 11), 11, 1],
    ['approvals for users not planned any more do nothing', range(50, 62), 0, 12],
  ])('%s', (_situation, ids, passing, stillHeld) => {
    const out = guardMassChanges(plan([...twelve, editor]), guard(approved(ids)));
    expect(emailsOf(out.plan, 'suspend')).toHaveLength(passing);
    expect(out.held?.users ?? 0).toBe(stillHeld);
    expect(out.plan.withheld).toHaveLength(stillHeld * 2);
    expect(emailsOf(out.plan, 'update')).toEqual(['editor@example.com']);
  });

  it('an approved suspend keeps its write-back clear and says who approved it; a held one lists its gate and ids', () => {
    const out = guardMassChanges(plan(twelve), guard(approved(range(0, 11))));
    const first = out.plan.users[0];
    expect(first?.actions.map((a) => a.kind)).toEqual(['suspend', 'write_back']);
    expect(first?.actions[0]).toEqual({ kind: 'suspend', approvedBy: ADMIN, reason: `approved by ${ADMIN} past the mass-change guard: unassigned from the app` });
    expect(out.plan.withheld).toEqual([
      expect.objectContaining({ email: 'leaver11@example.com', oktaUserId: 'o11', dialpadUserId: '111', kind: 'suspend', gate: 'mass-change' }),
      expect.objectContaining({ email: 'leaver11@example.com', kind: 'write_back', gate: 'mass-change' }),
    ]);
  });

  it('a new leaver after the approval is held again: 12 approved, a 13th planned', () => {
    const out = guardMassChanges(plan([...twelve, leaver(12)]), guard(approved(range(0, 12))));
    expect(emailsOf(out.plan, 'suspend')).toEqual(twelve.map((u) => u.email));
    expect(withheldOf(out.plan)).toEqual([
      ['leaver12@example.com', 'suspend', 'mass-change'],
      ['leaver12@example.com', 'write_back', 'mass-change'],
    ]);
    expect(out.held).toMatchObject({ gate: 'mass-change', users: 1, counts: { suspend: 1, write_back: 1 } });
    // The guard still counts every suspend planned: the reason says 13.
    expect(out.held?.reason).toContain('13 suspends planned');
  });

  it('an approval is for one kind: an approved suspend does not let a delete of the same user through', () => {
    const deletes = range(0, 12).map((i) => leaver(i, 'delete'));
    const out = guardMassChanges(plan(deletes), guard(approved(range(0, 12), 'suspend')));
    expect(out.held?.counts).toMatchObject({ delete: 12 });
    expect(guardMassChanges(plan(deletes), guard(approved(range(0, 12), 'delete'))).held).toBeNull();
  });

  it('when the guard would not hold, approvals change nothing (the reasons are the plan’s own)', () => {
    const few = plan(range(0, 3).map((i) => leaver(i)));
    expect(guardMassChanges(few, guard(approved(range(0, 3))))).toEqual({ plan: few, held: null });
  });
});

describe('the health gates with approvals', () => {
  it('source health gate: an approved suspend passes an unhealthy listing, the rest are held', () => {
    const input = { assignments: 0, managedUsers: 12, lastHealthyAssignments: 12, minFraction: 0.5, targeted: false, allow: false };
    const out = gateOnSourceHealth(plan([leaver(0), leaver(1)]), { ...input, approvals: approved([0]) });
    expect(emailsOf(out.plan, 'suspend')).toEqual(['leaver00@example.com']);
    expect((out.plan.users[0]?.actions[0] as Extract<Action, { kind: 'suspend' }>).reason).toMatch(/^approved by cli:ana@ops-host past the source health gate: /);
    expect(withheldOf(out.plan)).toEqual([
      ['leaver01@example.com', 'suspend', 'source-health'],
      ['leaver01@example.com', 'write_back', 'source-health'],
    ]);
    expect(out.held).toMatchObject({ gate: 'source-health', users: 1 });
  });

  it('Dialpad health gate: an approved suspend passes; a re-creation of a linked user is still held', () => {
    const recreate: UserPlan = {
      oktaUserId: 'o7',
      dialpadUserId: null,
      email: 'gone@example.com',
      actions: [{ kind: 'create', email: 'gone@example.com', firstName: 'G', lastName: 'One', officeId: '1', license: 'talk', autoAssign: true, jobTitle: null, reason: 'linked Dialpad user missing' }],
    };
    const out = gateOnDialpadHealth(plan([leaver(0), recreate]), {
      gaps: { oktaStillAssigned: [], oktaUnconfirmed: 0, dialpadStillThere: [], dialpadUnconfirmed: 0, dialpadLinked: { expected: 12, listed: 0 } },
      links: [link('o0', '100'), link('o7', '107')],
      minFraction: 0.5,
      targeted: false,
      allow: false,
      approvals: approved([0]),
    });
    expect(emailsOf(out.plan, 'suspend')).toEqual(['leaver00@example.com']);
    expect(withheldOf(out.plan)).toEqual([['gone@example.com', 'create', 'dialpad-health']]);
    expect(out.held).toMatchObject({ gate: 'dialpad-health', users: 1 });
  });
});

describe('applySafety with approvals', () => {
  it('an approved suspend passes both the source health gate and the mass-change guard, approved once in its reason', () => {
    const twelve = range(0, 12).map((i) => leaver(i));
    const facts = safetyFacts({
      input: planInput({ links: Array.from({ length: 100 }, (_, i) => link(`o${i}`, `${100 + i}`)), assignments: [assignment('a0')] }),
      lastHealthyAssignments: 88,
      approvals: approved(range(0, 12)),
    });
    const { plan: safe, held } = applySafety(plan([...twelve, leaver(12)]), facts, safetySettings());
    expect(emailsOf(safe, 'suspend')).toEqual(twelve.map((u) => u.email));
    const reasons = safe.users.map((u) => (u.actions[0] as Extract<Action, { kind: 'suspend' }>).reason);
    for (const reason of reasons) expect(reason).toBe(`approved by ${ADMIN} past the source health gate: unassigned from the app`);
    // The 13th is held by the first gate that holds it; the guard then finds nothing more to hold.
    expect(held.map((h) => [h.gate, h.users])).toEqual([['source-health', 1]]);
    expect(withheldOf(safe)).toEqual([
      ['leaver12@example.com', 'suspend', 'source-health'],
      ['leaver12@example.com', 'write_back', 'source-health'],
    ]);
  });

  it('nothing approved: the pipeline holds as before', () => {
    const facts = safetyFacts({ input: planInput({ links: Array.from({ length: 100 }, (_, i) => link(`o${i}`, `${100 + i}`)), assignments: Array.from({ length: 88 }, (_, i) => assignment(`a${i}`)) }) });
    const { plan: safe, held } = applySafety(plan(range(0, 12).map((i) => leaver(i))), facts, safetySettings());
    expect(safe.users).toEqual([]);
    expect(held.map((h) => [h.gate, h.users])).toEqual([['mass-change', 12]]);
  });
});
