// The console's sign-in and sign-out routes: GET /auth/login sends the browser to Okta; GET /auth/callback checks
// Okta's answer, gives the user a role from the groups claim (or a clear refusal) and starts a server-side
// session; POST /auth/logout ends it (CSRF-checked); GET /signed-out says so. Each sign-in, refusal and
// sign-out is audited.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { requireViewer } from './access.js';
import { roleFromGroups, type RoleGroups } from './group-role.js';
import { type OidcSignIn, type PendingSignIn, SignInError } from './oidc-sign-in.js';
import { safeReturnTo } from './return-to.js';
import { MAX_COOKIE_BYTES, newSessionId, type ConsoleCookies } from './session-cookie.js';
import { escapeHtml } from './html.js';
import { plainPage } from './plain-page.js';

/** What the sign-in routes need. */
export interface SignInRoutesOptions {
  oidc: OidcSignIn;
  store: Store;
  cookies: ConsoleCookies;
  groups: RoleGroups & { groupsClaim: string };
  /** The console's public URL (config console.publicUrl): the only origin a sign-in returns to. */
  publicUrl: string;
  /** Where Okta returns after its sign-out: publicUrl + '/signed-out'. */
  signedOutUrl: string;
  /** The sessions' idle and absolute expiry (config console.sessionIdleMinutes, sessionMaxHours). */
  expiry: { idleMinutes: number; maxHours: number };
  now: () => Date;
  logger: Logger;
}

/** Seconds a sign-in may take between /auth/login and /auth/callback. */
const SIGN_IN_MAX_AGE_SECONDS = 600;

const pendingSchema = z.object({ state: z.string(), nonce: z.string(), codeVerifier: z.string(), returnTo: z.string() });

