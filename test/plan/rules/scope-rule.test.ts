import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/okta/types.js';
import { describeClause, ScopeEvaluator, scopeClauseProblem } from '../../../src/plan/rules/scope-rule.js';
import type { ScopeClause, ScopeFilter, ScopeGroupMembership, ScopeRules } from '../../../src/plan/types.js';
import { assignment } from '../fixtures.js';

function scope(overrides: Partial<ScopeRules>): ScopeRules {
  return { groups: [], include: [], exclude: [], onOutOfScope: 'suspend', ...overrides };
}

function clause(attribute: string, operator: ScopeClause['operator'], extra: Partial<ScopeClause> = {}): ScopeClause {
  return { attribute, operator, ignoreCase: false, ...extra };
}

/** Whether one clause, as the only clause of an include filter, keeps a user with these profiles in. */
function holds(c: ScopeClause, profile: Profile, appProfile: Profile = {}): boolean {
  const evaluator = new ScopeEvaluator(scope({ include: [{ clauses: [c] }] }), undefined);
  return evaluator.verdict(assignment('00u1', { profile, appProfile })).inScope;
}

describe('scoping clauses: each operator', () => {
  // userType and title are base attributes (user profile only); costCenterCode is custom (app profile first).
  it.each<[string, ScopeClause, Profile, Profile, boolean]>([
    ['equals: same value', clause('userType', 'equals', { value: 'Contractor' }), { userType: 'Contractor' }, {}, true],
    ['equals: other case, exact', clause('userType', 'equals', { value: 'Contractor' }), { userType: 'contractor' }, {}, false],
    ['equals: other case, ignoreCase', clause('userType', 'equals', { value: 'Contractor', ignoreCase: true }), { userType: 'CONTRACTOR' }, {}, true],
    ['equals: absent', clause('userType', 'equals', { value: 'Contractor' }), {}, {}, false],
    ['equals: surrounding blanks are not part of the value', clause('userType', 'equals', { value: 'Contractor' }), { userType: ' Contractor ' }, {}, true],
    ['notEquals: other value', clause('userType', 'notEquals', { value: 'Contractor' }), { userType: 'Employee' }, {}, true],
    ['notEquals: same value', clause('userType', 'notEquals', { value: 'Contractor' }), { userType: 'Contractor' }, {}, false],
    ['notEquals: other case, exact', clause('userType', 'notEquals', { value: 'Contractor' }), { userType: 'contractor' }, {}, true],
    ['notEquals: other case, ignoreCase', clause('userType', 'notEquals', { value: 'Contractor', ignoreCase: true }), { userType: 'contractor' }, {}, false],
    ['notEquals: absent is not equal', clause('userType', 'notEquals', { value: 'Contractor' }), {}, {}, true],
    ['oneOf: listed', clause('userType', 'oneOf', { values: ['Contractor', 'Intern'] }), { userType: 'Intern' }, {}, true],
    ['oneOf: not listed', clause('userType', 'oneOf', { values: ['Contractor', 'Intern'] }), { userType: 'Employee' }, {}, false],
    ['oneOf: other case, exact', clause('userType', 'oneOf', { values: ['Contractor'] }), { userType: 'CONTRACTOR' }, {}, false],
    ['oneOf: other case, ignoreCase', clause('userType', 'oneOf', { values: ['Contractor'], ignoreCase: true }), { userType: 'CONTRACTOR' }, {}, true],
    ['oneOf: absent', clause('userType', 'oneOf', { values: ['Contractor'] }), {}, {}, false],
    ['startsWith: prefix', clause('title', 'startsWith', { value: 'Sales' }), { title: 'Sales Engineer' }, {}, true],
    ['startsWith: not a prefix', clause('title', 'startsWith', { value: 'Sales' }), { title: 'Head of Sales' }, {}, false],
    ['startsWith: ignoreCase', clause('title', 'startsWith', { value: 'sales', ignoreCase: true }), { title: 'Sales Engineer' }, {}, true],
    ['startsWith: absent', clause('title', 'startsWith', { value: 'Sales' }), {}, {}, false],
    ['endsWith: suffix', clause('email', 'endsWith', { value: '@ext.acme.com' }), { email: 'bo@ext.acme.com' }, {}, true],
    ['endsWith: not a suffix', clause('email', 'endsWith', { value: '@ext.acme.com' }), { email: 'bo@acme.com' }, {}, false],
    ['endsWith: other case, exact', clause('email', 'endsWith', { value: '@ext.acme.com' }), { email: 'bo@EXT.acme.com' }, {}, false],
    ['endsWith: ignoreCase', clause('email', 'endsWith', { value: '@ext.acme.com', ignoreCase: true }), { email: 'bo@EXT.acme.com' }, {}, true],
    ['matches: unanchored, anywhere in the value', clause('title', 'matches', { value: 'Eng' }), { title: 'Senior Engineer' }, {}, true],
    ['matches: anchored whole value', clause('title', 'matches', { value: '^Eng.*r$' }), { title: 'Senior Engineer' }, {}, false],
    ['matches: exact case', clause('title', 'matches', { value: 'eng' }), { title: 'Senior Engineer' }, {}, false],
    ['matches: ignoreCase', clause('title', 'matches', { value: 'eng', ignoreCase: true }), { title: 'Senior Engineer' }, {}, true],
    ['matches: absent never matches', clause('title', 'matches', { value: '.*' }), {}, {}, false],
    ['isEmpty: absent', clause('userType', 'isEmpty'), {}, {}, true],
    ['isEmpty: null', clause('userType', 'isEmpty'), { userType: null }, {}, true],
    ['isEmpty: blank', clause('userType', 'isEmpty'), { userType: '   ' }, {}, true],
    ['isEmpty: set', clause('userType', 'isEmpty'), { userType: 'Employee' }, {}, false],
    ['isNotEmpty: set', clause('userType', 'isNotEmpty'), { userType: 'Employee' }, {}, true],
    ['isNotEmpty: blank', clause('userType', 'isNotEmpty'), { userType: '' }, {}, false],
    ['isNotEmpty: absent', clause('userType', 'isNotEmpty'), {}, {}, false],
    ['custom attribute: app-user profile first', clause('costCenterCode', 'equals', { value: 'APP' }), { costCenterCode: 'USER' }, { costCenterCode: 'APP' }, true],
    ['custom attribute: user profile when the app-user profile lacks it', clause('costCenterCode', 'equals', { value: 'USER' }), { costCenterCode: 'USER' }, {}, true],
    ['base attribute: the user profile only', clause('userType', 'equals', { value: 'Contractor' }), { userType: 'Employee' }, { userType: 'Contractor' }, false],
    ['numbers compare as text', clause('employeeNumber', 'equals', { value: '42' }), { employeeNumber: 42 }, {}, true],
  ])('%s', (_name, c, profile, appProfile, expected) => {
    expect(holds(c, profile, appProfile)).toBe(expected);
  });
});

