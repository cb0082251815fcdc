// Who may change what: every state-changing console route refuses without a session or token, with a bad or
// missing CSRF token, and for a viewer; API tokens; body limits; the security headers; the console off.
import { sign } from '@fastify/cookie';
import { fastify, type FastifyInstance, type RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { requireAdmin, requireViewer } from '../../src/console/access.js';
import { mintApiToken } from '../../src/console/api-token.js';
import { registerConsole } from '../../src/console/console-plugin.js';
import { registerConsoleRoutes, type ConsoleDeps } from '../../src/console/routes.js';
import { silentLogger } from '../../src/log/logger.js';
import { Browser, consoleSettings, csrfTokenOf, SESSION_SECRET, useConsole, whoamiPage, WHOAMI_PATH, type ExtraRoutes } from './console-harness.js';

const harness = useConsole();

/** Test-only routes standing for the console's changes: a form (page) and a JSON one (/api), admin only. */
const changes: ExtraRoutes = (app) => {
  app.post('/test/change', { preHandler: requireAdmin }, async () => ({ changed: true }));
  app.post('/api/test/change', { preHandler: requireAdmin }, async () => ({ changed: true }));
  app.get('/api/test/read', { preHandler: requireViewer }, async (request) => ({ principal: request.principal }));
};

const CHANGE_PATHS = ['/test/change', '/api/test/change'];

async function post(base: string, path: string, options: { cookie?: string; csrf?: string; bearer?: string; body?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const body = options.body ?? new URLSearchParams(options.csrf === undefined ? {} : { _csrf: options.csrf }).toString();
  return fetch(`${base}${path}`, { method: 'POST', headers, body, redirect: 'manual' });
}

/** A browser holding a session of `role` (made in the store) and the CSRF token of its page. */
async function sessionOf(base: string, role: 'admin' | 'viewer'): Promise<{ cookie: string; csrf: string }> {
  const cookie = await harness.sessionCookie(role);
  const browser = new Browser();
  const [name = '', value = ''] = cookie.split('=');
  browser.cookies.set(name, value);
  return { cookie, csrf: await csrfTokenOf(browser, base) };
}

describe('state-changing console routes', () => {
  it.each(CHANGE_PATHS)('%s refuses without a session or token (401), and with a bad, missing or other session\'s CSRF token (403)', async (path) => {
    const base = await harness.start({ routes: changes });
    expect((await post(base, path)).status).toBe(401);
    const admin = await sessionOf(base, 'admin');
    const other = await sessionOf(base, 'admin');
    expect((await post(base, path, { cookie: admin.cookie })).status).toBe(403);
    expect((await post(base, path, { cookie: admin.cookie, csrf: 'not-a-token' })).status).toBe(403);
    // A token is bound to its session: another admin's token does not pass.
    expect((await post(base, path, { cookie: admin.cookie, csrf: other.csrf })).status).toBe(403);
    expect((await post(base, path, { cookie: admin.cookie, csrf: admin.csrf })).status).toBe(200);
  });

  it.each(CHANGE_PATHS)('%s refuses a viewer session even with its valid CSRF token (403)', async (path) => {
    const base = await harness.start({ routes: changes });
    const viewer = await sessionOf(base, 'viewer');
    expect((await post(base, path, { cookie: viewer.cookie, csrf: viewer.csrf })).status).toBe(403);
  });

  it("answers a browser's form with a page: the form expired (bad CSRF token, 403), the session ended (401, sign in again back to the form's page)", async () => {
    const base = await harness.start({ routes: changes });
    const admin = await sessionOf(base, 'admin');
    const browserPost = (path: string, options: { cookie?: string; csrf?: string; referer?: string }): Promise<Response> =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'content-type': 'application/x-www-form-urlencoded',
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.referer ? { referer: options.referer } : {}),
        },
        body: new URLSearchParams(options.csrf === undefined ? {} : { _csrf: options.csrf }).toString(),
        redirect: 'manual',
      });

    const expired = await browserPost('/test/change', { cookie: admin.cookie, csrf: 'not-a-token' });
    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-type')).toMatch(/^text\/html/);
    const expiredPage = await expired.text();
    expect(expiredPage).toContain('This form has expired — reload the page and try again.');
    expect(expiredPage).toContain('<link rel="stylesheet" href="/assets/console.css">');

    const ended = await browserPost('/test/change', { referer: 'http://127.0.0.1:8080/held?page=2', csrf: admin.csrf });
    expect(ended.status).toBe(401);
    const endedPage = await ended.text();
    expect(endedPage).toContain('Your session ended — <a href="/auth/login?returnTo=%2Fheld%3Fpage%3D2">sign in again</a>');
    // A Referer from another site is not returned to.
    const elsewhere = await browserPost('/test/change', { referer: 'https://evil.example/held', csrf: admin.csrf });
    expect(await elsewhere.text()).toContain('<a href="/auth/login?returnTo=%2F">');

    // The JSON API keeps its JSON answers, whatever the Accept header.
    const api = await browserPost('/api/test/change', { cookie: admin.cookie, csrf: 'not-a-token' });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: 'forbidden' });
    const apiSignedOut = await browserPost('/api/test/change', {});
    expect(apiSignedOut.status).toBe(401);
    expect(await apiSignedOut.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('takes an admin API token without a CSRF token, refuses a viewer token, and a revoked one', async () => {
    const base = await harness.start({ routes: changes });
    const store = harness.store();
    const adminToken = mintApiToken();
    const viewerToken = mintApiToken();
    await store.apiTokens.create({ name: 'ci', role: 'admin', token: adminToken, createdBy: 'cli:test@host' });
    await store.apiTokens.create({ name: 'dash', role: 'viewer', token: viewerToken, createdBy: 'cli:test@host' });

    expect((await post(base, '/api/test/change', { bearer: adminToken })).status).toBe(200);
    expect((await post(base, '/api/test/change', { bearer: viewerToken })).status).toBe(403);
    const read = await fetch(`${base}/api/test/read`, { headers: { authorization: `Bearer ${viewerToken}` } });
    expect(await read.json()).toEqual({ principal: { kind: 'token', name: 'dash', role: 'viewer', actor: 'token:dash' } });

    await store.apiTokens.revoke('ci');
    expect((await post(base, '/api/test/change', { bearer: adminToken })).status).toBe(401);
    // A bearer credential that is not a token signs nobody in, even with a valid session cookie beside it.
    const admin = await sessionOf(base, 'admin');
    expect((await post(base, '/api/test/change', { bearer: 'dsk_nope', cookie: admin.cookie, csrf: admin.csrf })).status).toBe(401);
  });

  it("records a token's last use", async () => {
    const base = await harness.start({ routes: changes });
    const token = mintApiToken();
    await harness.store().apiTokens.create({ name: 'ci', role: 'viewer', token, createdBy: 'cli:test@host' });
    expect((await harness.store().apiTokens.list())[0]?.lastUsedAt).toBeNull();
    harness.clock.now = Date.parse('2026-12-01T08:00:00Z');
    await fetch(`${base}/api/test/read`, { headers: { authorization: `Bearer ${token}` } });
    expect((await harness.store().apiTokens.list())[0]?.lastUsedAt).toBe('2026-12-01T08:00:00.000Z');
    expect(harness.logLines.join('\n')).not.toContain(token);
  });

  it('answers a JSON body it cannot parse with the API\'s 400 shape, naming the body', async () => {
    const base = await harness.start({ routes: changes });
    const token = mintApiToken();
    await harness.store().apiTokens.create({ name: 'ci', role: 'admin', token, createdBy: 'cli:test@host' });
    for (const body of ['not json', '{"all":true}garbage', '{"__proto__":{"all":true}}']) {
      const answer = await fetch(`${base}/api/test/change`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      expect(answer.status, body).toBe(400);
      expect(await answer.json(), body).toEqual({ error: 'invalid_input', field: 'body', message: 'the body is not valid JSON' });
    }
  });

  it('refuses a form body over 64 KiB with 413', async () => {
    const base = await harness.start({ routes: changes });
    const admin = await sessionOf(base, 'admin');
    const big = new URLSearchParams({ _csrf: admin.csrf, note: 'x'.repeat(65 * 1024) }).toString();
    expect((await post(base, '/test/change', { cookie: admin.cookie, body: big })).status).toBe(413);
    const json = await fetch(`${base}/api/test/change`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf }, body: JSON.stringify({ note: 'x'.repeat(65 * 1024) }) });
    expect(json.status).toBe(413);
  });
});

