// Signing in to the console with Okta (the sandbox's authorization server, through openid-client): roles from
// the groups claim, a clear refusal for others, sessions in the store with their expiry, sign-out, all audited.
import { describe, expect, it } from 'vitest';
import { SAMPLE_CONSOLE_LOGINS } from '../../sandbox/sample-org.js';
import { requireViewer } from '../../src/console/access.js';
import { unsign } from '@fastify/cookie';
import { Browser, CLIENT_ID, CLIENT_SECRET, csrfTokenOf, SESSION_SECRET, signIn, useConsole, WHOAMI_PATH } from './console-harness.js';

const harness = useConsole();
const { okta } = harness;

describe('console sign-in with Okta', () => {
  it('signs an admin in: a session in the store, an HttpOnly SameSite=Lax cookie, the page, an audit event', async () => {
    const base = await harness.start();
    const browser = new Browser();
    const callback = await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword, '/runs?page=2');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/runs?page=2');
    const cookie = callback.headers.getSetCookie().find((line) => line.startsWith('dialsync_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    // The console's own overview names who is signed in.
    const page = await browser.fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<span class="who">${SAMPLE_CONSOLE_LOGINS.admin} <span class="role">admin</span></span>`);

    // Signing in again gives a new session id and ends the one before.
    const first = `dialsync_session=${browser.cookies.get('dialsync_session') ?? ''}`;
    await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword);
    expect(`dialsync_session=${browser.cookies.get('dialsync_session') ?? ''}`).not.toBe(first);
    expect((await fetch(`${base}${WHOAMI_PATH}`, { headers: { cookie: first }, redirect: 'manual' })).status).toBe(302);
    expect((await browser.fetch(`${base}${WHOAMI_PATH}`)).status).toBe(200);
    const audit = await harness.store().audit.list({ limit: 10 });
    expect(audit.map((event) => [event.actor, event.action, event.detail])).toEqual([
      [`okta:${SAMPLE_CONSOLE_LOGINS.admin}`, 'sign_in', { role: 'admin' }],
      [`okta:${SAMPLE_CONSOLE_LOGINS.admin}`, 'sign_in', { role: 'admin' }],
    ]);
  });

  it.each([
    ['a tab (browsers strip it: /\t/evil.example would land on evil.example)', '/\t/evil.example'],
    ['CR/LF (an invalid Location header: the session was made but the answer was a 500)', '/\r\n/evil.example'],
    ['a backslash', '/\\evil.example'],
    ['another site', 'https://evil.example/'],
  ])('ends a sign-in whose returnTo has %s on / of the console, with the session cookie set', async (_what, returnTo) => {
    const base = await harness.start();
    const browser = new Browser();
    const callback = await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword, returnTo);
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/');
    expect(browser.cookies.has('dialsync_session')).toBe(true);
    expect((await browser.fetch(`${base}${WHOAMI_PATH}`)).status).toBe(200);
  });

  it('signs a member of the viewer group in as a viewer', async () => {
    const base = await harness.start();
    const browser = new Browser();
    expect((await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.viewer, okta.userPassword)).status).toBe(303);
    expect(await (await browser.fetch(`${base}/`)).text()).toContain(`<span class="who">${SAMPLE_CONSOLE_LOGINS.viewer} <span class="role">viewer</span></span>`);
  });

  it('refuses a user in neither group with a page that says who and which group, and audits it', async () => {
    const base = await harness.start();
    const browser = new Browser();
    const refused = await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.nonMember, okta.userPassword);
    expect(refused.status).toBe(403);
    const text = await refused.text();
    expect(text).toContain(SAMPLE_CONSOLE_LOGINS.nonMember);
    expect(text).toContain('not a member of <strong>dialsync-admins or dialsync-viewers</strong>');
    expect(text).toContain('add you to one of those groups');
    // "Sign in as someone else" ends the Okta session (with the refused sign-in's ID token) and comes back to /signed-out.
    const href = /<a href="([^"]+)">Sign in as someone else<\/a>/.exec(text)?.[1]?.replace(/&#38;|&amp;/g, '&') ?? '';
    const endOkta = new URL(href);
    expect(`${endOkta.origin}${endOkta.pathname}`).toBe(`${okta.issuer}/v1/logout`);
    expect(endOkta.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:8080/signed-out');
    const atOkta = await fetch(endOkta, { redirect: 'manual' });
    expect(atOkta.status).toBe(302);
    expect(atOkta.headers.get('location')).toBe('http://127.0.0.1:8080/signed-out');
    expect(browser.cookies.has('dialsync_session')).toBe(false);
    expect((await browser.fetch(`${base}${WHOAMI_PATH}`)).status).toBe(302);
    expect((await harness.store().audit.list({ limit: 10 })).map((event) => [event.actor, event.action])).toEqual([[`okta:${SAMPLE_CONSOLE_LOGINS.nonMember}`, 'sign_in_refused']]);
  });

  it('refuses a callback it did not start (no sign-in cookie) or whose state was changed', async () => {
    const base = await harness.start();
    const stranger = new Browser();
    expect((await stranger.fetch(`${base}/auth/callback?code=abc&state=xyz`)).status).toBe(400);

    const browser = new Browser();
    const start = await browser.fetch(`${base}/auth/login`);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const forged = await browser.fetch(`${base}/auth/callback?code=abc&state=not-the-state`);
    expect(forged.status).toBe(400);
    expect(browser.cookies.has('dialsync_session')).toBe(false);
  });

  it('sends a browser without a session to sign in, and /api without one gets 401 JSON', async () => {
    const base = await harness.start({ routes: (app) => app.get('/api/test/read', { preHandler: requireViewer }, () => ({ ok: true })) });
    const page = await fetch(`${base}/`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/auth/login?returnTo=%2F');
    const api = await fetch(`${base}/api/test/read`);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('signs out: POST /auth/logout with the CSRF token deletes the session, audits, and goes to Okta to sign out', async () => {
    const base = await harness.start();
    const browser = new Browser();
    await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword);
    const csrf = await csrfTokenOf(browser, base);
    const sessionCookie = `dialsync_session=${browser.cookies.get('dialsync_session') ?? ''}`;
    // The ID token rides in its own signed cookie, sent only to the sign-out; the session row holds no credential.
    const idToken = unsign(decodeURIComponent(browser.cookies.get('dialsync_id_token') ?? ''), SESSION_SECRET).value ?? '';
    expect(idToken.split('.')).toHaveLength(3);
    const [session] = await harness.store().consoleSessions.list();
    expect(JSON.stringify(session)).not.toContain(idToken.split('.')[2]);

    expect((await browser.fetch(`${base}/auth/logout`, { method: 'POST', body: new URLSearchParams({ _csrf: 'wrong' }) })).status).toBe(403);
    expect((await browser.fetch(`${base}${WHOAMI_PATH}`)).status).toBe(200);

    const out = await browser.fetch(`${base}/auth/logout`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf }) });
    expect(out.status).toBe(303);
    const location = new URL(out.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${okta.issuer}/v1/logout`);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:8080/signed-out');
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(location.searchParams.get('id_token_hint')).toBe(idToken);
    expect(browser.cookies.has('dialsync_session')).toBe(false);
    expect(browser.cookies.has('dialsync_id_token')).toBe(false);
    // Okta (the sandbox, which requires id_token_hint as Okta does) accepts it and returns to /signed-out.
    const atOkta = await fetch(location, { redirect: 'manual' });
    expect(atOkta.status).toBe(302);
    expect(atOkta.headers.get('location')).toBe('http://127.0.0.1:8080/signed-out');
    // The old cookie, kept by someone, no longer signs anyone in: the session is gone from the store.
    expect((await fetch(`${base}${WHOAMI_PATH}`, { headers: { cookie: sessionCookie }, redirect: 'manual' })).status).toBe(302);
    expect((await harness.store().audit.list({ limit: 10 })).map((event) => event.action)).toEqual(['sign_out', 'sign_in']);
    const signedOut = await fetch(`${base}/signed-out`);
    expect(await signedOut.text()).toContain('You are signed out');
  });

  it('sets the ID token cookie HttpOnly, SameSite=Lax, Path=/auth/logout, expiring with the session', async () => {
    const base = await harness.start();
    const browser = new Browser();
    const callback = await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword);
    const cookie = callback.headers.getSetCookie().find((line) => line.startsWith('dialsync_id_token=')) ?? '';
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).toMatch(/; Path=\/auth\/logout/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it('signs out with client_id alone when the ID token cookie is missing or forged', async () => {
    const base = await harness.start();
    const browser = new Browser();
    await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword);
    browser.cookies.set('dialsync_id_token', 'forged.token.value');
    const csrf = await csrfTokenOf(browser, base);
    const out = await browser.fetch(`${base}/auth/logout`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf }) });
    expect(out.status).toBe(303);
    const location = new URL(out.headers.get('location') ?? '');
    expect(location.searchParams.has('id_token_hint')).toBe(false);
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(browser.cookies.has('dialsync_session')).toBe(false);
  });

  it('ends a session after sessionIdleMinutes without a request, and after sessionMaxHours however active', async () => {
    const base = await harness.start();
    const idle = await harness.sessionCookie('admin');
    const get = (cookie: string): Promise<Response> => fetch(`${base}${WHOAMI_PATH}`, { headers: { cookie }, redirect: 'manual' });
    expect((await get(idle)).status).toBe(200);
    harness.clock.now += 29 * 60_000;
    expect((await get(idle)).status).toBe(200);
    harness.clock.now += 31 * 60_000;
    expect((await get(idle)).status).toBe(302);
    harness.clock.now -= 60 * 60_000;
    // Deleted when found expired: going back in time does not bring it back.
    expect((await get(idle)).status).toBe(302);

    const busy = await harness.sessionCookie('admin');
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      harness.clock.now += 20 * 60_000;
      expect((await get(busy)).status).toBe(200);
    }
    harness.clock.now += 40 * 60_000;
    expect((await get(busy)).status).toBe(302);
  });

  it('refuses a session cookie whose signature does not match', async () => {
    const base = await harness.start();
    const cookie = await harness.sessionCookie('admin');
    const tampered = cookie.replace(/\.[^.]+$/, '.AAAA');
    expect((await fetch(`${base}${WHOAMI_PATH}`, { headers: { cookie: tampered }, redirect: 'manual' })).status).toBe(302);
  });

  it('marks the cookies Secure with the __Host- prefix when publicUrl is https', async () => {
    const base = await harness.start({ settings: { publicUrl: 'https://dialsync.example.com' } });
    const start = await fetch(`${base}/auth/login`, { redirect: 'manual' });
    const cookie = start.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^__Host-dialsync_sign_in=/);
    expect(cookie).toMatch(/; Secure/);
    expect(new URL(start.headers.get('location') ?? '').searchParams.get('redirect_uri')).toBe('https://dialsync.example.com/auth/callback');
    expect(start.headers.get('strict-transport-security')).toBeTruthy();
  });

  it('puts no secret in any answer or log line', async () => {
    const base = await harness.start();
    const browser = new Browser();
    await signIn(browser, base, SAMPLE_CONSOLE_LOGINS.admin, okta.userPassword);
    const csrf = await csrfTokenOf(browser, base);
    await browser.fetch(`${base}/auth/logout`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf }) });
    await signIn(new Browser(), base, SAMPLE_CONSOLE_LOGINS.nonMember, okta.userPassword);
    // Each sign-in line names its component once (a child logger adding a second `component` repeats the key).
    const signInLines = harness.logLines.filter((line) => line.includes('"flow":"sign-in"'));
    expect(signInLines.length).toBeGreaterThan(0);
    for (const line of signInLines) expect(line.match(/"component":"[^"]*"/g)).toEqual(['"component":"console"']);
    const everything = [...browser.seen, ...harness.logLines].join('\n');
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(SESSION_SECRET);
    expect(everything).not.toContain(okta.userPassword);
  });
});
