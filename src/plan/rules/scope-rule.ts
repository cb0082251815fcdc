// Scoping (docs: README, Scoping): which assigned Okta users in an in-scope status dialsync provisions. The
// semantics are those of Entra's scoping filters: the clauses of a filter are AND-ed, filters are OR-ed. A user is in
// scope when it is a member of one of scope.groups (when any are listed), matches one of scope.include (when any are
// given), and matches none of scope.exclude. Attributes are read the way the mapping reads them: custom ones from
// the app-user profile first, base ones from the user profile (profile-attribute.ts).
//
// Worked example: scope.groups [Dialpad pilot] (00g1), scope.exclude [{name: contractors, clauses: [{attribute:
// userType, operator: equals, value: Contractor}]}]. Ann (member of 00g1, userType Employee) is in; Bob (member,
// userType Contractor) is out: 'excluded by scope.exclude "contractors": userType equals "Contractor"'; Cy (userType
// Employee, not a member) is out: 'not a member of scope.groups "Dialpad pilot"' (several groups: "A" or "B").
import type { OktaAssignment } from '../../okta/types.js';
import type { ScopeClause, ScopeFilter, ScopeGroupMembership, ScopeRules } from '../types.js';
import { readAssignmentAttribute } from './profile-attribute.js';

/** Whether scoping keeps an assigned user in, and why in words (the groups and filters that decided). */
export interface ScopeVerdict {
  inScope: boolean;
  reason: string;
}

/** A clause with its regular expression compiled once. */
interface CompiledClause {
  clause: ScopeClause;
  test: (value: string | null) => boolean;
}

interface CompiledFilter {
  label: string;
  clauses: CompiledClause[];
}

/** The operators that compare with `value` (matches takes it as a regular expression). */
const VALUE_OPERATORS: ReadonlySet<ScopeClause['operator']> = new Set(['equals', 'notEquals', 'startsWith', 'endsWith', 'matches']);

/**
 * What is wrong with one clause as written, or null: a `value` or `values` the operator does not take (isEmpty and
 * isNotEmpty take neither, oneOf takes `values`, the others `value`), a missing `value` for an operator that needs
 * one, an empty `values` for oneOf, a regular expression that does not compile. `field` is the clause's key to fix.
 */
export function scopeClauseProblem(clause: ScopeClause): { field: 'value' | 'values'; message: string } | null {
  const takesValue = VALUE_OPERATORS.has(clause.operator);
  const takesValues = clause.operator === 'oneOf';
  if (!takesValue && clause.value !== undefined) {
    return { field: 'value', message: takesValues ? 'operator oneOf takes values (a list), not value' : `operator ${clause.operator} takes no value` };
  }
  if (!takesValues && clause.values !== undefined) {
    return { field: 'values', message: takesValue ? `operator ${clause.operator} takes value (one), not values` : `operator ${clause.operator} takes no values` };
  }
  if (takesValue && clause.value === undefined) {
    return { field: 'value', message: `operator ${clause.operator} needs a value` };
  }
  if (takesValues && (clause.values === undefined || clause.values.length === 0)) {
    return { field: 'values', message: 'operator oneOf needs a non-empty list of values' };
  }
  if (clause.operator === 'matches' && clause.value !== undefined) {
    try {
      new RegExp(clause.value, clause.ignoreCase ? 'i' : '');
    } catch (error) {
      return { field: 'value', message: `is not a valid regular expression: ${(error as Error).message}` };
    }
  }
  return null;
}

/** A clause in words, as the plan and explain show it: `userType equals "Contractor"`. */
export function describeClause(clause: ScopeClause): string {
  const quoted = (text: string): string => JSON.stringify(text);
  const caseNote = clause.ignoreCase ? ' (ignoring case)' : '';
  switch (clause.operator) {
    case 'isEmpty':
      return `${clause.attribute} is empty`;
    case 'isNotEmpty':
      return `${clause.attribute} is not empty`;
    case 'oneOf':
      return `${clause.attribute} is one of [${(clause.values ?? []).map(quoted).join(', ')}]${caseNote}`;
    case 'matches':
      return `${clause.attribute} matches /${clause.value ?? ''}/${clause.ignoreCase ? 'i' : ''}`;
    default:
      return `${clause.attribute} ${clause.operator} ${quoted(clause.value ?? '')}${caseNote}`;
  }
}

