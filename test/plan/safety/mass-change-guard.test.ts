import { describe, expect, it } from 'vitest';
import { exceedsThreshold, guardMassChanges } from '../../../src/plan/safety/mass-change-guard.js';
import type { Action, Plan, UserPlan } from '../../../src/plan/types.js';

function retiring(i: number, kind: 'suspend' | 'delete', withClear = false): UserPlan {
  const actions: Action[] = [{ kind, reason: 'unassigned from the app' }];
  if (withClear) actions.push({ kind: 'write_back', from: null, to: null, pending: false, reason: 'clear' });
  return { oktaUserId: `o${i}`, dialpadUserId: `${100 + i}`, email: `${kind}${String(i).padStart(3, '0')}@example.com`, actions };
}

function plan(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

const update: UserPlan = {
  oktaUserId: 'keep',
  dialpadUserId: '9',
  email: 'keep@example.com',
  actions: [{ kind: 'update', changes: [{ field: 'job_title', from: null, to: 'CTO' }], reason: 'title changed' }],
};
const defaults = { suspend: { count: 10, percent: 5 }, delete: { count: 10, percent: 5 } };

describe('exceedsThreshold: more than count AND more than percent of managed users', () => {
  it.each([
    // planned, managed, held?
    [10, 100, false], // not more than 10
    [11, 100, true], // 11 > 10 and 11% > 5%
    [11, 1000, false], // 1.1% of 1000
    [51, 1000, true],
    [50, 1000, false], // exactly 5%: not more
    [11, 0, true], // nobody managed: any percentage is above
    [0, 0, false],
  ])('%i of %i managed → held %s', (planned, managed, held) => {
    expect(exceedsThreshold(planned, managed, { count: 10, percent: 5 })).toBe(held);
  });
});

describe('guardMassChanges', () => {
  it('holds 12 suspends of 100 managed users, with their write-back clears, and keeps everything else', () => {
    const users = [...Array.from({ length: 12 }, (_, i) => retiring(i, 'suspend', true)), update];
    const out = guardMassChanges(plan(users), { managedUsers: 100, thresholds: defaults, allow: false });
    expect(out.plan.users).toEqual([update]);
    expect(out.held).toMatchObject({ gate: 'mass-change', users: 12, counts: { suspend: 12, write_back: 12 } });
    expect(out.held?.reason).toContain('12 suspends planned (more than 10 and more than 5% of 100 managed users)');
    expect(out.plan.withheld).toHaveLength(24);
    for (const w of out.plan.withheld) {
      expect(w.reason).toContain('--allow-mass-changes');
      expect(w.reason).toContain('safety.allowMassChanges: true');
    }
  });

  it('leaves 10 suspends alone (not more than the count)', () => {
    const p = plan(Array.from({ length: 10 }, (_, i) => retiring(i, 'suspend')));
    const out = guardMassChanges(p, { managedUsers: 20, thresholds: defaults, allow: false });
    expect(out).toEqual({ plan: p, held: null });
  });

  it('counts suspends and deletes separately: only the kind over its threshold is held', () => {
    const users = [...Array.from({ length: 12 }, (_, i) => retiring(i, 'delete')), ...Array.from({ length: 5 }, (_, i) => retiring(i, 'suspend'))];
    const out = guardMassChanges(plan(users), { managedUsers: 100, thresholds: defaults, allow: false });
    expect(out.plan.users.map((u) => u.actions[0]?.kind)).toEqual(Array(5).fill('suspend'));
    expect(out.held?.counts).toEqual({ delete: 12 });
  });

  it('uses the configured thresholds per kind', () => {
    const users = Array.from({ length: 3 }, (_, i) => retiring(i, 'suspend'));
    const strict = { suspend: { count: 2, percent: 1 }, delete: defaults.delete };
    expect(guardMassChanges(plan(users), { managedUsers: 100, thresholds: strict, allow: false }).held?.users).toBe(3);
    expect(guardMassChanges(plan(users), { managedUsers: 1000, thresholds: strict, allow: false }).held).toBeNull();
  });

  it('lets everything through when allowed', () => {
    const p = plan(Array.from({ length: 50 }, (_, i) => retiring(i, 'suspend')));
    expect(guardMassChanges(p, { managedUsers: 50, thresholds: defaults, allow: true })).toEqual({ plan: p, held: null });
  });

  it('keeps the other actions of a user whose suspend is held (but not its write-back clear)', () => {
    const mixed: UserPlan = {
      oktaUserId: 'm',
      dialpadUserId: '7',
      email: 'm@example.com',
      actions: [
        { kind: 'update', changes: [{ field: 'last_name', from: 'A', to: 'B' }], reason: 'renamed' },
        { kind: 'suspend', reason: 'Okta user status is SUSPENDED' },
        { kind: 'write_back', from: '+1', to: null, pending: false, reason: 'clear' },
      ],
    };
    const users = [...Array.from({ length: 11 }, (_, i) => retiring(i, 'suspend')), mixed];
    const out = guardMassChanges(plan(users), { managedUsers: 12, thresholds: defaults, allow: false });
    expect(out.plan.users).toEqual([{ ...mixed, actions: [mixed.actions[0]] }]);
  });
});