describe('scoping: filters AND-ed inside, OR-ed across; groups AND filters', () => {
  const contractor: ScopeFilter = { name: 'contractors', clauses: [clause('userType', 'equals', { value: 'Contractor' })] };
  const salesInBerlin: ScopeFilter = {
    clauses: [clause('department', 'equals', { value: 'Sales' }), clause('city', 'equals', { value: 'Berlin' })],
  };
  const pilot = '00gpilot000000000001';
  const other = '00gother0000000000001';
  const membership: ScopeGroupMembership = {
    groups: [
      { id: pilot, name: 'Dialpad pilot' },
      { id: other, name: 'Phones' },
    ],
    members: new Map([
      [pilot, new Set(['00uPilot', '00uBoth'])],
      [other, new Set(['00uOther', '00uBoth'])],
    ]),
  };
  const user = (id: string, profile: Profile = {}) => assignment(id, { profile });

  it.each<[string, ScopeRules, string, Profile, boolean, string]>([
    ['no scoping: in', scope({}), '00uA', {}, true, 'no scoping groups or filters are set'],
    ['exclude matches: out, naming the filter and clause', scope({ exclude: [contractor] }), '00uA', { userType: 'Contractor' }, false, 'excluded by scope.exclude "contractors": userType equals "Contractor"'],
    ['exclude does not match: in', scope({ exclude: [contractor] }), '00uA', { userType: 'Employee' }, true, 'matches no scope.exclude filter'],
    ['AND: both clauses hold: excluded', scope({ exclude: [salesInBerlin] }), '00uA', { department: 'Sales', city: 'Berlin' }, false, 'excluded by scope.exclude[0]: department equals "Sales" and city equals "Berlin"'],
    ['AND: one clause fails: not excluded', scope({ exclude: [salesInBerlin] }), '00uA', { department: 'Sales', city: 'Paris' }, true, 'matches no scope.exclude filter'],
    ['OR: the second exclude filter matches', scope({ exclude: [contractor, salesInBerlin] }), '00uA', { department: 'Sales', city: 'Berlin' }, false, 'excluded by scope.exclude[1]: department equals "Sales" and city equals "Berlin"'],
    ['include: one of two filters matches: in', scope({ include: [contractor, salesInBerlin] }), '00uA', { department: 'Sales', city: 'Berlin' }, true, 'included by scope.include[1]: department equals "Sales" and city equals "Berlin"'],
    ['include: none matches: out, naming the failed clause', scope({ include: [contractor] }), '00uA', { userType: 'Employee' }, false, 'matches no scope.include filter (scope.include "contractors": not userType equals "Contractor")'],
    ['include and exclude: exclude wins', scope({ include: [salesInBerlin], exclude: [contractor] }), '00uA', { department: 'Sales', city: 'Berlin', userType: 'Contractor' }, false, 'excluded by scope.exclude "contractors": userType equals "Contractor"'],
    ['groups by name: a member is in', scope({ groups: ['Dialpad pilot'] }), '00uPilot', {}, true, 'member of scope.groups "Dialpad pilot"'],
    ['groups: not a member is out', scope({ groups: ['Dialpad pilot'] }), '00uOther', {}, false, 'not a member of scope.groups "Dialpad pilot"'],
    ['groups: a member of neither listed group is out, naming both as explain quotes them', scope({ groups: ['Dialpad pilot', 'Phones'] }), '00uNone', {}, false, 'not a member of scope.groups "Dialpad pilot" or "Phones"'],
    ['groups: member of any listed group (OR)', scope({ groups: ['Dialpad pilot', other] }), '00uOther', {}, true, 'member of scope.groups "Phones"'],
    ['groups AND exclude: a member who is excluded is out', scope({ groups: ['Dialpad pilot'], exclude: [contractor] }), '00uPilot', { userType: 'Contractor' }, false, 'excluded by scope.exclude "contractors": userType equals "Contractor"'],
    ['groups AND include: a non-member matching include is out', scope({ groups: ['Dialpad pilot'], include: [contractor] }), '00uOther', { userType: 'Contractor' }, false, 'not a member of scope.groups "Dialpad pilot"'],
    ['groups AND include AND NOT exclude: in', scope({ groups: ['Dialpad pilot'], include: [salesInBerlin], exclude: [contractor] }), '00uBoth', { department: 'Sales', city: 'Berlin' }, true, 'member of scope.groups "Dialpad pilot"; included by scope.include[0]: department equals "Sales" and city equals "Berlin"; matches no scope.exclude filter'],
  ])('%s', (_name, rules, id, profile, inScope, reason) => {
    const groups = rules.groups.length > 0 ? { ...membership, groups: membership.groups.filter((g) => rules.groups.includes(g.name) || rules.groups.includes(g.id)) } : undefined;
    expect(new ScopeEvaluator(rules, groups).verdict(user(id, profile))).toEqual({ inScope, reason });
  });

  it('refuses to decide group scoping without the membership read', () => {
    expect(() => new ScopeEvaluator(scope({ groups: ['Dialpad pilot'] }), undefined)).toThrow(/not read/);
  });
});

