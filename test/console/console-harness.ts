// What the console's tests share: a daemon HTTP server with the console on a store whose clock the test moves,
// the Okta sandbox's authorization server to sign in with, a browser-like cookie jar, and the log lines written.
import { sign } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach } from 'vitest';
import { consoleClient } from '../../sandbox/okta/oidc-client.js';
import { CONSOLE_ADMINS_GROUP, CONSOLE_VIEWERS_GROUP } from '../../sandbox/sample-org.js';
import type { ConsoleSettings } from '../../src/config/load.js';
import type { ConsoleDeps } from '../../src/console/routes.js';
import { requireViewer } from '../../src/console/access.js';
import { registerConsoleRoutes } from '../../src/console/routes.js';
import { DaemonHttpServer } from '../../src/daemon/http-server.js';
import { DaemonMetrics } from '../../src/daemon/metrics.js';
import { createLogger } from '../../src/log/logger.js';
import type { ConsoleRole } from '../../src/store/console-sessions.js';
import { Store } from '../../src/store/store.js';
import { useSampleOrg } from '../sandbox/use-sample-org.js';

/** Where the console says it is served (Okta's registered redirect URIs use it); requests go to the real port. */
export const PUBLIC_URL = 'http://127.0.0.1:8080';
export const CLIENT_ID = '0oaCONSOLETESTCLIENT';
export const CLIENT_SECRET = 'console-client-secret-0123456789abcdefghij';
export const SESSION_SECRET = 'console-session-secret-0123456789abcdefghijklmnop';

/** The console settings of the tests: the sandbox's issuer, its sample groups, 30 min idle and 12 h at most. */
export function consoleSettings(issuer: string, overrides: Partial<Extract<ConsoleSettings, { enabled: true }>> = {}): Extract<ConsoleSettings, { enabled: true }> {
  return {
    enabled: true,
    publicUrl: PUBLIC_URL,
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    sessionSecret: SESSION_SECRET,
    adminGroup: CONSOLE_ADMINS_GROUP,
    viewerGroup: CONSOLE_VIEWERS_GROUP,
    groupsClaim: 'groups',
    sessionIdleMinutes: 30,
    sessionMaxHours: 12,
    ...overrides,
  };
}

/** Routes the tests add to the console's scope, registered after the pages' own. */
export type ExtraRoutes = (app: FastifyInstance) => void;

/** Where the tests' own page is: who is signed in, and a form with the session's CSRF token (the pages' forms carry it the same way). */
export const WHOAMI_PATH = '/test/whoami';

/** The tests' page at WHOAMI_PATH, for any signed-in principal: independent of what the console's pages read. */
export const whoamiPage: ExtraRoutes = (app) => {
  app.get(WHOAMI_PATH, { preHandler: requireViewer }, async (request, reply) => {
    const principal = request.principal;
    const csrf = reply.generateCsrf();
    return reply
      .type('text/html; charset=utf-8')
      .send(`<p>Signed in as ${principal?.name ?? ''} (${principal?.role ?? ''}).</p><form method="post" action="/auth/logout"><input type="hidden" name="_csrf" value="${csrf}"></form>`);
  });
};

export interface ConsoleHarness {
  /** The Okta sandbox with the sample org (admin, viewer, non-member) and the console's client registered. */
  okta: ReturnType<typeof useSampleOrg>['okta'];
  store: () => Store;
  /** Milliseconds since the epoch: the store's and the console's clock. */
  clock: { now: number };
  /** Every log line written since the test started. */
  logLines: string[];
  /** Starts a server (stopped after the test); `console: false` leaves the console off. Resolves with its base URL. */
  start(options?: { console?: boolean; settings?: Partial<Extract<ConsoleSettings, { enabled: true }>>; routes?: ExtraRoutes }): Promise<string>;
  /** A session created in the store, as a sign-in would, and the signed cookie that carries it. */
  sessionCookie(role: ConsoleRole, email?: string): Promise<string>;
}

