// The Okta sandbox's authorization server, driven over HTTP by openid-client (the library the console signs in with).
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_CONSOLE_LOGINS } from '../../../sandbox/sample-org.js';
import { useSampleOrg } from '../use-sample-org.js';

const CALLBACK = 'http://127.0.0.1:8080/auth/callback';
const SIGNED_OUT = 'http://127.0.0.1:8080/signed-out';

/** The sandbox's clock runs this far ahead of the real one (tests move it to expire a code). */
let clockOffsetMs = 0;
const { okta } = useSampleOrg({ now: () => new Date(Date.now() + clockOffsetMs) });

afterEach(() => {
  clockOffsetMs = 0;
});

async function discover(auth: 'basic' | 'post' = 'basic', secret = okta.consoleClient.clientSecret): Promise<oidc.Configuration> {
  const clientAuth = auth === 'basic' ? oidc.ClientSecretBasic(secret) : oidc.ClientSecretPost(secret);
  return oidc.discovery(new URL(okta.issuer), okta.consoleClient.clientId, undefined, clientAuth, { execute: [oidc.allowInsecureRequests] });
}

interface Started {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

async function startSignIn(config: oidc.Configuration, overrides: Record<string, string> = {}): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...overrides,
  });
  return { url, verifier, state, nonce };
}

interface SignInForm {
  action: string;
  transaction: string;
}

async function openForm(url: URL): Promise<SignInForm> {
  const page = await fetch(url, { redirect: 'manual' });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  return formOf(await page.text());
}

function formOf(html: string): SignInForm {
  expect(html).not.toContain('<script');
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const transaction = /name="transaction" value="([^"]+)"/.exec(html)?.[1];
  if (action === undefined || transaction === undefined) throw new Error(`no sign-in form in ${html}`);
  return { action, transaction };
}

function submit(form: SignInForm, username: string, password: string): Promise<Response> {
  return fetch(form.action, { method: 'POST', body: new URLSearchParams({ transaction: form.transaction, username, password }), redirect: 'manual' });
}

/** Authorize, sign in as `username`, and return the callback URL the browser would be sent to. */
async function callbackFor(started: Started, username: string): Promise<URL> {
  const reply = await submit(await openForm(started.url), username, okta.userPassword);
  expect(reply.status).toBe(302);
  return new URL(reply.headers.get('location') ?? '');
}

async function signIn(config: oidc.Configuration, username: string): ReturnType<typeof oidc.authorizationCodeGrant> {
  const started = await startSignIn(config);
  const callback = await callbackFor(started, username);
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
}

async function tokenError(promise: Promise<unknown>): Promise<{ error: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) return { error: error.error, status: error.status };
    throw error;
  }
  throw new Error('the token request succeeded');
}

