// What the rules make of one Okta assignment (docs/rules.md#mapping to #number): the Dialpad user it should be.
import type { DialpadOffice } from '../../dialpad/types.js';
import type { OktaAssignment } from '../../okta/types.js';
import { resolveLicense } from './license-rule.js';
import { emailProblem, sendableEmail } from '../../identity/email-identity.js';
import { wantsNumber } from './number-rule.js';
import { OfficeDirectory } from './office-rule.js';
import { readAssignmentAttribute, readFirstAssignmentAttribute, readProfileValue } from './profile-attribute.js';
import type { AttributeMapping, DesiredUser, PlanWarning, Rules, SkippedUser } from '../types.js';

/** A desired user with the warnings its reading raised, or why the assignment was skipped. */
export type DesiredUserResult = { desired: DesiredUser; warnings: PlanWarning[] } | { skipped: SkippedUser };

/** Control characters, line or paragraph separators, white space other than one space, or space at either end. */
const NOT_SINGLE_LINE = /[\p{Cc}\u2028\u2029]|[^\S ]| {2}|^ | $/u;

/**
 * Dialpad's name and title fields are single-line: control characters (line breaks, tabs, NUL, ...)
 * become one space, and runs of white space collapse, so what we send is what Dialpad keeps.
 */
export function singleLine(text: string | null): string | null {
  if (text === null) return null;
  // Most values are single-line already: kept as they are, not copied.
  if (text !== '' && !NOT_SINGLE_LINE.test(text)) return text;
  const cleaned = text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned === '' ? null : cleaned;
}

/**
 * The longest first or last name dialsync sends, in characters (code points). Dialpad documents no limit
 * (no maxLength in either OpenAPI spec); 255 is the common VARCHAR(255) limit of web forms, Dialpad's
 * included as far as can be seen. A longer name is not cut (a cut name is a wrong name): the user is
 * skipped with the attribute and its length, for the admin to fix in Okta.
 */
export const DIALPAD_NAME_MAX_LENGTH = 255;

/** Why a name is too long for Dialpad, or null. */
function nameTooLong(attribute: string, name: string | null): string | null {
  // A string has at least as many UTF-16 units as characters: most names need no counting.
  if (name === null || name.length <= DIALPAD_NAME_MAX_LENGTH) return null;
  const characters = [...name];
  if (characters.length <= DIALPAD_NAME_MAX_LENGTH) return null;
  return `${attribute} is ${characters.length} characters long ("${characters.slice(0, 20).join('')}…"): Dialpad names are limited to ${DIALPAD_NAME_MAX_LENGTH} here; shorten it in Okta`;
}

/** Whether a value looks like an email. Deliberately loose: one @, something before it, a dotted domain after it, no spaces or controls. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@\p{Cc}]+@[^\s@.\p{Cc}]+(\.[^\s@.\p{Cc}]+)+$/u.test(value);
}

/** The primary email and the attribute it came from, or why there is none (a skip code and reason). */
export type EmailReading =
  | { ok: true; email: string; attribute: string }
  | { ok: false; code: 'missing_email' | 'invalid_email'; value: string | null; reason: string };

/**
 * The primary email: the first mapped attribute (login, then email by default) that holds an email, NFC and
 * without a trailing root dot (see sendableEmail); one whose domain is no valid IDNA name does not count.
 * An attribute holding something else (an Okta login that is not an email) falls through to the next,
 * so orgs with plain-name logins still sync by their email attribute.
 */
export function readDesiredEmail(assignment: OktaAssignment, mapping: Pick<AttributeMapping, 'email'>): EmailReading {
  let firstInvalid: { attribute: string; value: string; why: string } | null = null;
  for (const attribute of mapping.email) {
    const value = readAssignmentAttribute(assignment, attribute);
    if (value === null) continue;
    // `tom@example.com.` (the DNS root dot) is `tom@example.com`; NFC, so both sides spell it alike.
    const email = sendableEmail(value);
    if (!looksLikeEmail(email)) {
      firstInvalid ??= { attribute, value, why: 'is not an email address' };
      continue;
    }
    const problem = emailProblem(email);
    if (problem === null) return { ok: true, email, attribute };
    firstInvalid ??= { attribute, value, why: `is not a usable email address: ${problem}` };
  }
  if (firstInvalid !== null) {
    return {
      ok: false,
      code: 'invalid_email',
      value: firstInvalid.value,
      reason: `${firstInvalid.attribute} "${firstInvalid.value}" ${firstInvalid.why} (tried ${mapping.email.join(', ')})`,
    };
  }
  return { ok: false, code: 'missing_email', value: null, reason: `no email in ${mapping.email.join(', ')}` };
}

