// Small builders for planner tests: every field has a plain default, tests override what they care about.
import type { DialpadNumber, DialpadOffice, DialpadUser } from '../../src/dialpad/types.js';
import type { OktaAssignment, Profile } from '../../src/okta/types.js';
import { defaultRules } from '../../src/plan/rules/default-rules.js';
import type { Action, ActionKind, Link, Plan, PlanInput, Rules, UserPlan } from '../../src/plan/types.js';

export const NY: DialpadOffice = {
  id: '5001',
  name: 'New York',
  country: 'us',
  state: 'active',
  isPrimary: true,
  phoneNumbers: ['+12125550100'],
};
export const SF: DialpadOffice = {
  id: '5002',
  name: 'San Francisco',
  country: 'us',
  state: 'active',
  isPrimary: false,
  phoneNumbers: ['+14155550100'],
};
export const BERLIN: DialpadOffice = {
  id: '6001',
  name: 'Berlin',
  country: 'de',
  state: 'active',
  isPrimary: false,
  phoneNumbers: ['+493055501000'],
};
export const OFFICES: DialpadOffice[] = [NY, SF, BERLIN];

export function office(overrides: Partial<DialpadOffice> & Pick<DialpadOffice, 'id' | 'name'>): DialpadOffice {
  return { country: 'us', state: 'active', isPrimary: false, phoneNumbers: [], ...overrides };
}

/** An ACTIVE Okta user assigned to the app; `profile` and `appProfile` are merged over the defaults. */
export function assignment(
  id: string,
  options: { status?: OktaAssignment['status']; profile?: Profile; appProfile?: Profile } = {},
): OktaAssignment {
  return {
    oktaUserId: id,
    scope: 'USER',
    appUserStatus: 'ACTIVE',
    status: options.status ?? 'ACTIVE',
    profile: {
      login: `${id}@example.com`,
      email: `${id}@example.com`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      countryCode: 'US',
      ...options.profile,
    },
    appProfile: { officeName: 'New York', ...options.appProfile },
  };
}

/** An active Dialpad user that matches `assignment(oktaId)` with the default rules. */
export function dialpadUser(id: string, email: string, overrides: Partial<DialpadUser> = {}): DialpadUser {
  return {
    id,
    emails: [email],
    firstName: 'Ada',
    lastName: 'Lovelace',
    jobTitle: null,
    officeId: NY.id,
    license: 'talk',
    state: 'active',
    phoneNumbers: ['+12125550111'],
    country: 'us',
    language: null,
    ...overrides,
  };
}

export function poolNumber(number: string, officeId: string, status = 'available'): DialpadNumber {
  return { number, status, officeId, targetId: null, targetType: null, areaCode: null };
}

export function link(oktaUserId: string, dialpadUserId: string, origin: Link['origin'] = 'created'): Link {
  return { oktaUserId, dialpadUserId, origin };
}

export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    assignments: [],
    rejectedAssignments: [],
    dialpadUsers: [],
    offices: OFFICES,
    availableNumbers: [],
    links: [],
    fates: {},
    onlyOktaUserIds: null,
    ...overrides,
  };
}

/** Default rules with some fields replaced (writeBack merged shallowly). */
export function rules(overrides: Omit<Partial<Rules>, 'writeBack'> & { writeBack?: Partial<Rules['writeBack']> } = {}): Rules {
  const base = defaultRules();
  const { writeBack, ...rest } = overrides;
  return { ...base, ...rest, writeBack: { ...base.writeBack, ...writeBack } };
}

export function kinds(user: UserPlan | undefined): ActionKind[] {
  return user?.actions.map((a) => a.kind) ?? [];
}

export function userPlanFor(plan: Plan, email: string): UserPlan | undefined {
  return plan.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
}

export function actionOf<K extends ActionKind>(user: UserPlan | undefined, kind: K): Extract<Action, { kind: K }> | undefined {
  return user?.actions.find((a): a is Extract<Action, { kind: K }> => a.kind === kind);
}