describe('Okta sandbox authorization server', () => {
  it('publishes a discovery document for <org>/oauth2/default with S256 PKCE and both secret authentications', async () => {
    const config = await discover();
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${okta.url}/oauth2/default`);
    expect(metadata.authorization_endpoint).toBe(`${okta.url}/oauth2/default/v1/authorize`);
    expect(metadata.jwks_uri).toBe(`${okta.url}/oauth2/default/v1/keys`);
    expect(metadata.end_session_endpoint).toBe(`${okta.url}/oauth2/default/v1/logout`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
  });

  it('signs an admin in with the code flow and PKCE: the ID token carries the profile and the dialsync groups; userinfo agrees', async () => {
    const config = await discover();
    const tokens = await signIn(config, SAMPLE_CONSOLE_LOGINS.admin);
    const claims = tokens.claims();
    const alice = okta.listUsers().find((user) => user.profile.login === SAMPLE_CONSOLE_LOGINS.admin);
    expect(claims).toMatchObject({
      iss: okta.issuer,
      sub: alice?.id,
      aud: okta.consoleClient.clientId,
      email: SAMPLE_CONSOLE_LOGINS.admin,
      name: 'Alice Nguyen',
      preferred_username: SAMPLE_CONSOLE_LOGINS.admin,
      groups: ['dialsync-admins'],
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe('openid profile email');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');
    expect(info).toMatchObject({ sub: alice?.id, email: SAMPLE_CONSOLE_LOGINS.admin, name: 'Alice Nguyen', groups: ['dialsync-admins'] });
  });

  it('signs the ID token with RS256 and a key the JWKS publishes under its kid', async () => {
    const config = await discover();
    const tokens = await signIn(config, SAMPLE_CONSOLE_LOGINS.admin);
    const idToken = tokens.id_token ?? '';
    const { kid, alg } = decodeProtectedHeader(idToken);
    expect(alg).toBe('RS256');
    const keys = (await (await fetch(`${okta.issuer}/v1/keys`)).json()) as { keys: { kid: string; kty: string; d?: string }[] };
    expect(keys.keys.map((key) => key.kid)).toEqual([kid]);
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA' });
    expect(keys.keys[0]?.d).toBeUndefined();
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${okta.issuer}/v1/keys`)), { issuer: okta.issuer, audience: okta.consoleClient.clientId });
    expect(payload.email).toBe(SAMPLE_CONSOLE_LOGINS.admin);
  });

  it('puts a viewer in dialsync-viewers and leaves the groups claim out for a user in neither group', async () => {
    const config = await discover('post');
    expect((await signIn(config, SAMPLE_CONSOLE_LOGINS.viewer)).claims()?.groups).toEqual(['dialsync-viewers']);
    expect((await signIn(config, SAMPLE_CONSOLE_LOGINS.nonMember)).claims()).not.toHaveProperty('groups');
  });

  it('reads group membership from the directory at sign-in', async () => {
    const config = await discover();
    const bob = okta.listUsers().find((user) => user.profile.login === SAMPLE_CONSOLE_LOGINS.nonMember);
    const viewers = okta.createGroup('dialsync-auditors');
    okta.addToGroup(viewers, bob?.id ?? '');
    try {
      expect((await signIn(config, SAMPLE_CONSOLE_LOGINS.nonMember)).claims()?.groups).toEqual(['dialsync-auditors']);
    } finally {
      okta.removeFromGroup(viewers, bob?.id ?? '');
    }
  });

  it('shows the form again with an error after a wrong password, and signs in with the right one', async () => {
    const config = await discover();
    const started = await startSignIn(config);
    const form = await openForm(started.url);
    const wrong = await submit(form, SAMPLE_CONSOLE_LOGINS.admin, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('location')).toBeNull();
    const html = await wrong.text();
    expect(html).toContain('Unable to sign in');
    const again = await submit(formOf(html), SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword);
    expect(again.status).toBe(302);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(again.headers.get('location') ?? ''), { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    expect(tokens.claims()?.email).toBe(SAMPLE_CONSOLE_LOGINS.admin);
  });

  it('refuses a suspended user with the same message', async () => {
    const config = await discover();
    const reply = await submit(await openForm((await startSignIn(config)).url), 'kate.oconnor@example.com', okta.userPassword);
    expect(reply.status).toBe(401);
    expect(await reply.text()).toContain('Unable to sign in');
  });

  it.each([
    ['no code challenge', { code_challenge: '', code_challenge_method: '' }],
    ['the plain method', { code_challenge_method: 'plain' }],
  ])('refuses an authorization request with %s by redirecting with invalid_request and the state', async (_name, overrides) => {
    const config = await discover();
    const started = await startSignIn(config);
    const url = new URL(started.url);
    for (const [name, value] of Object.entries(overrides)) {
      if (value === '') url.searchParams.delete(name);
      else url.searchParams.set(name, value);
    }
    const reply = await fetch(url, { redirect: 'manual' });
    expect(reply.status).toBe(302);
    const location = new URL(reply.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.get('state')).toBe(started.state);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('refuses an unregistered redirect URI with an error page, never redirecting to it', async () => {
    const config = await discover();
    const started = await startSignIn(config, { redirect_uri: 'https://attacker.example/callback' });
    const reply = await fetch(started.url, { redirect: 'manual' });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('location')).toBeNull();
    expect(await reply.text()).toContain('redirect_uri');
  });

  it('refuses a wrong code verifier', async () => {
    const config = await discover();
    const started = await startSignIn(config);
    const callback = await callbackFor(started, SAMPLE_CONSOLE_LOGINS.admin);
    const refused = await tokenError(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: started.state }));
    expect(refused).toEqual({ error: 'invalid_grant', status: 400 });
  });

  it('takes a code once: the second redemption is refused and revokes the access token of the first', async () => {
    const config = await discover();
    const started = await startSignIn(config);
    const callback = await callbackFor(started, SAMPLE_CONSOLE_LOGINS.admin);
    const checks = { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce };
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    expect(await tokenError(oidc.authorizationCodeGrant(config, callback, checks))).toEqual({ error: 'invalid_grant', status: 400 });
    const info = await fetch(`${okta.issuer}/v1/userinfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
    expect(info.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a code after its five minutes', async () => {
    const config = await discover();
    const started = await startSignIn(config);
    const callback = await callbackFor(started, SAMPLE_CONSOLE_LOGINS.admin);
    clockOffsetMs = 301_000;
    const refused = await tokenError(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state }));
    expect(refused).toEqual({ error: 'invalid_grant', status: 400 });
  });

  it.each([['basic' as const], ['post' as const]])('refuses a wrong client secret (client_secret_%s) with 401 invalid_client', async (auth) => {
    const good = await discover();
    const started = await startSignIn(good);
    const callback = await callbackFor(started, SAMPLE_CONSOLE_LOGINS.admin);
    const bad = await discover(auth, 'not-the-secret');
    const refused = await tokenError(oidc.authorizationCodeGrant(bad, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state }));
    expect(refused).toEqual({ error: 'invalid_client', status: 401 });
  });

  it('keeps an Okta session: a second authorization signs in without the form until logout ends it', async () => {
    const config = await discover();
    const first = await startSignIn(config);
    const signedIn = await submit(await openForm(first.url), SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^okta_sandbox_sid=./);
    expect(signedIn.headers.get('set-cookie')).toContain('Path=/oauth2/default; HttpOnly');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(signedIn.headers.get('location') ?? ''), { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });

    const second = await startSignIn(config);
    const silent = await fetch(second.url, { headers: { cookie }, redirect: 'manual' });
    expect(silent.status).toBe(302);
    expect(new URL(silent.headers.get('location') ?? '').searchParams.has('code')).toBe(true);

    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: SIGNED_OUT, state: 'after-logout' });
    const loggedOut = await fetch(logoutUrl, { headers: { cookie }, redirect: 'manual' });
    expect(loggedOut.status).toBe(302);
    expect(loggedOut.headers.get('location')).toBe(`${SIGNED_OUT}?state=after-logout`);

    const third = await startSignIn(config);
    expect((await fetch(third.url, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
  });

  it('refuses a logout to an unregistered post-logout URI', async () => {
    const config = await discover();
    const tokens = await signIn(config, SAMPLE_CONSOLE_LOGINS.admin);
    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: 'https://attacker.example/' });
    const reply = await fetch(logoutUrl, { redirect: 'manual' });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('location')).toBeNull();
  });

  it('refuses a logout without id_token_hint (client_id alone), with an access token as the hint, or with another client_id', async () => {
    const config = await discover();
    const tokens = await signIn(config, SAMPLE_CONSOLE_LOGINS.admin);
    const logout = `${okta.url}/oauth2/default/v1/logout`;
    const clientOnly = await fetch(`${logout}?${new URLSearchParams({ client_id: okta.consoleClient.clientId, post_logout_redirect_uri: SIGNED_OUT })}`, { redirect: 'manual' });
    expect(clientOnly.status).toBe(400);
    expect(await clientOnly.text()).toContain('The &#39;id_token_hint&#39; parameter is required.');
    const accessToken = await fetch(`${logout}?${new URLSearchParams({ id_token_hint: tokens.access_token, post_logout_redirect_uri: SIGNED_OUT })}`, { redirect: 'manual' });
    expect(accessToken.status).toBe(400);
    const otherClient = await fetch(`${logout}?${new URLSearchParams({ id_token_hint: tokens.id_token ?? '', client_id: '0oaSOMEONEELSE', post_logout_redirect_uri: SIGNED_OUT })}`, { redirect: 'manual' });
    expect(otherClient.status).toBe(400);
    const both = await fetch(`${logout}?${new URLSearchParams({ id_token_hint: tokens.id_token ?? '', client_id: okta.consoleClient.clientId, post_logout_redirect_uri: SIGNED_OUT })}`, { redirect: 'manual' });
    expect(both.status).toBe(302);
    expect(both.headers.get('location')).toBe(SIGNED_OUT);
  });
});