describe('every state-changing route the console registers', () => {
  /** The console on a bare fastify instance, collecting every route it registers (the pages' included). */
  async function consoleRoutes(): Promise<{ app: FastifyInstance; routes: RouteOptions[] }> {
    const app = fastify();
    const routes: RouteOptions[] = [];
    app.addHook('onRoute', (route) => void routes.push(route));
    const deps = { store: harness.store(), settings: () => [], explain: async () => ({}), health: async () => ({}), approvalTtlHours: 24, now: () => new Date(harness.clock.now) } as unknown as ConsoleDeps;
    await app.register(registerConsole, {
      settings: consoleSettings(harness.okta.issuer),
      deps,
      logger: silentLogger(),
      routes: (scope, d) => {
        registerConsoleRoutes(scope, d);
        whoamiPage(scope);
      },
    });
    await app.ready();
    return { app, routes };
  }

  it('refuses each without a principal, with a bad CSRF token, and (but sign-out) for a viewer', async () => {
    const { app, routes } = await consoleRoutes();
    const changing = routes.flatMap((route) => (Array.isArray(route.method) ? route.method : [route.method]).filter((method) => !['GET', 'HEAD'].includes(method)).map((method) => ({ method, url: route.url.replace(/:[A-Za-z]+/g, '1') })));
    // Sign-out and the pages' admin actions (approve, dismiss, release; as forms and under /api), at least.
    expect(changing.map((route) => route.url)).toEqual(expect.arrayContaining(['/auth/logout', '/held/approve', '/api/held/approve', '/held/dismiss', '/quarantine/release', '/api/quarantine/release', '/runs/request', '/api/runs/request']));
    const cookieOf = async (role: 'admin' | 'viewer'): Promise<string> => {
      const id = `sweep-${role}-${Math.random()}`;
      await harness.store().consoleSessions.create(id, { subject: role, email: `${role}@example.com`, name: null, role });
      return `dialsync_session=${encodeURIComponent(sign(id, SESSION_SECRET))}`;
    };
    const admin = await cookieOf('admin');
    const viewer = await cookieOf('viewer');
    const viewerPage = await app.inject({ method: 'GET', url: WHOAMI_PATH, headers: { cookie: viewer } });
    const viewerCsrf = /name="_csrf" value="([^"]+)"/.exec(viewerPage.body)?.[1] ?? '';
    for (const { method, url } of changing) {
      const send = (headers: Record<string, string>, payload: Record<string, string> = {}) => app.inject({ method: method as 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(payload).toString() });
      expect([401, 403], `${method} ${url} without a principal`).toContain((await send({})).statusCode);
      expect((await send({ cookie: admin }, { _csrf: 'forged' })).statusCode, `${method} ${url} with a bad CSRF token`).toBe(403);
      if (url !== '/auth/logout') expect((await send({ cookie: viewer }, { _csrf: viewerCsrf })).statusCode, `${method} ${url} for a viewer`).toBe(403);
    }
    await app.close();
  });
});

