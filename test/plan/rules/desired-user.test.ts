import { describe, expect, it } from 'vitest';
import { DIALPAD_NAME_MAX_LENGTH, looksLikeEmail, singleLine, toDesiredUser } from '../../../src/plan/rules/desired-user.js';
import type { Profile } from '../../../src/okta/types.js';
import type { DesiredUser, SkipCode } from '../../../src/plan/types.js';
import { BERLIN, NY, OFFICES, SF, assignment, rules } from '../fixtures.js';

function desiredOf(result: ReturnType<typeof toDesiredUser>): DesiredUser {
  if ('skipped' in result) throw new Error(`skipped: ${result.skipped.reason}`);
  return result.desired;
}

describe('singleLine', () => {
  it.each([
    ['Ada', 'Ada'],
    ['  Ada  ', 'Ada'],
    ['Ada\nLovelace', 'Ada Lovelace'],
    ['Ada\r\n\tLovelace', 'Ada Lovelace'],
    ['Ada\u0000Lovelace\u0007', 'Ada Lovelace'],
    ['Ada\u2028King', 'Ada King'],
    ['\n\t', null],
    [null, null],
  ])('%j → %j', (value, expected) => {
    expect(singleLine(value)).toBe(expected);
  });
});

describe('looksLikeEmail', () => {
  it.each([
    ['ada@example.com', true],
    ['Ada.Lovelace+x@mail.example.co.uk', true],
    ['ada', false],
    ['ada@localhost', false],
    ['ada@@example.com', false],
    ['ada @example.com', false],
    ['ada@example..com', false],
    ['ada@example.com\n', false],
  ])('%j → %s', (value, expected) => {
    expect(looksLikeEmail(value)).toBe(expected);
  });
});

describe('toDesiredUser: attribute mapping', () => {
  it('maps the default attributes', () => {
    const a = assignment('00u1', {
      profile: {
        login: 'Ada.Lovelace@Example.com',
        email: 'other@example.com',
        firstName: ' Ada ',
        lastName: 'Lovelace',
        title: 'Analyst',
        countryCode: 'us',
        preferredLanguage: 'en-US',
        dialpadPhone: '+12125550111',
      },
      appProfile: { officeName: 'San Francisco', licenseType: 'Dialpad_Ai Sales', dialpadPhone: '+19999999999' },
    });
    const result = toDesiredUser(a, OFFICES, rules());
    expect(result).toEqual({
      desired: {
        oktaUserId: '00u1',
        email: 'Ada.Lovelace@Example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        jobTitle: 'Analyst',
        officeId: SF.id,
        officeName: 'San Francisco',
        officeRule: 'name',
        license: 'agents',
        wantsNumber: true,
        country: 'us',
        language: 'en-US',
        currentWriteBack: '+12125550111',
        inScope: true,
        status: 'ACTIVE',
      },
      warnings: [],
    });
  });

  it.each<[string, Profile, string]>([
    ['login first', { login: 'a@example.com', email: 'b@example.com' }, 'a@example.com'],
    ['email when login is empty', { login: '', email: 'b@example.com' }, 'b@example.com'],
    ['email when login is not an email', { login: 'ada', email: 'b@example.com' }, 'b@example.com'],
  ])('email: %s', (_label, profile, email) => {
    expect(desiredOf(toDesiredUser(assignment('u', { profile }), OFFICES, rules())).email).toBe(email);
  });

  it('follows a configured mapping', () => {
    const r = rules({
      mapping: {
        ...rules().mapping,
        email: ['workEmail'],
        firstName: 'givenName',
        office: ['site'],
        license: 'seat',
      },
    });
    const a = assignment('u', {
      profile: { login: 'x@example.com' },
      appProfile: { workEmail: 'w@example.com', givenName: 'Grace', site: 'Berlin', seat: 'dialpad_support' },
    });
    const d = desiredOf(toDesiredUser(a, OFFICES, r));
    expect(d).toMatchObject({ email: 'w@example.com', firstName: 'Grace', officeId: BERLIN.id, license: 'lite_support_agents' });
  });

  it('strips control characters from names and the title', () => {
    const a = assignment('u', { profile: { firstName: 'Ada\n', lastName: 'Love\tlace', title: 'Head of\r\nR&D' } });
    expect(desiredOf(toDesiredUser(a, OFFICES, rules()))).toMatchObject({
      firstName: 'Ada',
      lastName: 'Love lace',
      jobTitle: 'Head of R&D',
    });
  });

  it('keeps a user with only one name, the other empty', () => {
    const a = assignment('u', { profile: { firstName: null, lastName: 'Hopper' } });
    expect(desiredOf(toDesiredUser(a, OFFICES, rules()))).toMatchObject({ firstName: '', lastName: 'Hopper' });
  });

  it.each([
    ['user', '+1111'],
    ['appUser', '+2222'],
  ] as const)('reads the write-back value from the %s profile', (target, value) => {
    const a = assignment('u', { profile: { dialpadPhone: '+1111' }, appProfile: { dialpadPhone: '+2222' } });
    expect(desiredOf(toDesiredUser(a, OFFICES, rules({ writeBack: { target } }))).currentWriteBack).toBe(value);
  });

  it.each([
    ['ACTIVE', true],
    ['PASSWORD_EXPIRED', true],
    ['LOCKED_OUT', true],
    ['RECOVERY', true],
    ['SUSPENDED', false],
    ['STAGED', false],
    ['PROVISIONED', false],
    ['DEPROVISIONED', false],
  ] as const)('status %s → inScope %s', (status, inScope) => {
    expect(desiredOf(toDesiredUser(assignment('u', { status }), OFFICES, rules())).inScope).toBe(inScope);
  });

  it('license: missing → default, Contact Center → no number', () => {
    expect(desiredOf(toDesiredUser(assignment('u'), OFFICES, rules()))).toMatchObject({ license: 'talk', wantsNumber: true });
    const cc = assignment('u', { appProfile: { licenseType: 'Dialpad_Support' } });
    expect(desiredOf(toDesiredUser(cc, OFFICES, rules()))).toMatchObject({ license: 'lite_support_agents', wantsNumber: false });
  });

  it('office near miss: falls through and reports a warning', () => {
    const a = assignment('u', { profile: { countryCode: 'DE' }, appProfile: { officeName: 'new york' } });
    const result = toDesiredUser(a, OFFICES, rules());
    expect('desired' in result && result.desired.officeId).toBe(BERLIN.id);
    expect('desired' in result && result.warnings.map((w) => w.message).join()).toContain('"New York"');
  });
});

