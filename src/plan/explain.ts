// `dialsync explain EMAIL`: what the planner sees for one user and why it decides what it does.
// Pure, like the rest of plan/: it asks the planner's own rules, calculatePlan and the safety pipeline (every pass,
// with the facts a run reads), so the explanation can never disagree with what a run would do: a user a license cap,
// the seat check, a gate or quarantine would hold is explained as held, with the reason the run prints.
import type { DialpadLicense, DialpadOffice, DialpadUser } from '../dialpad/types.js';
import type { OktaAssignment } from '../okta/types.js';
import { calculatePlan } from './calculate.js';
import { theLivePrimaryHolder } from './live-dialpad-user.js';
import { readDesiredEmail, toDesiredUser } from './rules/desired-user.js';
import { emailKey } from '../identity/email-identity.js';
import { resolveLicense } from './rules/license-rule.js';
import { wantsNumber } from './rules/number-rule.js';
import { resolveOffice, type OfficeRule } from './rules/office-rule.js';
import { ScopeEvaluator } from './rules/scope-rule.js';
import { userDrift } from './rules/drift-rule.js';
import { applySafety, type SafetyFacts } from './safety/pipeline.js';
import type { Safety } from './safety/safety.js';
import {
  OKTA_BASE_PROFILE_ATTRIBUTES,
  readAssignmentAttribute,
  readFirstAssignmentAttribute,
  readProfileValue,
} from './rules/profile-attribute.js';
import type { Action, AppliedField, AttributeMapping, DriftDecision, DriftPolicy, Link, PlanInput, RelinkCause, Rules, SkippedUser } from './types.js';

/** One mapped Dialpad field and the Okta attribute its value came from. */
export interface AttributeReading {
  field: keyof AttributeMapping;
  /** The attributes tried, in order. */
  tried: string[];
  /** The attribute that gave the value, or null when none had one. */
  attribute: string | null;
  /** Which Okta profile holds it: the Okta user profile or the app-user profile. */
  profile: 'user' | 'appUser' | null;
  value: string | null;
}

/** The Dialpad user `explain` found for the email, as Dialpad lists it (ids as strings, numbers E.164). */
export interface ExplainedDialpadUser {
  id: string;
  /** How dialsync found it: through its link, or by the primary email (would be adopted). */
  /** How it was found: by the link, by its primary email (an assigned user's, not linked yet), or unmanaged. */
  matchedBy: 'link' | 'email' | 'unmanaged';
  emails: string[];
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  state: string;
  officeId: string | null;
  officeName: string | null;
  license: string | null;
  phoneNumbers: string[];
}

/**
 * What `dialsync explain EMAIL` prints: each side as read, how every mapped field was derived (office, license,
 * number: docs/rules.md#office, #license, #number), and what the next run would do. Null parts: nothing to say.
 */
export interface Explanation {
  /** The email asked about. */
  email: string;
  oktaUserId: string | null;
  /** null: the user is not assigned to the app (or no longer exists in Okta). */
  okta: null | {
    status: string;
    /** In scope by its status (scope.statuses); what scoping groups and filters decide is `scope`. */
    inScope: boolean;
    scope: 'USER' | 'GROUP';
    appUserStatus: string;
    attributes: AttributeReading[];
    writeBack: { attribute: string; target: Rules['writeBack']['target']; value: string | null };
  };
  link: Link | null;
  /**
   * Scoping (scope.groups, scope.include, scope.exclude): whether it keeps the assigned user in, and the group or
   * clause that decided. null: no scoping is set, or the user is not assigned.
   */
  scope: null | { inScope: boolean; reason: string };
  /** A re-hire: the next run takes over this Dialpad user's link from the previous Okta account (see rules/relink-rule.ts). */
  relink: null | { dialpadUserId: string; previousOktaUserId: string; cause: RelinkCause; reason: string };
  dialpad: ExplainedDialpadUser | null;
  office: null | {
    officeId: string | null;
    officeName: string | null;
    rule: OfficeRule | null;
    /** The office attribute that was read, and the country. */
    attribute: string | null;
    value: string | null;
    country: string | null;
    explanation: string;
    warnings: string[];
  };
  license: null | {
    license: DialpadLicense | null;
    source: 'default' | 'alias' | 'api-name' | 'unknown';
    attribute: string;
    value: string | null;
    explanation: string;
  };
  number: null | {
    kind: 'has' | 'pool' | 'area-code' | 'auto' | 'none' | 'pending';
    number: string | null;
    areaCode: string | null;
    explanation: string;
  };
  /**
   * Each field the drift policies watch on the user's Dialpad user (docs: README, Drift): the last applied value
   * (null: none recorded), Okta's and Dialpad's values now, the policy, and the decision (`in_step`: the sides agree).
   * Null when there is no in-scope Okta user and Dialpad user to compare.
   */
  drift: null | ExplainedDrift[];
  next: {
    actions: Action[];
    skipped: SkippedUser[];
    withheld: { kind: string; reason: string }[];
    warnings: string[];
    summary: string;
  };
}