describe('the console headers, and the console off', () => {
  it('sends the CSP, nosniff and frame-ancestors none on console answers, and leaves the probes alone', async () => {
    const base = await harness.start();
    const page = await fetch(`${base}/signed-out`);
    const origin = new URL(harness.okta.issuer).origin;
    expect(page.headers.get('content-security-policy')).toBe(
      `default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;frame-ancestors 'none';form-action 'self' ${origin}`,
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // Same-origin form posts carry the page they came from (a session that ended returns there); other sites learn nothing.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    // A long email as a path parameter still reaches its route (fastify's default cuts parameters at 100 characters).
    const longEmail = `${'a'.repeat(180)}@${'b'.repeat(60)}.example.com`;
    expect((await fetch(`${base}/users/${encodeURIComponent(longEmail)}`, { redirect: 'manual' })).status).toBe(302);
    const probe = await fetch(`${base}/healthz`);
    expect(probe.status).toBe(200);
    expect(probe.headers.get('content-security-policy')).toBeNull();
  });

  it('answers 404 on every console path when not configured, while /healthz, /readyz, /metrics and the hook answer', async () => {
    const base = await harness.start({ console: false });
    for (const path of ['/', '/auth/login', '/auth/callback?code=x', '/signed-out', '/api/runs', '/api/held']) expect((await fetch(`${base}${path}`, { redirect: 'manual' })).status, path).toBe(404);
    for (const path of ['/auth/logout', '/api/held/approve']) expect((await fetch(`${base}${path}`, { method: 'POST' })).status, path).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/hooks/okta`, { method: 'POST', body: '{}' })).status).toBe(204);
  });
});
