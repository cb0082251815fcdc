import { describe, expect, it } from 'vitest';
import { OidcSignIn } from '../../src/console/oidc-sign-in.js';
import { safeReturnTo } from '../../src/console/sign-in-routes.js';
import { silentLogger } from '../../src/log/logger.js';

describe('safeReturnTo', () => {
  it.each([
    ['/runs?page=2', '/runs?page=2'],
    ['/', '/'],
    ['//evil.example.com/', '/'],
    ['/\\evil.example.com', '/'],
    ['https://evil.example.com/', '/'],
    ['/auth/logout', '/'],
    [undefined, '/'],
    [['/runs'], '/'],
  ])('takes %j as %j', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
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
