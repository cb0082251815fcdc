// PLACEHOLDER until the console's pages land: the pages part replaces this file with the real pages and their
// JSON twins. It keeps the interface they are called through (registerConsoleRoutes, ConsoleDeps) and serves one
// page, so the sign-in can be tried end to end.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.js';
import { requireViewer } from './access.js';
import { escapeHtml, plainPage } from './plain-page.js';

/**
 * What the console's pages read: the store, the effective settings, explain of one user, the daemon's health,
 * how long an approval lasts (hours) and the clock.
 */
export interface ConsoleDeps {
  store: Store;
  settings: () => unknown[];
  explain: (email: string) => Promise<unknown>;
  health: () => Promise<unknown>;
  approvalTtlHours: number;
  now: () => Date;
}

/** Registers the console's pages on `app`, the console's scope (sign-in and access checks are set up already). */
export function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  void deps;
  app.get('/', { preHandler: requireViewer }, async (request, reply) => {
    const principal = request.principal;
    const csrf = reply.generateCsrf();
    const body =
      `<p>Signed in as ${escapeHtml(principal?.name ?? '')} (${principal?.role ?? ''}).</p>` +
      `<form method="post" action="/auth/logout"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit">Sign out</button></form>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(plainPage('dialsync', body));
  });
}
