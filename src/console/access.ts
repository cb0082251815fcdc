// The console's per-route access checks, as fastify preHandlers: a route states the least role it needs.
// Browsers without a session are sent to sign in (pages) or told 401 (/api); a viewer on an admin route gets
// 403; a session's state-changing request must carry its CSRF token (a token principal's need not: a browser
// never sends an Authorization header on its own, so a forged cross-site request cannot carry one).
import type {} from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleRole } from '../store/console-sessions.js';
import { API_PREFIX } from './api-prefix.js';
import { sendNotAllowed, sendSessionEnded, wantsHtml } from './refusal-page.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The console's public URL (config console.publicUrl), decorated on the console's scope. */
    consolePublicUrl?: string;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export { API_PREFIX } from './api-prefix.js';

/**
 * preHandler: anyone signed in (viewer or admin) passes. Without a principal: /api/* answers 401 JSON, a page's
 * GET redirects (302) to /auth/login (back here after sign-in), anything else 401. A session's request with
 * another method than GET/HEAD must carry its CSRF token (403 otherwise).
 */
export async function requireViewer(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireRole(request, reply, 'viewer');
}

/**
 * preHandler: only an admin passes; a viewer gets 403. Otherwise as requireViewer: sign-in first, and the CSRF
 * token (hidden form field `_csrf`, or the `x-csrf-token` header) on every state-changing request of a session.
 */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireRole(request, reply, 'admin');
}

async function requireRole(request: FastifyRequest, reply: FastifyReply, role: ConsoleRole): Promise<void> {
  const principal = request.principal;
  const api = request.url.startsWith(API_PREFIX);
  if (!principal) {
    if (api || !SAFE_METHODS.has(request.method)) {
      await refuse(request, reply, 401, api, 'sign-in required');
      return;
    }
    await reply.redirect(`/auth/login?returnTo=${encodeURIComponent(request.url)}`, 302);
    return;
  }
  if (role === 'admin' && principal.role !== 'admin') {
    await refuse(request, reply, 403, api, `${principal.name} may view but not change (the admin role is needed)`);
    return;
  }
  if (principal.kind === 'session' && !SAFE_METHODS.has(request.method)) await verifyCsrf(request, reply);
}

/** Runs the CSRF plugin's check; on a missing or wrong token it has answered 403 already. */
function verifyCsrf(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve) => {
    request.server.csrfProtection(request, reply, () => resolve());
    // A refusal sends the reply without calling next.
    if (reply.sent) resolve();
    else reply.raw.once('finish', () => resolve());
  });
}

async function refuse(request: FastifyRequest, reply: FastifyReply, status: 401 | 403, api: boolean, message: string): Promise<void> {
  if (wantsHtml(request)) {
    // A browser's form: a page saying what happened and what to do.
    await (status === 401 ? sendSessionEnded(request, reply, request.server.consolePublicUrl) : sendNotAllowed(reply, message));
    return;
  }
  void reply.code(status).header('cache-control', 'no-store');
  if (api) await reply.type('application/json; charset=utf-8').send({ error: status === 401 ? 'unauthorized' : 'forbidden', message });
  else await reply.type('text/plain; charset=utf-8').send(status === 401 ? 'Sign in first.' : `Forbidden: ${message}`);
}
