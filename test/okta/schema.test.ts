import { describe, expect, it } from 'vitest';
import { isRejectedAssignment, toOktaAssignment, toProfileValue } from '../../src/okta/schema.js';
import { appUserJson, userJson } from './fake-okta.js';

describe('toProfileValue', () => {
  it.each([
    ['a string', 'Paris', 'Paris'],
    ['a number', 42, 42],
    ['a boolean', false, false],
    ['null', null, null],
    ['a string array, joined', ['sales', 'emea'], 'sales, emea'],
    ['a number array, joined', [1, 2], '1, 2'],
    ['an empty array, as null', [], null],
  ])('keeps %s', (_label, input, expected) => {
    expect(toProfileValue(input)).toEqual(expected);
  });

  it.each([
    ['an object', { street: '1 Main St' }],
    ['an array of objects', [{ a: 1 }]],
    ['undefined', undefined],
    ['a non-finite number', Number.NaN],
  ])('drops %s', (_label, input) => {
    expect(toProfileValue(input)).toBeUndefined();
  });
});

describe('toOktaAssignment', () => {
  it('maps an app user with its embedded Okta user', () => {
    const raw = appUserJson('00u1', {
      scope: 'GROUP',
      status: 'PROVISIONED',
      profile: { licenseType: 'talk', officeName: 'Paris', roles: ['agent', 'admin'], address: { city: 'Paris' } },
      user: userJson('00u1', { status: 'SUSPENDED', profile: { dialpadPhone: '+15551234567', costCenter: 12, manager: null } }),
    });

    expect(toOktaAssignment(raw)).toEqual({
      oktaUserId: '00u1',
      scope: 'GROUP',
      appUserStatus: 'PROVISIONED',
      status: 'SUSPENDED',
      profile: {
        login: '00u1@acme.example',
        email: '00u1@acme.example',
        firstName: 'First 00u1',
        lastName: 'Last 00u1',
        dialpadPhone: '+15551234567',
        costCenter: 12,
        manager: null,
      },
      appProfile: { licenseType: 'talk', officeName: 'Paris', roles: 'agent, admin' },
    });
  });

  it('gives an empty app profile when the app user has none (SSO-only apps)', () => {
    const raw = { ...appUserJson('00u1'), profile: undefined };
    const result = toOktaAssignment(raw);
    expect(isRejectedAssignment(result)).toBe(false);
    expect(result).toMatchObject({ appProfile: {} });
  });

  it('rejects an app user without _embedded.user, naming the missing expand', () => {
    const result = toOktaAssignment(appUserJson('00u1', { user: null }));
    expect(result).toEqual({ oktaUserId: '00u1', login: '00u1@acme.example', reason: expect.stringContaining('expand=user') });
  });

  it('rejects a user without a profile', () => {
    const user = { id: '00u1', status: 'ACTIVE' };
    const result = toOktaAssignment({ ...appUserJson('00u1'), _embedded: { user } });
    expect(result).toEqual({ oktaUserId: '00u1', login: '00u1@acme.example', reason: expect.stringContaining('profile') });
  });

  it('rejects a user whose profile has no login', () => {
    const user = userJson('00u1', { profile: { login: '   ' } });
    const result = toOktaAssignment(appUserJson('00u1', { user }));
    expect(isRejectedAssignment(result)).toBe(true);
    expect(result).toMatchObject({ oktaUserId: '00u1', reason: expect.stringContaining('login') });
  });

  it.each([
    ['a number', 12345, 'login is a number (12345), expected a string'],
    ['a boolean', true, 'login is a boolean (true), expected a string'],
    ['an object', { value: 'ann@acme.com' }, 'login is an object, expected a string'],
    ['a list', ['ann@acme.com'], 'login is a list (["ann@acme.com"]), expected a string'],
  ])('rejects a user whose login is %s, saying what is wrong with it', (_label, login, message) => {
    const user = userJson('00u1', { profile: { login } });
    const result = toOktaAssignment(appUserJson('00u1', { user }), { keepAttributes: new Set(['login', 'email']) });
    expect(result).toEqual({ oktaUserId: '00u1', login: '00u1@acme.example', reason: `the embedded Okta user is malformed: profile.login: ${message}` });
  });

  it.each([
    [null, 'the profile has no login'],
    ['   ', 'the profile has no login'],
  ])('still says the profile has no login when it is %j', (login, message) => {
    const user = userJson('00u1', { profile: { login } });
    expect(toOktaAssignment(appUserJson('00u1', { user }))).toMatchObject({ reason: expect.stringContaining(message) });
  });

  const read = new Set(['login', 'email', 'firstName', 'lastName', 'title', 'countryCode', 'officeName', 'licenseType', 'dialpadPhone']);

  it.each([
    ['a numeric email', { email: 12345 }, 'the Okta user profile is malformed: email is a number (12345), expected a string'],
    ['a boolean email', { email: false }, 'the Okta user profile is malformed: email is a boolean (false), expected a string'],
    ['an object email', { email: { work: 'ann@acme.com' } }, 'the Okta user profile is malformed: email is an object, expected a string'],
    ['a numeric firstName', { firstName: 42 }, 'the Okta user profile is malformed: firstName is a number (42), expected a string'],
    ['a list lastName', { lastName: ['Doe', 'Smith'] }, 'the Okta user profile is malformed: lastName is a list (["Doe","Smith"]), expected a string'],
    ['a boolean title', { title: true }, 'the Okta user profile is malformed: title is a boolean (true), expected a string'],
    ['an object custom user attribute', { dialpadPhone: { e164: '+15551234567' } }, 'the Okta user profile is malformed: dialpadPhone is an object, expected a string, number, boolean or a list of them'],
  ])('rejects an Okta user with %s that dialsync reads, saying what is wrong with it', (_label, profile, reason) => {
    const user = userJson('00u1', { profile });
    expect(toOktaAssignment(appUserJson('00u1', { user }), { keepAttributes: read })).toEqual({ oktaUserId: '00u1', login: '00u1@acme.example', reason });
  });

  it.each([
    ['an object officeName', { officeName: { name: 'Paris' } }, 'the app user profile is malformed: officeName is an object, expected a string, number, boolean or a list of them'],
    ['a list of objects as licenseType', { licenseType: [{ id: 'talk' }] }, 'the app user profile is malformed: licenseType is a list ([{"id":"talk"}]), expected a string, number, boolean or a list of them'],
  ])('rejects an app user with %s that dialsync reads, saying what is wrong with it', (_label, profile, reason) => {
    expect(toOktaAssignment(appUserJson('00u1', { profile }), { keepAttributes: read })).toEqual({ oktaUserId: '00u1', login: '00u1@acme.example', reason });
  });

  it('keeps numbers, booleans and lists in custom attributes, and any type in attributes dialsync does not read', () => {
    const user = userJson('00u1', { profile: { dialpadPhone: 15551234567, costCenter: 12, address: { city: 'Paris' } } });
    const result = toOktaAssignment(appUserJson('00u1', { user, profile: { officeName: 101, licenseType: ['talk'], roles: { admin: true } } }), { keepAttributes: read });
    expect(result).toMatchObject({ profile: { dialpadPhone: 15551234567 }, appProfile: { officeName: 101, licenseType: 'talk' } });
  });

  it('rejects an unknown Okta user status, quoting it', () => {
    const result = toOktaAssignment(appUserJson('00u1', { user: userJson('00u1', { status: 'ACTIVATING' }) }));
    expect(result).toMatchObject({ oktaUserId: '00u1', login: '00u1@acme.example', reason: expect.stringContaining('"ACTIVATING"') });
  });

  it('rejects an unknown scope', () => {
    const result = toOktaAssignment({ ...appUserJson('00u1'), scope: 'ROLE' });
    expect(result).toMatchObject({ oktaUserId: '00u1', reason: expect.stringContaining('scope') });
  });

  it('rejects an embedded user that is not the app user', () => {
    const result = toOktaAssignment(appUserJson('00u1', { user: userJson('00u2') }));
    expect(result).toMatchObject({ oktaUserId: '00u1', reason: expect.stringContaining('00u2') });
  });

  it('rejects something that is not an app user at all', () => {
    expect(toOktaAssignment('nonsense')).toEqual({ oktaUserId: null, login: null, reason: expect.stringContaining('malformed') });
  });
});
