import { describe, expect, it } from 'vitest';
import { applyPolicy } from '../../src/plan/policy.js';
import type { Action, ActionKind, Plan, Policy, UserPlan } from '../../src/plan/types.js';

const create: Action = {
  kind: 'create',
  email: 'new@example.com',
  firstName: 'N',
  lastName: 'U',
  officeId: '1',
  license: 'talk',
  autoAssign: true,
  jobTitle: null,
  reason: 'assigned',
};
const pendingWriteBack: Action = { kind: 'write_back', from: null, to: null, pending: true, reason: 'after create' };

const users: UserPlan[] = [
  { oktaUserId: 'u1', dialpadUserId: null, email: 'new@example.com', actions: [create, pendingWriteBack] },
  {
    oktaUserId: 'u2',
    dialpadUserId: 'd2',
    email: 'adopted@example.com',
    actions: [
      { kind: 'adopt', dialpadUserId: 'd2', reason: 'same email' },
      { kind: 'reactivate', reason: 'suspended' },
      { kind: 'write_back', from: null, to: '+1', pending: false, reason: 'differs' },
    ],
  },
  {
    oktaUserId: 'u3',
    dialpadUserId: 'd3',
    email: 'changed@example.com',
    actions: [
      { kind: 'update', changes: [{ field: 'first_name', from: 'A', to: 'B' }], reason: 'name' },
      { kind: 'move_office', fromOfficeId: '1', toOfficeId: '2', international: false, reason: 'office' },
      { kind: 'assign_number', number: null, areaCode: '212', reason: 'none yet' },
    ],
  },
  {
    oktaUserId: 'u4',
    dialpadUserId: 'd4',
    email: 'left@example.com',
    actions: [
      { kind: 'suspend', reason: 'unassigned from the app' },
      { kind: 'write_back', from: null, to: null, pending: false, reason: 'clear' },
    ],
  },
  { oktaUserId: null, dialpadUserId: 'd5', email: 'deleted@example.com', actions: [{ kind: 'delete', reason: 'deleted in Okta' }] },
  {
    oktaUserId: 'u6',
    dialpadUserId: 'd6',
    email: 'suspended@example.com',
    actions: [{ kind: 'write_back', from: '+2', to: null, pending: false, reason: 'clear' }],
  },
];
const plan: Plan = { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };

describe('applyPolicy', () => {
  it.each<[Policy, Record<string, ActionKind[]>, [string, ActionKind][]]>([
    [
      'sync',
      {
        'new@example.com': ['create', 'write_back'],
        'adopted@example.com': ['adopt', 'reactivate', 'write_back'],
        'changed@example.com': ['update', 'move_office', 'assign_number'],
        'left@example.com': ['suspend', 'write_back'],
        'deleted@example.com': ['delete'],
        'suspended@example.com': ['write_back'],
      },
      [],
    ],
    [
      'upsert-only',
      {
        'new@example.com': ['create', 'write_back'],
        'adopted@example.com': ['adopt', 'reactivate', 'write_back'],
        'changed@example.com': ['update', 'move_office', 'assign_number'],
        'suspended@example.com': ['write_back'],
      },
      [
        ['left@example.com', 'suspend'],
        ['left@example.com', 'write_back'],
        ['deleted@example.com', 'delete'],
      ],
    ],
    [
      'create-only',
      {
        'new@example.com': ['create', 'write_back'],
        'adopted@example.com': ['adopt'],
      },
      [
        ['adopted@example.com', 'reactivate'],
        ['adopted@example.com', 'write_back'],
        ['changed@example.com', 'update'],
        ['changed@example.com', 'move_office'],
        ['changed@example.com', 'assign_number'],
        ['left@example.com', 'suspend'],
        ['left@example.com', 'write_back'],
        ['deleted@example.com', 'delete'],
        ['suspended@example.com', 'write_back'],
      ],
    ],
  ])('%s', (policy, kept, withheld) => {
    const result = applyPolicy(plan, policy);
    expect(Object.fromEntries(result.users.map((u) => [u.email, u.actions.map((a) => a.kind)]))).toEqual(kept);
    expect(result.withheld.map((w) => [w.email, w.kind])).toEqual(withheld);
    for (const w of result.withheld) expect(w.reason).toContain(policy);
  });

  it('keeps the reason of the withheld action', () => {
    const result = applyPolicy(plan, 'upsert-only');
    expect(result.withheld.find((w) => w.kind === 'delete')?.reason).toContain('deleted in Okta');
  });

  it('does not change the plan it is given', () => {
    const before = JSON.stringify(plan);
    applyPolicy(plan, 'create-only');
    expect(JSON.stringify(plan)).toBe(before);
  });
});