describe('scopeClauseProblem: what the config check refuses', () => {
  it.each<[string, ScopeClause, { field: 'value' | 'values'; message: RegExp } | null]>([
    ['equals without value', clause('userType', 'equals'), { field: 'value', message: /equals needs a value/ }],
    ['startsWith without value', clause('userType', 'startsWith'), { field: 'value', message: /needs a value/ }],
    ['matches without value', clause('userType', 'matches'), { field: 'value', message: /needs a value/ }],
    ['oneOf without values', clause('userType', 'oneOf'), { field: 'values', message: /non-empty list/ }],
    ['oneOf with an empty list', clause('userType', 'oneOf', { values: [] }), { field: 'values', message: /non-empty list/ }],
    ['a regular expression that does not compile', clause('userType', 'matches', { value: '(' }), { field: 'value', message: /not a valid regular expression/ }],
    ['isEmpty needs nothing', clause('userType', 'isEmpty'), null],
    ['isEmpty with a value', clause('userType', 'isEmpty', { value: 'x' }), { field: 'value', message: /^operator isEmpty takes no value$/ }],
    ['isNotEmpty with values', clause('userType', 'isNotEmpty', { values: ['x'] }), { field: 'values', message: /^operator isNotEmpty takes no values$/ }],
    ['oneOf with value instead of values', clause('userType', 'oneOf', { value: 'Contractor' }), { field: 'value', message: /oneOf takes values \(a list\), not value/ }],
    ['equals with values instead of value', clause('userType', 'equals', { values: ['Contractor'] }), { field: 'values', message: /equals takes value \(one\), not values/ }],
    ['equals with an empty value is a value', clause('userType', 'equals', { value: '' }), null],
  ])('%s', (_name, c, expected) => {
    const problem = scopeClauseProblem(c);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toEqual({ field: expected.field, message: expect.stringMatching(expected.message) as unknown as string });
  });

  it('tests a filter clause by clause and stops at the first that fails: a costly pattern after it never runs', () => {
    // (a+)+$ backtracks exponentially on a long run of "a" with no match; the clause before it leaves Employees out first.
    const costly: ScopeFilter = { name: 'contractor bots', clauses: [clause('userType', 'equals', { value: 'Contractor' }), clause('login', 'matches', { value: '(a+)+$' })] };
    const evaluator = new ScopeEvaluator(scope({ exclude: [costly] }), undefined);
    const login = `${'a'.repeat(60)}!@acme.com`;
    expect(evaluator.verdict(assignment('00u1', { profile: { userType: 'Employee', login } })).inScope).toBe(true);
  });

  it('describes clauses in words', () => {
    expect(describeClause(clause('userType', 'oneOf', { values: ['A', 'B'], ignoreCase: true }))).toBe('userType is one of ["A", "B"] (ignoring case)');
    expect(describeClause(clause('login', 'matches', { value: '^svc-', ignoreCase: true }))).toBe('login matches /^svc-/i');
    expect(describeClause(clause('userType', 'isEmpty'))).toBe('userType is empty');
  });
});
