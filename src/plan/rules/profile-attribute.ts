// Reading one mapped attribute of an assignment. Okta keeps its base profile attributes on the user
// profile; anything else may be an app-user attribute (officeName, licenseType, ...) or a custom
// user attribute, so the app-user profile is asked first and the user profile second.
import { OKTA_BASE_PROFILE_ATTRIBUTES, type OktaAssignment, type Profile, type ProfileValue } from '../../okta/types.js';
import type { Rules } from '../types.js';

/** The attributes of Okta's base user profile schema: these live on the user profile only. */
export { OKTA_BASE_PROFILE_ATTRIBUTES };

/** A profile value as text: trimmed, empty → null, numbers and booleans stringified. */
export function profileValueText(value: ProfileValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** One attribute of one profile (used for the write-back attribute, whose profile is configured). */
export function readProfileValue(profile: Profile, name: string): string | null {
  // Own properties only: a profile is data from the wire, never a prototype lookup ('constructor', ...).
  return Object.hasOwn(profile, name) ? profileValueText(profile[name]) : null;
}

/** The value of an attribute for an assignment, from the profile where Okta keeps it. */
export function readAssignmentAttribute(assignment: OktaAssignment, name: string): string | null {
  if (OKTA_BASE_PROFILE_ATTRIBUTES.has(name)) return readProfileValue(assignment.profile, name);
  return readProfileValue(assignment.appProfile, name) ?? readProfileValue(assignment.profile, name);
}

/** The first of several attributes that has a value, with the attribute it came from. */
export function readFirstAssignmentAttribute(
  assignment: OktaAssignment,
  names: readonly string[],
): { attribute: string; value: string } | null {
  for (const attribute of names) {
    const value = readAssignmentAttribute(assignment, attribute);
    if (value !== null) return { attribute, value };
  }
  return null;
}

/**
 * Every profile attribute the rules read: the mapping, the write-back attribute (its current value decides
 * whether a write is needed), the attributes of the scoping filters, plus `login`, by which a user is named in
 * reports. The read step keeps these only.
 */
export function attributesReadBy(rules: Pick<Rules, 'mapping' | 'writeBack'> & Partial<Pick<Rules, 'scope'>>): string[] {
  const { mapping } = rules;
  const names = [
    'login',
    ...mapping.email,
    mapping.firstName,
    mapping.lastName,
    mapping.title,
    ...mapping.office,
    mapping.country,
    mapping.language,
    mapping.license,
    rules.writeBack.attribute,
    // Without them a filter on, say, userType would see every user's userType as empty.
    ...[...(rules.scope?.include ?? []), ...(rules.scope?.exclude ?? [])].flatMap((filter) => filter.clauses.map((clause) => clause.attribute)),
  ];
  return [...new Set(names)];
}