describe('toDesiredUser: skipped', () => {
  it.each<[string, Profile, Profile, SkipCode, string]>([
    ['no email at all', { login: null, email: '' }, {}, 'missing_email', 'no email'],
    ['no valid email', { login: 'ada', email: 'not an email' }, {}, 'invalid_email', '"ada"'],
    ['no name', { firstName: ' ', lastName: null }, {}, 'missing_name', 'firstName'],
    ['unknown license', {}, { licenseType: 'Dialpad_Premium' }, 'unknown_license', '"Dialpad_Premium"'],
  ])('%s → %s', (_label, profile, appProfile, code, inReason) => {
    const result = toDesiredUser(assignment('u', { profile, appProfile }), OFFICES, rules());
    expect('skipped' in result && result.skipped.code).toBe(code);
    expect('skipped' in result && result.skipped.reason).toContain(inReason);
    expect('skipped' in result && result.skipped.oktaUserId).toBe('u');
  });

  it('no office → no_office, naming what was tried', () => {
    const result = toDesiredUser(assignment('u', { profile: { countryCode: 'JP' }, appProfile: { officeName: 'Tokyo' } }), [SF], rules());
    expect('skipped' in result && result.skipped.code).toBe('no_office');
    expect('skipped' in result && result.skipped.reason).toContain('"Tokyo"');
    expect('skipped' in result && result.skipped.reason).toContain('"JP"');
  });

  it('the primary office catches users no other rule places', () => {
    const d = desiredOf(toDesiredUser(assignment('u', { profile: { countryCode: null }, appProfile: { officeName: null } }), OFFICES, rules()));
    expect(d).toMatchObject({ officeId: NY.id, officeRule: 'primary' });
  });
});

// Bad input (docs/rules.md#bad-data).
describe('toDesiredUser: names Dialpad would not take, and office fallbacks', () => {
  const skippedOf = (result: ReturnType<typeof toDesiredUser>) => ('skipped' in result ? result.skipped : null);

  it.each([
    ['firstName', 'x'.repeat(DIALPAD_NAME_MAX_LENGTH + 1), 'firstName is 256 characters long'],
    ['lastName', 'é'.repeat(DIALPAD_NAME_MAX_LENGTH + 10), 'lastName is 265 characters long'],
  ])('a %s over the limit is skipped with its length', (attribute, value, reason) => {
    const skipped = skippedOf(toDesiredUser(assignment('00u1', { profile: { [attribute]: value } }), OFFICES, rules()));
    expect(skipped?.code).toBe('invalid_name');
    expect(skipped?.reason).toContain(reason);
  });

  it('a name of exactly the limit, in characters beyond the BMP, passes whole', () => {
    const name = '🙂'.repeat(DIALPAD_NAME_MAX_LENGTH);
    expect(desiredOf(toDesiredUser(assignment('00u1', { profile: { firstName: name } }), OFFICES, rules())).firstName).toBe(name);
  });

  it('an unknown office and country fall back to the primary office, with a warning naming both', () => {
    const result = toDesiredUser(assignment('00u1', { profile: { countryCode: 'ZZ' }, appProfile: { officeName: 'Atlantis' } }), OFFICES, rules());
    expect(desiredOf(result).officeRule).toBe('primary');
    expect('warnings' in result ? result.warnings.map((w) => w.message) : []).toEqual([
      expect.stringMatching(/no active Dialpad office matches officeName "Atlantis" or country "ZZ": placed in the primary office/),
    ]);
  });

  it('an office chosen by name or country gives no fallback warning', () => {
    const byCountry = toDesiredUser(assignment('00u1', { profile: { countryCode: 'DE' }, appProfile: { officeName: 'Atlantis' } }), OFFICES, rules());
    expect('warnings' in byCountry ? byCountry.warnings : null).toEqual([]);
  });
});