/** One field of `Explanation.drift`; office values are office ids, named in `officeNames`. */
export interface ExplainedDrift {
  field: AppliedField;
  policy: DriftPolicy;
  okta: string | null;
  dialpad: string | null;
  applied: string | null;
  /** The drift rule's decision; `in_step`: the sides agree. */
  decision: DriftDecision | 'in_step';
  /** The office field only: the name of each office id of okta, dialpad and applied (null: no id, or no such office). */
  officeNames?: { okta: string | null; dialpad: string | null; applied: string | null };
}

/** The safety settings and the facts read for this user's run (reconcile/read-safety-facts.ts), as a run passes them to applySafety. */
export interface ExplainSafety {
  settings: Safety;
  facts: SafetyFacts;
}

/**
 * Explains one user: `input` is what a run limited to that user (`reconcile --user EMAIL`) reads, `email` the
 * address asked about (matched by email identity). The plan is the planner's, through the same safety pipeline a
 * run applies. Throws nothing; a user neither side knows is explained as "nothing to do".
 */
export function explainUser(input: PlanInput, rules: Rules, email: string, safety: ExplainSafety): Explanation {
  const oktaUserId = input.onlyOktaUserIds?.[0] ?? null;
  const assignment = oktaUserId === null ? undefined : input.assignments.find((a) => a.oktaUserId === oktaUserId);
  const link = oktaUserId === null ? null : (input.links.find((l) => l.oktaUserId === oktaUserId) ?? null);
  const officeNames = new Map(input.offices.map((o) => [o.id, o.name]));

  const { plan } = applySafety(calculatePlan(input, rules), safety.facts, safety.settings);
  const wantedKey = emailKey(email);
  const concerns = (id: string | null, mail: string | null): boolean =>
    (oktaUserId !== null && id === oktaUserId) || (mail !== null && emailKey(mail) === wantedKey);
  const userPlan =
    plan.users.find((u) => concerns(u.oktaUserId, null)) ??
    plan.users.find((u) => link !== null && u.dialpadUserId === link.dialpadUserId) ??
    plan.users.find((u) => concerns(null, u.email));
  const actions = userPlan?.actions ?? [];
  const skipped = plan.skipped.filter((s) => concerns(s.oktaUserId, s.email));
  const withheld = plan.withheld.filter((w) => emailKey(w.email) === wantedKey).map(({ kind, reason }) => ({ kind, reason }));
  const warnings = plan.warnings.filter((w) => concerns(w.oktaUserId, w.email)).map((w) => w.message);

  const dialpadUser = findDialpadUser(input, link, assignment, rules, userPlan?.dialpadUserId ?? null);
  const dialpad: ExplainedDialpadUser | null = dialpadUser
    ? {
        ...dialpadUser.user,
        matchedBy: dialpadUser.matchedBy,
        officeName: dialpadUser.user.officeId === null ? null : (officeNames.get(dialpadUser.user.officeId) ?? null),
      }
    : null;

  const license = assignment ? explainLicense(assignment, rules) : null;
  const relinkAction = actions.find((a): a is Extract<Action, { kind: 'relink' }> => a.kind === 'relink');
  return {
    email,
    oktaUserId,
    okta: assignment ? explainOkta(assignment, rules) : null,
    link,
    scope: explainScope(assignment, input, rules),
    relink: relinkAction
      ? { dialpadUserId: relinkAction.dialpadUserId, previousOktaUserId: relinkAction.previousOktaUserId, cause: relinkAction.cause, reason: relinkAction.reason }
      : null,
    dialpad,
    office: assignment ? explainOffice(assignment, input, rules) : null,
    license,
    number: explainNumber(license?.license ?? null, actions, dialpad, rules),
    drift: assignment && dialpadUser ? explainDrift(assignment, dialpadUser.user, input, rules) : null,
    next: { actions, skipped, withheld, warnings, summary: summarize(actions, skipped, withheld, assignment !== undefined, dialpad) },
  };
}