function compileClause(clause: ScopeClause): CompiledClause {
  const fold = (text: string): string => (clause.ignoreCase ? text.toLowerCase() : text);
  const value = fold(clause.value ?? '');
  switch (clause.operator) {
    case 'equals':
      return { clause, test: (v) => v !== null && fold(v) === value };
    // An absent attribute is not equal to the value.
    case 'notEquals':
      return { clause, test: (v) => v === null || fold(v) !== value };
    case 'oneOf': {
      const values = new Set((clause.values ?? []).map(fold));
      return { clause, test: (v) => v !== null && values.has(fold(v)) };
    }
    case 'startsWith':
      return { clause, test: (v) => v !== null && fold(v).startsWith(value) };
    case 'endsWith':
      return { clause, test: (v) => v !== null && fold(v).endsWith(value) };
    // Unanchored, as Entra's REGEX MATCH: anchor with ^ and $ to test the whole value.
    case 'matches': {
      const pattern = new RegExp(clause.value ?? '', clause.ignoreCase ? 'i' : '');
      return { clause, test: (v) => v !== null && pattern.test(v) };
    }
    case 'isEmpty':
      return { clause, test: (v) => v === null };
    case 'isNotEmpty':
      return { clause, test: (v) => v !== null };
  }
}

function compileFilters(filters: readonly ScopeFilter[], key: 'include' | 'exclude'): CompiledFilter[] {
  return filters.map((filter, position) => ({
    label: filter.name === undefined ? `scope.${key}[${position}]` : `scope.${key} ${JSON.stringify(filter.name)}`,
    clauses: filter.clauses.map(compileClause),
  }));
}

/**
 * Decides scoping for assignments, with the regular expressions compiled once. Built from `Rules.scope` and the
 * scoping groups' members as the read step found them (PlanInput.scopeGroups). Pure.
 * @throws Error when scope.groups is not empty but no membership was read (a read step that skipped it: a bug),
 * or when a clause's regular expression does not compile (the config check refuses such a file first).
 */
export class ScopeEvaluator {
  private readonly include: CompiledFilter[];
  private readonly exclude: CompiledFilter[];
  private readonly groups: { id: string; name: string; members: ReadonlySet<string> }[];

  constructor(
    private readonly rules: ScopeRules,
    membership: ScopeGroupMembership | undefined,
  ) {
    this.include = compileFilters(rules.include, 'include');
    this.exclude = compileFilters(rules.exclude, 'exclude');
    if (rules.groups.length > 0 && membership === undefined) {
      throw new Error('scope.groups is set but the scoping groups were not read');
    }
    this.groups = rules.groups.length === 0 ? [] : (membership?.groups ?? []).map((group) => ({ ...group, members: membership?.members.get(group.id) ?? new Set<string>() }));
  }

  /** Whether any scoping (groups or filters) is configured: without it every assignment is in scope. */
  get isActive(): boolean {
    return this.rules.groups.length > 0 || this.include.length > 0 || this.exclude.length > 0;
  }

  /**
   * The verdict for one assignment: groups (any listed group; AND) include filters (any one; AND) no exclude filter.
   * The reason names the group or the filter and clauses that decided.
   */
  verdict(assignment: OktaAssignment): ScopeVerdict {
    const reasons: string[] = [];
    if (this.groups.length > 0) {
      const member = this.groups.find((group) => group.members.has(assignment.oktaUserId));
      if (member === undefined) {
        return { inScope: false, reason: `not a member of scope.groups ${this.groups.map((group) => JSON.stringify(group.name)).join(' or ')}` };
      }
      reasons.push(`member of scope.groups ${JSON.stringify(member.name)}`);
    }
    if (this.include.length > 0) {
      const matched = this.include.find((filter) => this.matches(filter, assignment));
      if (matched === undefined) {
        return { inScope: false, reason: `matches no scope.include filter (${this.include.map((filter) => this.failedClause(filter, assignment)).join('; ')})` };
      }
      reasons.push(`included by ${matched.label}: ${matched.clauses.map((c) => describeClause(c.clause)).join(' and ')}`);
    }
    const excluded = this.exclude.find((filter) => this.matches(filter, assignment));
    if (excluded !== undefined) {
      return { inScope: false, reason: `excluded by ${excluded.label}: ${excluded.clauses.map((c) => describeClause(c.clause)).join(' and ')}` };
    }
    if (this.exclude.length > 0) reasons.push('matches no scope.exclude filter');
    return { inScope: true, reason: reasons.length === 0 ? 'no scoping groups or filters are set' : reasons.join('; ') };
  }

  private matches(filter: CompiledFilter, assignment: OktaAssignment): boolean {
    return filter.clauses.every((c) => c.test(readAssignmentAttribute(assignment, c.clause.attribute)));
  }

  /** The first clause of a filter that does not hold, in words: why the filter did not match. */
  private failedClause(filter: CompiledFilter, assignment: OktaAssignment): string {
    const failed = filter.clauses.find((c) => !c.test(readAssignmentAttribute(assignment, c.clause.attribute)));
    return failed === undefined ? filter.label : `${filter.label}: not ${describeClause(failed.clause)}`;
  }
}

/** The reason of a verdict that leaves a user out, or null when it keeps the user in. */
export function scopedOutReason(verdict: ScopeVerdict): string | null {
  return verdict.inScope ? null : verdict.reason;
}