/** Registers /auth/login, /auth/callback, /auth/logout and /signed-out on `app` (the console's scope). */
export function registerSignInRoutes(app: FastifyInstance, options: SignInRoutesOptions): void {
  const { oidc, store, cookies, groups, logger } = options;

  app.get('/auth/login', async (request, reply) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo, options.publicUrl);
    let started;
    try {
      started = await oidc.start(returnTo);
    } catch (error) {
      logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'console sign-in could not start: Okta unreachable');
      return sendPage(reply, 503, 'Sign-in unavailable', '<p>Okta could not be reached to sign you in. Try again in a moment.</p>');
    }
    void reply.setCookie(cookies.signIn, JSON.stringify(started.pending), { ...cookies.options, maxAge: SIGN_IN_MAX_AGE_SECONDS });
    return reply.header('cache-control', 'no-store').redirect(started.url.href, 302);
  });

  app.get('/auth/callback', async (request, reply) => {
    const pending = readPending(request.cookies[cookies.signIn], (value) => request.unsignCookie(value), options.publicUrl);
    void reply.clearCookie(cookies.signIn, { path: '/' });
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    if (!pending) return sendPage(reply, 400, 'Sign-in expired', '<p>This sign-in was not started here or took too long.</p><p><a href="/auth/login">Sign in again</a></p>');
    let user;
    try {
      user = await oidc.finish(query, pending);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      logger.warn({ err: { message: error.message } }, 'console sign-in failed');
      return sendPage(reply, 400, 'Sign-in failed', `<p>Okta's answer could not be accepted (${escapeHtml(error.message)}).</p><p><a href="/auth/login">Sign in again</a></p>`);
    }
    const actor = `okta:${user.email}`;
    const role = roleFromGroups(user.claims[groups.groupsClaim], groups);
    if (role === null) {
      const needed = groups.viewerGroup ? `${groups.adminGroup} or ${groups.viewerGroup}` : groups.adminGroup;
      await store.audit.record({ actor, action: 'sign_in_refused', target: null, detail: { reason: 'not_in_group', groups: needed } });
      logger.warn({ email: user.email }, 'console sign-in refused: not a member of the console groups');
      // Signing in again would sign the same Okta user in again: "someone else" ends the Okta session first.
      const endOkta = await oidc.endSessionUrl(options.signedOutUrl, user.idToken);
      const twoGroups = Boolean(groups.viewerGroup);
      return sendPage(
        reply,
        403,
        'Not allowed',
        `<p>You are signed in to Okta as <strong>${escapeHtml(user.email)}</strong>, which is not a member of <strong>${escapeHtml(needed)}</strong>.</p>` +
          `<p>Ask an Okta administrator to add you to ${twoGroups ? 'one of those groups' : 'that group'}, then <a href="/auth/login">sign in again</a>.</p>` +
          (endOkta ? `<p><a href="${escapeHtml(endOkta.href)}">Sign in as someone else</a> (signs you out of Okta first).</p>` : ''),
      );
    }
    // Sessions nobody came back to are removed here (each one found expired on a request is removed then).
    const now = options.now().getTime();
    await store.consoleSessions.prune({ idleBefore: new Date(now - options.expiry.idleMinutes * 60_000), createdBefore: new Date(now - options.expiry.maxHours * 3_600_000) });
    // A new id at each sign-in (no session fixation); a session this browser had before ends here.
    if (request.consoleSessionId !== null) await store.consoleSessions.delete(request.consoleSessionId);
    const sessionId = newSessionId();
    await store.consoleSessions.create(sessionId, { subject: user.subject, email: user.email, name: user.name, role });
    await store.audit.record({ actor, action: 'sign_in', target: null, detail: { role } });
    logger.info({ email: user.email, role }, 'console sign-in');
    const maxAge = Math.round(options.expiry.maxHours * 3600);
    void reply.setCookie(cookies.session, sessionId, { ...cookies.options, maxAge });
    // The ID token, for the sign-out's id_token_hint: in a cookie of its own (sent only to /auth/logout), never
    // in the store. One too large for a cookie is left out; the sign-out then sends client_id alone.
    const signedIdToken = reply.signCookie(user.idToken);
    if (`${cookies.idToken}=${encodeURIComponent(signedIdToken)}`.length <= MAX_COOKIE_BYTES) {
      void reply.setCookie(cookies.idToken, signedIdToken, { ...cookies.idTokenOptions, signed: false, maxAge });
    } else {
      logger.warn({ email: user.email, bytes: user.idToken.length }, 'console sign-in: the ID token is too large for a cookie; sign-out will send client_id only');
      void reply.clearCookie(cookies.idToken, { path: cookies.idTokenOptions.path });
    }
    return reply.header('cache-control', 'no-store').redirect(pending.returnTo, 303);
  });

  app.post('/auth/logout', { preHandler: requireViewer }, async (request, reply) => {
    const principal = request.principal;
    const sessionId = request.consoleSessionId;
    if (principal?.kind !== 'session' || sessionId === null) return reply.code(400).send({ error: 'bad request', message: 'an API token is not signed in: revoke it instead' });
    await store.consoleSessions.delete(sessionId);
    await store.audit.record({ actor: principal.actor, action: 'sign_out', target: null });
    void reply.clearCookie(cookies.session, { path: '/' });
    const idToken = readSigned(request.cookies[cookies.idToken], (value) => request.unsignCookie(value));
    void reply.clearCookie(cookies.idToken, { path: cookies.idTokenOptions.path });
    const endSession = await oidc.endSessionUrl(options.signedOutUrl, idToken);
    return reply.redirect(endSession?.href ?? '/signed-out', 303);
  });

  app.get('/signed-out', (_request, reply) => sendPage(reply, 200, 'Signed out', '<p>You are signed out of the dialsync console.</p><p><a href="/auth/login">Sign in again</a></p>'));
}

/** The value of a signed cookie, or null when it is missing or its signature does not match. */
function readSigned(cookie: string | undefined, unsign: (value: string) => { valid: boolean; value: string | null }): string | null {
  if (!cookie) return null;
  const unsigned = unsign(cookie);
  return unsigned.valid ? unsigned.value : null;
}

function readPending(cookie: string | undefined, unsign: (value: string) => { valid: boolean; value: string | null }, publicUrl: string): PendingSignIn | null {
  if (!cookie) return null;
  const unsigned = unsign(cookie);
  if (!unsigned.valid || unsigned.value === null) return null;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(unsigned.value));
    return parsed.success ? { ...parsed.data, returnTo: safeReturnTo(parsed.data.returnTo, publicUrl) } : null;
  } catch {
    return null;
  }
}

function sendPage(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(plainPage(title, body));
}