/**
 * One value of an explained drift field as a person reads it: `(empty)` for none, an office by name with its id
 * (`"London" (5100…)`, the bare id when no office has it), any other value quoted.
 */
export function driftValueText(drift: ExplainedDrift, side: 'okta' | 'dialpad' | 'applied'): string {
  const value = drift[side];
  if (value === null || value === '') return '(empty)';
  if (drift.field !== 'office') return `"${value}"`;
  const name = drift.officeNames?.[side] ?? null;
  return name === null ? value : `"${name}" (${value})`;
}

function explainScope(assignment: OktaAssignment | undefined, input: PlanInput, rules: Rules): Explanation['scope'] {
  if (assignment === undefined) return null;
  const scoping = new ScopeEvaluator(rules.scope, input.scopeGroups);
  return scoping.isActive ? scoping.verdict(assignment) : null;
}

/** The drift rule's reading of each field (rules/drift-rule.ts), as the planner reads it; null when the user is not planned as in scope. */
function explainDrift(assignment: OktaAssignment, user: DialpadUser, input: PlanInput, rules: Rules): ExplainedDrift[] | null {
  if (!rules.inScopeStatuses.includes(assignment.status)) return null;
  // Left out by scoping: its Dialpad user is not brought in line, so there is no drift decision to show.
  if (explainScope(assignment, input, rules)?.inScope === false) return null;
  const result = toDesiredUser(assignment, input.offices, rules);
  if (!('desired' in result)) return null;
  const name = (id: string | null): string | null => (id === null ? null : (input.offices.find((o) => o.id === id)?.name ?? null));
  return userDrift(result.desired, user, input.appliedValues?.get(user.id), rules.drift).map(({ field, policy, okta, dialpad, applied, verdict }) => ({
    field,
    policy,
    okta,
    dialpad,
    applied,
    decision: verdict.decision ?? 'in_step',
    ...(field === 'office' ? { officeNames: { okta: name(okta), dialpad: name(dialpad), applied: name(applied) } } : {}),
  }));
}

function profileHolding(assignment: OktaAssignment, attribute: string): 'user' | 'appUser' {
  // The same order readAssignmentAttribute uses: base attributes live on the user profile only.
  if (OKTA_BASE_PROFILE_ATTRIBUTES.has(attribute)) return 'user';
  return readProfileValue(assignment.appProfile, attribute) !== null ? 'appUser' : 'user';
}

function reading(assignment: OktaAssignment, field: keyof AttributeMapping, tried: string[]): AttributeReading {
  const found =
    field === 'email'
      ? (() => {
          const email = readDesiredEmail(assignment, { email: tried });
          return email.ok ? { attribute: email.attribute, value: email.email } : readFirstAssignmentAttribute(assignment, tried);
        })()
      : readFirstAssignmentAttribute(assignment, tried);
  return {
    field,
    tried,
    attribute: found?.attribute ?? null,
    profile: found ? profileHolding(assignment, found.attribute) : null,
    value: found?.value ?? null,
  };
}

