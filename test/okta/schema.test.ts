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
