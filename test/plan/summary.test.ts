import { describe, expect, it } from 'vitest';
import { countActions, planIsEmpty } from '../../src/plan/summary.js';
import type { Plan } from '../../src/plan/types.js';

const empty: Plan = { users: [], skipped: [], unmanaged: [], warnings: [], withheld: [] };

describe('countActions', () => {
  it('counts every kind, zero for the absent ones', () => {
    const plan: Plan = {
      ...empty,
      users: [
        {
          oktaUserId: 'u1',
          dialpadUserId: 'd1',
          email: 'a@example.com',
          actions: [
            { kind: 'reactivate', reason: 'r' },
            { kind: 'write_back', from: null, to: '+1', pending: false, reason: 'w' },
          ],
        },
        {
          oktaUserId: 'u2',
          dialpadUserId: 'd2',
          email: 'b@example.com',
          actions: [
            { kind: 'suspend', reason: 's' },
            { kind: 'write_back', from: '+2', to: null, pending: false, reason: 'w' },
          ],
        },
      ],
    };
    expect(countActions(plan)).toEqual({
      create: 0,
      adopt: 0,
      relink: 0,
      reactivate: 1,
      update: 0,
      move_office: 0,
      assign_number: 0,
      suspend: 1,
      delete: 0,
      write_back: 2,
    });
  });
});

describe('planIsEmpty', () => {
  it.each<[string, Plan, boolean]>([
    ['no users', empty, true],
    [
      'only reports',
      {
        ...empty,
        skipped: [{ oktaUserId: 'u1', email: null, code: 'missing_email', reason: 'x' }],
        unmanaged: [{ dialpadUserId: 'd1', email: null, state: 'active' }],
        warnings: [{ oktaUserId: null, email: null, message: 'w' }],
      },
      true,
    ],
    [
      'one action',
      { ...empty, users: [{ oktaUserId: 'u1', dialpadUserId: 'd1', email: 'a@example.com', actions: [{ kind: 'suspend', reason: 's' }] }] },
      false,
    ],
  ])('%s → %s', (_label, plan, expected) => {
    expect(planIsEmpty(plan)).toBe(expected);
  });
});