function explainOkta(assignment: OktaAssignment, rules: Rules): NonNullable<Explanation['okta']> {
  const { mapping } = rules;
  const fields: [keyof AttributeMapping, string[]][] = [
    ['email', mapping.email],
    ['firstName', [mapping.firstName]],
    ['lastName', [mapping.lastName]],
    ['title', [mapping.title]],
    ['office', mapping.office],
    ['country', [mapping.country]],
    ['language', [mapping.language]],
    ['license', [mapping.license]],
  ];
  const writeBackProfile = rules.writeBack.target === 'user' ? assignment.profile : assignment.appProfile;
  return {
    status: assignment.status,
    inScope: rules.inScopeStatuses.includes(assignment.status),
    scope: assignment.scope,
    appUserStatus: assignment.appUserStatus,
    attributes: fields.map(([field, tried]) => reading(assignment, field, tried)),
    writeBack: {
      attribute: rules.writeBack.attribute,
      target: rules.writeBack.target,
      value: readProfileValue(writeBackProfile, rules.writeBack.attribute),
    },
  };
}

/** The Dialpad user the plan works on: the linked one, else the one holding the primary email. */
function findDialpadUser(
  input: PlanInput,
  link: Link | null,
  assignment: OktaAssignment | undefined,
  rules: Rules,
  plannedId: string | null,
): { user: DialpadUser; matchedBy: 'link' | 'email' } | null {
  const byId = (id: string): DialpadUser | undefined => input.dialpadUsers.find((u) => u.id === id);
  const linked = link ? byId(link.dialpadUserId) : undefined;
  if (linked) return { user: linked, matchedBy: 'link' };
  const planned = plannedId === null ? undefined : byId(plannedId);
  if (planned) return { user: planned, matchedBy: 'email' };
  if (!assignment) return null;
  const email = readDesiredEmail(assignment, rules.mapping);
  if (!email.ok) return null;
  const match = theLivePrimaryHolder(input.dialpadUsers, email.email);
  return match ? { user: match, matchedBy: 'email' } : null;
}

function explainOffice(assignment: OktaAssignment, input: PlanInput, rules: Rules): NonNullable<Explanation['office']> {
  const { mapping } = rules;
  const source = readFirstAssignmentAttribute(assignment, mapping.office);
  const desired = toDesiredUser(assignment, input.offices, rules);
  const country = 'desired' in desired ? desired.desired.country : readAssignmentAttribute(assignment, mapping.country);
  const choice = resolveOffice({ officeName: source?.value ?? null, country }, input.offices, rules);
  const named = source ? `${source.attribute} "${source.value}"` : `none of ${mapping.office.join(', ')} is set`;
  const notByName = source ? `${named} is not the exact name of an active office` : named;
  const countryText = country === null ? `${mapping.country} is not set` : `country "${country}"`;
  let explanation: string;
  switch (choice.rule) {
    case 'name':
      explanation = `${named} is the exact name of an active office`;
      break;
    case 'country':
      explanation = `${notByName}; ${countryText} has exactly one active office`;
      break;
    case 'country-configured':
      explanation = `${notByName}; ${countryText} has several offices and offices.byCountry names "${choice.office.name}"`;
      break;
    case 'country-primary':
      explanation = `${notByName}; ${countryText} has several offices and the company's primary office is one of them`;
      break;
    case 'country-lowest-id':
      explanation = `${notByName}; ${countryText} has several offices, none configured in offices.byCountry nor primary: the lowest id`;
      break;
    case 'default':
      explanation = `${notByName}; ${countryText} decides nothing: the configured default office (offices.default)`;
      break;
    case 'primary':
      explanation = `${notByName}; ${countryText} decides nothing and no default office is configured: the company's primary office`;
      break;
    case null:
      explanation = `${notByName}; ${countryText} decides nothing, and there is no default or primary office: the user cannot be placed`;
      break;
  }
  return {
    officeId: choice.office?.id ?? null,
    officeName: choice.office?.name ?? null,
    rule: choice.rule,
    attribute: source?.attribute ?? null,
    value: source?.value ?? null,
    country,
    explanation,
    warnings: [...choice.warnings],
  };
}