/** For a test file: the sandbox (once), and a fresh store, clock and log per test. */
export function useConsole(): ConsoleHarness {
  const { okta } = useSampleOrg({ oidc: { clients: [consoleClient({ consoleUrl: PUBLIC_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })] } });
  let store: Store | undefined;
  let servers: DaemonHttpServer[] = [];
  const clock = { now: Date.parse('2026-11-30T10:00:00Z') };
  const logLines: string[] = [];
  beforeEach(async () => {
    clock.now = Date.now();
    logLines.length = 0;
    store = await Store.open(':memory:', () => new Date(clock.now));
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
    await store?.close();
  });
  const openStore = (): Store => {
    if (!store) throw new Error('no store before the test starts');
    return store;
  };
  let sessions = 0;
  return {
    okta,
    store: openStore,
    clock,
    logLines,
    async start(options = {}) {
      const logger = createLogger('debug', { write: (line: string) => void logLines.push(line) } as unknown as NodeJS.WritableStream);
      const deps: ConsoleDeps = {
        store: openStore(),
        settings: () => [],
        explain: () => Promise.reject(new Error('not in these tests')),
        health: () => Promise.reject(new Error('not in these tests')),
        approvalTtlHours: 24,
        now: () => new Date(clock.now),
      } as unknown as ConsoleDeps;
      const extra = options.routes;
      const server = new DaemonHttpServer({
        host: '127.0.0.1',
        port: 0,
        metrics: new DaemonMetrics({ processMetrics: false }),
        readiness: async () => ({ ready: true, reasons: [], problems: [] }),
        hook: { path: '/hooks/okta', handler: async (_req, res) => void res.writeHead(204).end() },
        console:
          options.console === false
            ? undefined
            : {
                settings: consoleSettings(okta.issuer, options.settings),
                deps,
                logger: logger.child({ component: 'console' }),
                routes: (app, d) => {
                  registerConsoleRoutes(app, d);
                  whoamiPage(app);
                  extra?.(app);
                },
              },
        logger,
      });
      servers.push(server);
      const { port } = await server.listen();
      return `http://127.0.0.1:${port}`;
    },
    async sessionCookie(role, email = `${role}@example.com`) {
      sessions += 1;
      const id = `test-session-${sessions}-${Math.random().toString(36).slice(2)}`;
      await openStore().consoleSessions.create(id, { subject: `00u${role}`, email, name: null, role });
      return `dialsync_session=${encodeURIComponent(sign(id, SESSION_SECRET))}`;
    },
  };
}

/** A browser's cookie jar over fetch: keeps the cookies servers set (by name) and sends them back; no redirects followed. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every answer's status, headers and body, to look for secrets in. */
  readonly seen: string[] = [];

  /** Requests `url` with the jar's cookies; records what came back. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = await response.clone().text();
    this.seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${body}`);
    return response;
  }
}

/** The sandbox's sign-in form in `html`: where it posts and its transaction id. */
function signInForm(html: string): { action: string; transaction: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const transaction = /name="transaction" value="([^"]+)"/.exec(html)?.[1];
  if (action === undefined || transaction === undefined) throw new Error(`no sign-in form in ${html}`);
  return { action: action.replace(/&amp;/g, '&'), transaction };
}

/**
 * Signs `login` in through the console: /auth/login, the sandbox's sign-in form, then the callback on `base` (the
 * address Okta redirects to is PUBLIC_URL's; the request goes to the server under test). Resolves with the
 * callback's answer.
 */
export async function signIn(browser: Browser, base: string, login: string, password: string, returnTo = '/'): Promise<Response> {
  const start = await browser.fetch(`${base}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  if (start.status !== 302) throw new Error(`/auth/login answered ${start.status}`);
  const authorize = start.headers.get('location') ?? '';
  const form = signInForm(await (await fetch(authorize)).text());
  const submitted = await fetch(form.action, { method: 'POST', body: new URLSearchParams({ transaction: form.transaction, username: login, password }), redirect: 'manual' });
  const callback = new URL(submitted.headers.get('location') ?? '');
  if (`${callback.origin}${callback.pathname}` !== `${PUBLIC_URL}/auth/callback`) throw new Error(`Okta redirected to ${callback.href}`);
  return browser.fetch(`${base}/auth/callback${callback.search}`);
}

/** The CSRF token of the form on the page at `path` (its hidden `_csrf` field). */
export async function csrfTokenOf(browser: Browser, base: string, path = WHOAMI_PATH): Promise<string> {
  const html = await (await browser.fetch(`${base}${path}`)).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (token === undefined) throw new Error(`no CSRF token on ${path}: ${html}`);
  return token;
}
