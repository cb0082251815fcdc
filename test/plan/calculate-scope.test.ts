// The planner with scoping (scope.groups, scope.include, scope.exclude, scope.onOutOfScope): a user the scope
// leaves out is treated as unassigned.
import { describe, expect, it } from 'vitest';
import { calculatePlan } from '../../src/plan/calculate.js';
import { attributesReadBy } from '../../src/plan/rules/profile-attribute.js';
import type { ActionKind, PlanInput, RelinkCause, Rules, ScopeGroupMembership, ScopeRules, SkipCode } from '../../src/plan/types.js';
import { actionOf, assignment, dialpadUser, kinds, link, planInput, rules } from './fixtures.js';

const EMAIL = 'u1@example.com';
const PILOT = '00gpilot000000000001';
const contractors = { name: 'contractors', clauses: [{ attribute: 'userType', operator: 'equals' as const, value: 'Contractor', ignoreCase: false }] };

function scoped(scope: Partial<ScopeRules>, overrides: Omit<Partial<Rules>, 'writeBack'> & { writeBack?: Partial<Rules['writeBack']> } = {}): Rules {
  return rules({ ...overrides, scope: { groups: [], include: [], exclude: [], onOutOfScope: 'suspend', ...scope } });
}

function pilot(...members: string[]): ScopeGroupMembership {
  return { groups: [{ id: PILOT, name: 'Dialpad pilot' }], members: new Map([[PILOT, new Set(members)]]) };
}

interface ScopeRow {
  name: string;
  input: Partial<PlanInput>;
  rules: Rules;
  kinds: ActionKind[];
  skipped?: { code: SkipCode; reason: RegExp };
  /** The reason of the first action. */
  reason?: RegExp;
}

describe('calculatePlan: a user the scope leaves out is treated as unassigned', () => {
  const contractor = assignment('u1', { profile: { userType: 'Contractor', dialpadPhone: '+12125550111' } });
  const employee = assignment('u1', { profile: { userType: 'Employee', dialpadPhone: '+12125550111' } });

  it.each<ScopeRow>([
    {
      name: 'excluded, linked to an active Dialpad user, onOutOfScope suspend → suspend, naming the clause',
      input: { assignments: [contractor], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] },
      rules: scoped({ exclude: [contractors] }),
      kinds: ['suspend'],
      reason: /^excluded by scope.exclude "contractors": userType equals "Contractor"$/,
    },
    {
      name: 'excluded, writeBack.onSuspended clear → suspend and clear the number',
      input: { assignments: [contractor], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] },
      rules: scoped({ exclude: [contractors] }, { writeBack: { onSuspended: 'clear' } }),
      kinds: ['suspend', 'write_back'],
    },
    {
      name: 'excluded, its Dialpad user already suspended → nothing to do',
      input: { assignments: [contractor], dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended' })], links: [link('u1', 'd1')] },
      rules: scoped({ exclude: [contractors] }),
      kinds: [],
    },
    {
      name: 'excluded, onDeactivated delete → still only suspended (scope never deletes)',
      input: { assignments: [contractor], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] },
      rules: scoped({ exclude: [contractors] }, { onDeactivated: 'delete' }),
      kinds: ['suspend'],
    },
    {
      name: 'excluded, no Dialpad user → skipped out_of_scope, never created',
      input: { assignments: [contractor] },
      rules: scoped({ exclude: [contractors] }),
      kinds: [],
      skipped: { code: 'out_of_scope', reason: /^excluded by scope.exclude "contractors": userType equals "Contractor": no Dialpad user is created$/ },
    },
    {
      name: 'excluded, no link but a Dialpad user with its email → not adopted either',
      input: { assignments: [contractor], dialpadUsers: [dialpadUser('d1', EMAIL)] },
      rules: scoped({ exclude: [contractors] }),
      kinds: [],
      skipped: { code: 'out_of_scope', reason: /no Dialpad user is created/ },
    },
    {
      name: 'excluded, onOutOfScope ignore → skipped, its Dialpad user left as it is',
      input: { assignments: [contractor], dialpadUsers: [dialpadUser('d1', EMAIL, { jobTitle: 'Old' })], links: [link('u1', 'd1')] },
      rules: scoped({ exclude: [contractors], onOutOfScope: 'ignore' }),
      kinds: [],
      skipped: { code: 'out_of_scope', reason: /Dialpad user d1 is left as it is \(scope.onOutOfScope: ignore\)/ },
    },
    {
      name: 'not excluded → brought in line as usual',
      input: { assignments: [employee], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] },
      rules: scoped({ exclude: [contractors] }),
      kinds: [],
    },
    {
      name: 'pilot group: a member is created',
      input: { assignments: [employee], scopeGroups: pilot('u1') },
      rules: scoped({ groups: ['Dialpad pilot'] }),
      kinds: ['create', 'write_back'],
    },
    {
      name: 'pilot group: a non-member is not created',
      input: { assignments: [employee], scopeGroups: pilot('u9') },
      rules: scoped({ groups: ['Dialpad pilot'] }),
      kinds: [],
      skipped: { code: 'out_of_scope', reason: /^not a member of scope.groups "Dialpad pilot": no Dialpad user is created$/ },
    },
    {
      name: 'pilot group: a member removed from it is suspended',
      input: { assignments: [employee], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')], scopeGroups: pilot() },
      rules: scoped({ groups: ['Dialpad pilot'] }),
      kinds: ['suspend'],
      reason: /not a member of scope.groups "Dialpad pilot"/,
    },
    {
      name: 'a status out of scope is decided by the status first (not_in_scope), whatever the filters',
      input: { assignments: [assignment('u1', { status: 'STAGED', profile: { userType: 'Contractor' } })] },
      rules: scoped({ exclude: [contractors] }),
      kinds: [],
      skipped: { code: 'not_in_scope', reason: /status is STAGED/ },
    },
  ])('$name', (row) => {
    const plan = calculatePlan(planInput(row.input), row.rules);
    const user = plan.users.find((u) => u.oktaUserId === 'u1');
    expect(kinds(user)).toEqual(row.kinds);
    if (row.reason) expect(user?.actions[0]?.reason).toMatch(row.reason);
    if (row.skipped) {
      expect(plan.skipped).toEqual([expect.objectContaining({ oktaUserId: 'u1', code: row.skipped.code })]);
      expect(plan.skipped[0]?.reason).toMatch(row.skipped.reason);
    } else {
      expect(plan.skipped).toEqual([]);
    }
  });
});