function explainLicense(assignment: OktaAssignment, rules: Rules): NonNullable<Explanation['license']> {
  const attribute = rules.mapping.license;
  const value = readAssignmentAttribute(assignment, attribute);
  const choice = resolveLicense(value, rules);
  if (!choice.ok) {
    return { license: null, source: 'unknown', attribute, value, explanation: `${attribute} "${choice.value}" is not a known Dialpad license: the user is not created` };
  }
  const explanation =
    choice.source === 'default'
      ? `${attribute} is empty: the default license (licenses.default)`
      : choice.source === 'alias'
        ? `${attribute} "${value}" is an alias of ${choice.license}`
        : `${attribute} "${value}" is a Dialpad license name`;
  return { license: choice.license, source: choice.source, attribute, value, explanation };
}

function explainNumber(
  license: DialpadLicense | null,
  actions: readonly Action[],
  dialpad: ExplainedDialpadUser | null,
  rules: Rules,
): Explanation['number'] {
  if (license !== null && !wantsNumber(license, rules)) {
    return { kind: 'none', number: null, areaCode: null, explanation: `license ${license} gets no number (licenses.withoutNumber)` };
  }
  for (const action of actions) {
    if (action.kind === 'assign_number') {
      const kind = action.number !== null ? 'pool' : action.areaCode !== null ? 'area-code' : 'auto';
      return { kind, number: action.number, areaCode: action.areaCode, explanation: action.reason };
    }
    if (action.kind === 'create' && action.autoAssign) {
      return { kind: 'auto', number: null, areaCode: null, explanation: 'Dialpad assigns a number of the office when it creates the user (auto_assign)' };
    }
  }
  const current = dialpad?.phoneNumbers[0];
  if (current !== undefined) return { kind: 'has', number: current, areaCode: null, explanation: `the Dialpad user already has ${current}` };
  if (license === null) return null;
  return { kind: 'pending', number: null, areaCode: null, explanation: 'no number yet, and the next run plans none (see what it would do)' };
}

function summarize(
  actions: readonly Action[],
  skipped: readonly SkippedUser[],
  withheld: readonly { kind: string; reason: string }[],
  assigned: boolean,
  dialpad: ExplainedDialpadUser | null,
): string {
  const held = `hold back ${withheld.map((w) => w.kind.replace('_', ' ')).join(', ')} (${withheld.map((w) => w.reason).join('; ')})`;
  // A license change held by the caps or the seat check leaves the user's other actions: both are said.
  if (actions.length > 0) return `the next run would ${actions.map((a) => a.kind.replace('_', ' ')).join(', then ')}${withheld.length > 0 ? `, and ${held}` : ''}`;
  if (skipped.length > 0) return `the next run would skip the user: ${skipped.map((s) => s.reason).join('; ')}`;
  if (withheld.length > 0) return `the next run would ${held} and change nothing else`;
  if (!assigned && dialpad === null) return 'not assigned to the app and no Dialpad user: nothing to do';
  if (!assigned) return 'not assigned to the app: nothing more to do';
  return 'in step: the next run would change nothing';
}

/**
 * Explains an email that no Okta user and no link knows but a live Dialpad user holds as its primary email: an
 * unmanaged Dialpad user, which a run lists under "Unmanaged Dialpad users, left alone" and never changes
 * (docs/rules.md#ownership). `dialpadUsers` are the users Dialpad holds that email for (any state); null when no
 * single live one holds it as its primary email (the caller then reports no such user). Pure; throws nothing.
 */
export function explainUnmanaged(email: string, dialpadUsers: readonly DialpadUser[], offices: readonly DialpadOffice[]): Explanation | null {
  const user = theLivePrimaryHolder(dialpadUsers, email);
  if (user === null) return null;
  const officeName = user.officeId === null ? null : (offices.find((o) => o.id === user.officeId)?.name ?? null);
  return {
    email,
    oktaUserId: null,
    okta: null,
    link: null,
    scope: null,
    relink: null,
    dialpad: { ...user, matchedBy: 'unmanaged', officeName },
    office: null,
    license: null,
    number: null,
    drift: null,
    next: {
      actions: [],
      skipped: [],
      withheld: [],
      warnings: [],
      summary: 'unmanaged: no Okta user assigned to the app has this email and dialsync has no link to this Dialpad user, so runs list it as unmanaged and never change it (assign its owner in Okta for dialsync to adopt it)',
    },
  };
}