/**
 * The Dialpad user one Okta assignment should be (docs/rules.md#mapping to #number): email, names, title, office,
 * license and number wish, or the skip that stops it (no email, bad name, unknown license, no office). `offices` is
 * the company's offices, or for many users at once an OfficeDirectory of them built with the same rules (each office
 * is then chosen once per distinct office name and country, not once per user). Pure; does not throw.
 */
export function toDesiredUser(
  assignment: OktaAssignment,
  offices: readonly DialpadOffice[] | OfficeDirectory,
  rules: Rules,
): DesiredUserResult {
  const { mapping } = rules;
  const oktaUserId = assignment.oktaUserId;
  const skip = (email: string | null, code: SkippedUser['code'], reason: string): DesiredUserResult => ({
    skipped: { oktaUserId, email, code, reason },
  });

  const emailReading = readDesiredEmail(assignment, mapping);
  if (!emailReading.ok) return skip(emailReading.value, emailReading.code, emailReading.reason);
  const email = emailReading.email;

  const firstName = singleLine(readAssignmentAttribute(assignment, mapping.firstName));
  const lastName = singleLine(readAssignmentAttribute(assignment, mapping.lastName));
  if (firstName === null && lastName === null) {
    return skip(email, 'missing_name', `neither ${mapping.firstName} nor ${mapping.lastName} has a value`);
  }
  const tooLong = nameTooLong(mapping.firstName, firstName) ?? nameTooLong(mapping.lastName, lastName);
  if (tooLong !== null) return skip(email, 'invalid_name', tooLong);

  const licenseValue = readAssignmentAttribute(assignment, mapping.license);
  const license = resolveLicense(licenseValue, rules);
  if (!license.ok) {
    return skip(email, 'unknown_license', `${mapping.license} "${license.value}" is not a known Dialpad license`);
  }

  const country = singleLine(readAssignmentAttribute(assignment, mapping.country));
  const officeSource = readFirstAssignmentAttribute(assignment, mapping.office);
  const directory = offices instanceof OfficeDirectory ? offices : new OfficeDirectory(offices, rules);
  const choice = directory.resolve({ officeName: officeSource?.value ?? null, country });
  const warnings: PlanWarning[] = choice.warnings.map((message) => ({ oktaUserId, email, message }));
  if (choice.office === null) {
    const tried = [
      officeSource ? `${officeSource.attribute} "${officeSource.value}"` : null,
      country !== null ? `country "${country}"` : null,
    ].filter((x) => x !== null);
    const detail = choice.warnings.length > 0 ? ` (${choice.warnings.join('; ')})` : '';
    return skip(
      email,
      'no_office',
      `no active Dialpad office matches ${tried.length > 0 ? tried.join(' or ') : 'the user'} and there is no default or primary office${detail}`,
    );
  }

  // A given office or country that matched nothing: the fallback is taken, and the plan says why.
  if ((choice.rule === 'default' || choice.rule === 'primary') && (officeSource !== null || country !== null)) {
    const given = [
      officeSource ? `${officeSource.attribute} "${officeSource.value}"` : null,
      country !== null ? `country "${country}"` : null,
    ].filter((x) => x !== null);
    warnings.push({
      oktaUserId,
      email,
      message: `no active Dialpad office matches ${given.join(' or ')}: placed in the ${choice.rule === 'default' ? 'default' : 'primary'} office "${choice.office.name}"`,
    });
  }

  const writeBackProfile = rules.writeBack.target === 'user' ? assignment.profile : assignment.appProfile;
  return {
    desired: {
      oktaUserId,
      email,
      firstName: firstName ?? '',
      lastName: lastName ?? '',
      jobTitle: singleLine(readAssignmentAttribute(assignment, mapping.title)),
      officeId: choice.office.id,
      officeName: choice.office.name,
      officeRule: choice.rule,
      license: license.license,
      wantsNumber: wantsNumber(license.license, rules),
      country,
      language: singleLine(readAssignmentAttribute(assignment, mapping.language)),
      currentWriteBack: readProfileValue(writeBackProfile, rules.writeBack.attribute),
      inScope: rules.inScopeStatuses.includes(assignment.status),
      status: assignment.status,
    },
    warnings,
  };
}
