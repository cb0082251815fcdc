import { describe, expect, it } from 'vitest';
import { OidcSignIn } from '../../src/console/oidc-sign-in.js';
import { returnToFromReferer, safeReturnTo } from '../../src/console/return-to.js';
import { silentLogger } from '../../src/log/logger.js';

const PUBLIC = 'https://dialsync.example.com';

describe('safeReturnTo', () => {
  it.each([
    // Hostile, as received (the query already percent-decoded) and as written.
    ['/\t/evil.example', '/'],
    ['/%09/evil', '/'],
    ['/\n/evil', '/'],
    ['/%0A/evil', '/'],
    ['/\r/evil', '/'],
    ['/%0D/evil', '/'],
    ['/x\r\nSet-Cookie: a=b', '/'],
    ['//evil', '/'],
    ['/\\evil', '/'],
    ['///evil', '/'],
    ['https://evil', '/'],
    ['http:evil', '/'],
    ['javascript:alert(1)', '/'],
    ['\\\\evil', '/'],
    ['/%5C/evil', '/'],
    ['/%2F/evil', '/'],
    ['%2F%2Fevil', '/'],
    [' /x', '/'],
    ['/x y', '/'],
    ['/\u2028/evil', '/'],
    ['/\u2029/evil', '/'],
    ['/%E2%80%A8/evil', '/'],
    ['/\u0085/evil', '/'],
    ['/%zz', '/'],
    ['/auth/logout', '/'],
    ['', '/'],
    // Good.
    ['/', '/'],
    ['/runs?page=2', '/runs?page=2'],
    ['/users/a%40b.com', '/users/a%40b.com'],
    ['/users?q=Ada%20Lovelace', '/users?q=Ada%20Lovelace'],
    ['/runs/r1#actions', '/runs/r1#actions'],
    ['/./runs', '/runs'],
  ])('takes %j as %j', (value, expected) => {
    expect(safeReturnTo(value, PUBLIC)).toBe(expected);
  });

  it.each([undefined, ['/runs'], 42])('takes %j (not a string) as /', (value) => {
    expect(safeReturnTo(value, PUBLIC)).toBe('/');
  });

  it('takes the path of a Referer on the console, and / for another site or none', () => {
    expect(returnToFromReferer(`${PUBLIC}/held?page=2`, PUBLIC)).toBe('/held?page=2');
    expect(returnToFromReferer('https://evil.example/held', PUBLIC)).toBe('/');
    expect(returnToFromReferer(undefined, PUBLIC)).toBe('/');
  });
});

describe('the scopes of a sign-in', () => {
  const signIn = (issuer: string) => new OidcSignIn({ issuer, clientId: 'c', clientSecret: 's', redirectUri: 'https://d.example.com/auth/callback' }, silentLogger());

  it('asks a custom authorization server for openid, profile and email (its groups claim is set to any scope)', () => {
    expect(signIn('https://acme.okta.com/oauth2/default').scope).toBe('openid profile email');
  });

  it("asks the org authorization server for groups too, which it needs to send the app's groups claim", () => {
    expect(signIn('https://acme.okta.com').scope).toBe('openid profile email groups');
  });
});
