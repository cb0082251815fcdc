// The admin console's security shell, registered by the daemon's HTTP server in a scope of its own (so its
// headers, cookies and sign-in check touch no probe, /metrics or the event hook): security headers, cookies,
// form bodies, CSRF tokens, who is signed in (a session or an API token), the sign-in routes, then the pages.
//
// CSRF: @fastify/csrf-protection in its session mode, with the session's CSRF secret derived from the session id
// (HMAC under the session secret; session-cookie.ts) rather than a cookie of its own: a token is then valid only
// for the session it was made for, is gone when that session ends, and costs no write.
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { ConsoleSettings } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { API_PREFIX } from './access.js';
import { bearerToken } from './api-token.js';
import { OidcSignIn } from './oidc-sign-in.js';
import { sessionPrincipal, tokenPrincipal, type Principal } from './principal.js';
import { sendFormExpired, wantsHtml } from './refusal-page.js';
import { registerConsoleRoutes, type ConsoleDeps } from './routes.js';
import { consoleCookies, csrfSecretOf, type ConsoleCookies } from './session-cookie.js';
import { registerSignInRoutes } from './sign-in-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The random session id of the request's valid session cookie; null without one. */
    consoleSessionId: string | null;
  }
}

/** What the console needs: its settings (enabled), what its pages read, and the logger. */
export interface ConsoleOptions {
  settings: Extract<ConsoleSettings, { enabled: true }>;
  /** Handed to the pages (registerConsoleRoutes); `store` and `now` serve the sign-in too. */
  deps: ConsoleDeps;
  logger: Logger;
  /** Registers the pages once sign-in is set up; default registerConsoleRoutes (tests add routes of their own). */
  routes?: (app: FastifyInstance, deps: ConsoleDeps) => void;
}

/** The codes @fastify/csrf-protection refuses a request with (403). */
const CSRF_ERRORS = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

/** Whether `path` belongs to the console's sign-in or API (a request to one that does not exist answers 404). */
export function isConsolePath(path: string): boolean {
  return path.startsWith(API_PREFIX) || path.startsWith('/auth/');
}

/**
 * Registers the console on `app` (call it in a scope of its own: `app.register(registerConsole, options)`):
 * helmet (CSP `default-src 'self'`, no inline script or style, `frame-ancestors 'none'`, forms only to itself and
 * the issuer; nosniff), signed cookies, url-encoded forms, CSRF tokens, the principal of each request, the sign-in
 * routes, then the pages' routes (registerConsoleRoutes). Discovery of the issuer waits for the first sign-in.
 */
export async function registerConsole(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  const { settings, deps, logger } = options;
  const cookies = consoleCookies(settings.publicUrl);
  const issuerOrigin = new URL(settings.issuer).origin;

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        // The sign-out form is answered with a redirect to Okta's end-session endpoint.
        formAction: ["'self'", issuerOrigin],
      },
    },
    // Strict-Transport-Security only when the console is served over https.
    strictTransportSecurity: cookies.options.secure === true,
    // The console's own pages send their address with a form post (a session that ended sends the browser back
    // there after signing in again); no other site ever learns a console address.
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie, { secret: settings.sessionSecret });
  await app.register(formbody);
  await app.register(csrf, { sessionPlugin: '@fastify/session' });

  app.decorate('consolePublicUrl', settings.publicUrl);
  // A browser's form with a missing or wrong CSRF token gets a page; anything else goes on to the server's handler.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (CSRF_ERRORS.has(error.code) && wantsHtml(request)) return sendFormExpired(reply);
    // A JSON body fastify could not parse (malformed, empty, a __proto__ key): the API's own 400 shape, naming it.
    if (String(error.code ?? '').startsWith('FST_ERR_CTP_') && error.statusCode === 400 && request.url.startsWith(API_PREFIX)) {
      return reply.code(400).header('cache-control', 'no-store').send({ error: 'invalid_input', field: 'body', message: 'the body is not valid JSON' });
    }
    throw error;
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('consoleSessionId', null);
  app.decorateRequest('session', null as unknown as { _csrf?: string });
  app.addHook('onRequest', async (request) => {
    request.session = {};
    const found = await principalOf(request, { settings, deps, cookies });
    request.principal = found?.principal ?? null;
    request.consoleSessionId = found?.sessionId ?? null;
    if (found?.sessionId) request.session = { _csrf: csrfSecretOf(found.sessionId, settings.sessionSecret) };
  });

  // `logger` already carries component: console; a second `component` would be a duplicate key in each line.
  const signInLogger = logger.child({ flow: 'sign-in' });
  const oidc = new OidcSignIn(
    { issuer: settings.issuer, clientId: settings.clientId, clientSecret: settings.clientSecret, redirectUri: `${settings.publicUrl}/auth/callback` },
    signInLogger,
  );
  registerSignInRoutes(app, {
    oidc,
    store: deps.store,
    cookies,
    groups: { adminGroup: settings.adminGroup, viewerGroup: settings.viewerGroup, groupsClaim: settings.groupsClaim },
    publicUrl: settings.publicUrl,
    signedOutUrl: `${settings.publicUrl}/signed-out`,
    expiry: { idleMinutes: settings.sessionIdleMinutes, maxHours: settings.sessionMaxHours },
    now: deps.now,
    logger: signInLogger,
  });
  (options.routes ?? registerConsoleRoutes)(app, deps);
}

/**
 * The principal of `request`: an API token in its Authorization header (a bearer credential that is not a
 * valid, unrevoked token signs nobody in, even with a session cookie), else its session cookie's session, if
 * signed, known and neither idle longer than sessionIdleMinutes nor older than sessionMaxHours (an expired session
 * is deleted). A token's use and a session's request are recorded (last_used_at, last_seen_at).
 */
async function principalOf(
  request: FastifyRequest,
  { settings, deps, cookies }: { settings: ConsoleOptions['settings']; deps: ConsoleDeps; cookies: ConsoleCookies },
): Promise<{ principal: Principal; sessionId: string | null } | null> {
  const token = bearerToken(request.headers.authorization);
  if (token !== undefined) {
    if (token === null) return null;
    const found = await deps.store.apiTokens.findActive(token);
    if (!found) return null;
    await deps.store.apiTokens.markUsed(found.id);
    return { principal: tokenPrincipal(found.name, found.role), sessionId: null };
  }
  const raw = request.cookies[cookies.session];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  const sessionId = unsigned.value;
  const session = await deps.store.consoleSessions.find(sessionId);
  if (!session) return null;
  const now = deps.now().getTime();
  const idle = now - Date.parse(session.lastSeenAt) > settings.sessionIdleMinutes * 60_000;
  const tooOld = now - Date.parse(session.createdAt) > settings.sessionMaxHours * 3_600_000;
  if (idle || tooOld) {
    await deps.store.consoleSessions.delete(sessionId);
    return null;
  }
  await deps.store.consoleSessions.touch(sessionId);
  return { principal: sessionPrincipal(session.email, session.role), sessionId };
}