describe('calculatePlan: re-hires and scoping', () => {
  /** Tom's old Okta account u0, linked to Dialpad user d1, is still assigned and ACTIVE but now a contractor; u1 is his new account. */
  const oldAccount = assignment('u0', { profile: { login: 'tom.old@example.com', userType: 'Contractor' } });
  const newAccount = assignment('u1', { profile: { dialpadPhone: '+12125550111' } });

  it.each<{ name: string; rules: Rules; kinds: ActionKind[]; cause?: RelinkCause; skipped?: SkipCode }>([
    { name: 'the old account is scoped out (onOutOfScope suspend) → the new account takes the link over', rules: scoped({ exclude: [contractors] }), kinds: ['relink'], cause: 'out_of_scope' },
    { name: 'onOutOfScope ignore → the old account keeps its Dialpad user', rules: scoped({ exclude: [contractors], onOutOfScope: 'ignore' }), kinds: [], skipped: 'email_linked_elsewhere' },
    { name: 'no scoping → the old account still holds it', rules: rules(), kinds: [], skipped: 'email_linked_elsewhere' },
  ])('$name', (row) => {
    const input = planInput({ assignments: [newAccount, oldAccount], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u0', 'd1')] });
    const plan = calculatePlan(input, row.rules);
    const user = plan.users.find((u) => u.oktaUserId === 'u1');
    expect(kinds(user)).toEqual(row.kinds);
    if (row.cause) {
      expect(actionOf(user, 'relink')?.cause).toBe(row.cause);
      // The old account's retirement does not suspend the Dialpad user the new account took over.
      expect(plan.users.find((u) => u.oktaUserId === 'u0')).toBeUndefined();
    }
    if (row.skipped) expect(plan.skipped.find((s) => s.oktaUserId === 'u1')?.code).toBe(row.skipped);
  });
});

describe('attributesReadBy with scoping filters', () => {
  it('keeps the attributes the filters read, so a filter on userType sees the value', () => {
    const names = attributesReadBy(scoped({ include: [{ clauses: [{ attribute: 'costCenter', operator: 'isNotEmpty', ignoreCase: false }] }], exclude: [contractors] }));
    expect(names).toEqual(expect.arrayContaining(['userType', 'costCenter']));
    expect(attributesReadBy(rules())).not.toContain('userType');
  });
});
