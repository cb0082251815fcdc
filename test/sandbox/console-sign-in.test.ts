import { describe, expect, it } from 'vitest';
import { consoleSignInText } from '../../sandbox/console-sign-in.js';
import { consoleClient } from '../../sandbox/okta/oidc-client.js';
import { useSampleOrg } from './use-sample-org.js';

const { okta } = useSampleOrg({ oidc: { clients: [consoleClient({ consoleUrl: 'http://localhost:9090/', clientId: '0oaconsoletest000001' })], userPassword: 'Demo-Passw0rd' } });

describe('consoleSignInText', () => {
  it("prints the console's address, its settings and a sample admin's login, never the client secret", () => {
    const text = consoleSignInText(okta, 'http://localhost:9090');
    expect(text).toContain('Admin console: http://localhost:9090/');
    expect(text).toContain(`issuer: ${okta.url}/oauth2/default`);
    expect(text).toContain('clientId: 0oaconsoletest000001');
    expect(text).toContain('adminGroup: dialsync-admins');
    expect(text).toContain('http://localhost:9090/auth/callback');
    expect(text).toMatch(/admin: +alice\.nguyen@example\.com/);
    expect(text).toContain('Demo-Passw0rd');
    expect(text).not.toContain(okta.consoleClient.clientSecret);
  });

  it('registers the console under its address without a doubled slash', () => {
    expect(okta.consoleClient.redirectUris).toEqual(['http://localhost:9090/auth/callback']);
    expect(okta.consoleClient.postLogoutRedirectUris).toEqual(['http://localhost:9090/signed-out']);
  });
});
