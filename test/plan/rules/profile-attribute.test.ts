import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/okta/types.js';
import {
  attributesReadBy,
  profileValueText,
  readAssignmentAttribute,
  readFirstAssignmentAttribute,
  readProfileValue,
} from '../../../src/plan/rules/profile-attribute.js';
import { assignment, rules } from '../fixtures.js';

describe('profileValueText', () => {
  it.each([
    ['  Sales  ', 'Sales'],
    ['', null],
    ['   ', null],
    [null, null],
    [undefined, null],
    [42, '42'],
    [true, 'true'],
    [false, 'false'],
  ] as const)('%j → %j', (value, expected) => {
    expect(profileValueText(value)).toBe(expected);
  });
});

describe('readAssignmentAttribute', () => {
  const a = assignment('u1', {
    profile: { title: ' Engineer ', department: 'R&D', officeName: 'Profile office', licenseType: 'dialpad_sell' },
    appProfile: { title: 'App title', department: 'App dept', officeName: 'App office', physicalDeliveryOfficeName: '' },
  });

  it.each<[string, string | null, string]>([
    ['title', 'Engineer', 'base attribute: user profile only, even when the app profile has one'],
    ['department', 'R&D', 'base attribute: user profile only'],
    ['officeName', 'App office', 'custom attribute: app profile first'],
    ['licenseType', 'dialpad_sell', 'custom attribute: falls back to the user profile'],
    ['physicalDeliveryOfficeName', null, 'empty app value and no user value'],
    ['noSuchAttribute', null, 'absent everywhere'],
  ])('%s → %j (%s)', (name, expected, _why) => {
    expect(readAssignmentAttribute(a, name)).toBe(expected);
  });

  it('never reads prototype properties of a profile', () => {
    expect(readProfileValue({} as Profile, 'constructor')).toBeNull();
    expect(readAssignmentAttribute(a, 'toString')).toBeNull();
  });

  it('returns the first mapped attribute that has a value, and which one it was', () => {
    const b = assignment('u2', { appProfile: { officeName: '  ', physicalDeliveryOfficeName: 'Berlin' } });
    expect(readFirstAssignmentAttribute(b, ['officeName', 'physicalDeliveryOfficeName', 'department'])).toEqual({
      attribute: 'physicalDeliveryOfficeName',
      value: 'Berlin',
    });
    expect(readFirstAssignmentAttribute(b, ['nothing', 'other'])).toBeNull();
  });
});

describe('attributesReadBy', () => {
  it('names every attribute the default rules read, each once', () => {
    const names = attributesReadBy(rules());
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(
      [
        'login',
        'email',
        'firstName',
        'lastName',
        'title',
        'officeName',
        'physicalDeliveryOfficeName',
        'department',
        'countryCode',
        'preferredLanguage',
        'licenseType',
        'dialpadPhone',
      ].sort(),
    );
  });

  it('follows a custom mapping and write-back attribute, and always includes login', () => {
    const names = attributesReadBy(
      rules({
        mapping: {
          firstName: 'givenName',
          lastName: 'sn',
          email: ['workEmail', 'secondEmail'],
          title: 'jobTitle',
          office: ['site', 'building'],
          country: 'c',
          language: 'locale',
          license: 'dialpadLicense',
        },
        writeBack: { attribute: 'phoneExt' },
      }),
    );
    expect([...names].sort()).toEqual(
      ['login', 'workEmail', 'secondEmail', 'givenName', 'sn', 'jobTitle', 'site', 'building', 'c', 'locale', 'dialpadLicense', 'phoneExt'].sort(),
    );
  });

  it('lists an attribute the rules read for several fields once', () => {
    const names = attributesReadBy(
      rules({
        mapping: {
          firstName: 'name',
          lastName: 'name',
          email: ['login', 'email', 'login'],
          title: 'department',
          office: ['department', 'officeName'],
          country: 'countryCode',
          language: 'countryCode',
          license: 'licenseType',
        },
        writeBack: { attribute: 'email' },
      }),
    );
    expect([...names].sort()).toEqual(['countryCode', 'department', 'email', 'licenseType', 'login', 'name', 'officeName']);
  });
});
