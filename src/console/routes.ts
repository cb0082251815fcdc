// The console's pages and their JSON twins: every page is a GET for viewers with the same data under /api/...;
// approve, dismiss and release are POSTs for admins (a form posts and is sent back to its page with a
// confirmation in the query string; the /api twin takes JSON and answers JSON). The web part calls
// registerConsoleRoutes once authentication, sessions and CSRF are set up.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requireAdmin, requireViewer } from './access.js';
import { CONSOLE_CSS } from './assets/console-css.js';
import { CONSOLE_JS } from './assets/console-js.js';
import type { ConsoleDeps } from './console-deps.js';
import { html, type Html } from './html.js';
import { ConsoleInputError, parseInput } from './input-error.js';
import { layout, type Section } from './layout.js';
import { auditQuery, loadAudit, renderAudit } from './pages/audit.js';
import { decideHeld, heldQuery, loadHeld, renderHeld } from './pages/held.js';
import { loadOverview, renderOverview } from './pages/overview.js';
import { loadQuarantine, quarantineQuery, releaseUsers, renderQuarantine } from './pages/quarantine.js';
import { loadRun, renderRun, runParams, runQuery, runTitle } from './pages/run.js';
import { loadRunNow, renderRunNow, requestRun, runNowQuery } from './pages/run-now.js';
import { loadRuns, renderRuns, runsQuery } from './pages/runs.js';
import { loadSettings, renderSettings } from './pages/settings.js';
import { loadUser, renderUser, USER_NOT_FOUND, userParams } from './pages/user.js';
import { renderUsers, searchUsers, usersQuery } from './pages/users.js';
import type { Principal } from './principal.js';
import { NothingSelectedError, parseHeldSelection, parseReleaseSelection, SelectionNotFoundError, type BodyFormat } from './selection.js';

export type { ConsoleDeps } from './console-deps.js';

const viewer = { preHandler: requireViewer };
const admin = { preHandler: requireAdmin };

/**
 * Registers the console on `app`: the static stylesheet and script, the pages (GET /, /runs, /runs/:id, /held,
 * /quarantine, /users, /users/:email, /audit, /settings) and their twins under /api, and the admin actions (POST
 * /held/approve, /held/dismiss, /quarantine/release, /runs/request, and under /api). A query or body that fails its schema is
 * answered 400 naming the field (a page: an HTML page; a twin: `{ error: 'invalid_input', field, message }`); an
 * unknown run 404; a JSON selection none of whose ids, user keys or cause matches 404 `{ error: 'not_found', field,
 * unknown }` (a form is sent back to its page with a note, as it is when nothing was ticked). Expects what the console plugin sets up first: `request.principal`, for a session
 * `reply.generateCsrf` (the CSRF plugin), and a form body parser.
 */
export function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get('/assets/console.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONSOLE_CSS));
  app.get('/assets/console.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONSOLE_JS));

  app.get('/', viewer, async (request, reply) => {
    const csrfToken = csrfFor(request, reply);
    const runNow = renderRunNow(await loadRunNow(deps), { principal: request.principal, csrfToken, requested: runNowQuery.safeParse(request.query).data?.run === 'requested' });
    return sendPage(request, reply, { title: 'Overview', section: '/' }, html`${runNow}${renderOverview(await loadOverview(deps))}`, csrfToken);
  });
  app.get('/api/overview', viewer, api(async () => ({ ...(await loadOverview(deps)), runNow: await loadRunNow(deps) })));
  // Run now: the leader starts the full run (any replica may serve this); the form comes back to the overview.
  app.post('/runs/request', admin, async (request, reply) => {
    await requestRun(deps, principalOf(request));
    return reply.redirect('/?run=requested', 303);
  });
  app.post(
    '/api/runs/request',
    admin,
    api(async (request, reply) => {
      void reply.code(202);
      return requestRun(deps, principalOf(request));
    }),
  );

  app.get('/runs', viewer, (request, reply) =>
    htmlErrors(request, reply, '/runs', async () => {
      const query = parseInput(runsQuery, request.query);
      return sendPage(request, reply, { title: 'Runs', section: '/runs' }, renderRuns(await loadRuns(deps, query)));
    }),
  );
  app.get('/api/runs', viewer, api((request) => loadRuns(deps, parseInput(runsQuery, request.query))));

  app.get('/runs/:id', viewer, (request, reply) =>
    htmlErrors(request, reply, '/runs', async () => {
      const { id } = parseInput(runParams, request.params);
      const view = await loadRun(deps, id, parseInput(runQuery, request.query));
      if (view === null) return sendPage(request, reply.code(404), { title: 'Run not found', section: '/runs' }, html`<p class="empty">No run has the id <code>${id}</code>.</p>`);
      return sendPage(request, reply, { title: runTitle(view), section: '/runs' }, renderRun(view));
    }),
  );
  app.get(
    '/api/runs/:id',
    viewer,
    api(async (request, reply) => {
      const { id } = parseInput(runParams, request.params);
      const view = await loadRun(deps, id, parseInput(runQuery, request.query));
      return view ?? reply.code(404).send({ error: 'not_found', message: `no run has the id ${id}` });
    }),
  );

  app.get('/held', viewer, (request, reply) =>
    htmlErrors(request, reply, '/held', async () => {
      const query = parseInput(heldQuery, request.query);
      const csrfToken = csrfFor(request, reply);
      const runNow = renderRunNow(await loadRunNow(deps), { principal: request.principal, csrfToken, requested: false });
      return sendPage(request, reply, { title: 'Held changes', section: '/held' }, html`${renderHeld(await loadHeld(deps), query, request.principal, csrfToken)}${runNow}`, csrfToken);
    }),
  );
  app.get('/api/held', viewer, api(() => loadHeld(deps)));
  for (const verb of ['approve', 'dismiss'] as const) {
    app.post(`/held/${verb}`, admin, (request, reply) =>
      htmlErrors(request, reply, '/held', async () => {
        try {
          const { actions, unknown } = await decideHeld(deps, principalOf(request), verb, parseHeldSelection(request.body, bodyFormat(request)));
          return reply.redirect(`/held?${verb === 'approve' ? 'approved' : 'dismissed'}=${actions.length}${unknown.length > 0 ? `&unknown=${unknown.length}` : ''}`, 303);
        } catch (error) {
          if (error instanceof NothingSelectedError) return reply.redirect('/held?none=ticked', 303);
          if (error instanceof SelectionNotFoundError) return reply.redirect('/held?none=held', 303);
          throw error;
        }
      }),
    );
    app.post(
      `/api/held/${verb}`,
      admin,
      api(async (request) => {
        const { actions, unknown } = await decideHeld(deps, principalOf(request), verb, parseHeldSelection(request.body, bodyFormat(request)));
        return { count: actions.length, actions, unknown };
      }),
    );
  }

  app.get('/quarantine', viewer, (request, reply) =>
    htmlErrors(request, reply, '/quarantine', async () => {
      const query = parseInput(quarantineQuery, request.query);
      const csrfToken = csrfFor(request, reply);
      return sendPage(request, reply, { title: 'Quarantine and failing users', section: '/quarantine' }, renderQuarantine(await loadQuarantine(deps), query, request.principal, csrfToken), csrfToken);
    }),
  );
  app.get('/api/quarantine', viewer, api(() => loadQuarantine(deps)));
  app.post('/quarantine/release', admin, (request, reply) =>
    htmlErrors(request, reply, '/quarantine', async () => {
      try {
        const { released, unknown } = await releaseUsers(deps, principalOf(request), parseReleaseSelection(request.body, bodyFormat(request)));
        return reply.redirect(`/quarantine?released=${released.length}${unknown.length > 0 ? `&unknown=${unknown.length}` : ''}`, 303);
      } catch (error) {
        if (error instanceof NothingSelectedError) return reply.redirect('/quarantine?none=ticked', 303);
        if (error instanceof SelectionNotFoundError) return reply.redirect('/quarantine?none=failing', 303);
        throw error;
      }
    }),
  );
  app.post(
    '/api/quarantine/release',
    admin,
    api(async (request) => {
      const { released, unknown } = await releaseUsers(deps, principalOf(request), parseReleaseSelection(request.body, bodyFormat(request)));
      return { count: released.length, released, unknown };
    }),
  );

  app.get('/users', viewer, (request, reply) =>
    htmlErrors(request, reply, '/users', async () => {
      const query = parseInput(usersQuery, request.query);
      return sendPage(request, reply, { title: 'Users', section: '/users' }, renderUsers(await searchUsers(deps, query)));
    }),
  );
  app.get('/api/users', viewer, api((request) => searchUsers(deps, parseInput(usersQuery, request.query))));
  app.get('/users/:email', viewer, (request, reply) =>
    htmlErrors(request, reply, '/users', async () => {
      const { email } = parseInput(userParams, request.params);
      return sendPage(request, reply, { title: email, section: '/users' }, renderUser(await loadUser(deps, email)));
    }),
  );
  app.get(
    '/api/users/:email',
    viewer,
    api(async (request, reply) => {
      const view = await loadUser(deps, parseInput(userParams, request.params).email);
      if (view.explainError?.code === USER_NOT_FOUND) return reply.code(404).send({ error: 'not_found', message: view.explainError.message });
      if (view.explainError) return reply.code(502).send({ error: 'upstream', message: view.explainError.message });
      return view;
    }),
  );

  app.get('/audit', viewer, (request, reply) =>
    htmlErrors(request, reply, '/audit', async () => {
      const query = parseInput(auditQuery, request.query);
      return sendPage(request, reply, { title: 'Audit', section: '/audit' }, renderAudit(await loadAudit(deps, query), query));
    }),
  );
  app.get('/api/audit', viewer, api((request) => loadAudit(deps, parseInput(auditQuery, request.query))));

  app.get('/settings', viewer, async (request, reply) => sendPage(request, reply, { title: 'Settings', section: '/settings' }, renderSettings(loadSettings(deps))));
  app.get('/api/settings', viewer, api(async () => loadSettings(deps)));
}

/** The CSRF token for a session's forms; a token principal posts JSON without one. */
function csrfFor(request: FastifyRequest, reply: FastifyReply): string {
  return request.principal?.kind === 'session' ? reply.generateCsrf() : '';
}

function sendPage(request: FastifyRequest, reply: FastifyReply, page: { title: string; section: Section }, body: Html, csrfToken = csrfFor(request, reply)): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(layout({ ...page, principal: request.principal, csrfToken }, body).text);
}

/** A page's refused query or form: 400 with a page naming the field (the /api twins answer fastify's JSON error). */
async function htmlErrors(request: FastifyRequest, reply: FastifyReply, section: Section, handle: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await handle();
  } catch (error) {
    if (!(error instanceof ConsoleInputError)) throw error;
    return sendPage(request, reply.code(400), { title: 'Not understood', section }, html`<p class="error">${error.message}</p><p><a href="${section}">Back</a></p>`);
  }
}

/** How the request's body came: a form (its own schema: strings) or anything else, parsed as JSON. */
function bodyFormat(request: FastifyRequest): BodyFormat {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') ? 'form' : 'json';
}

/**
 * A JSON twin's handler: its answer as JSON, never cached; a refused query or body answers 400
 * `{ error: 'invalid_input', field, message }` here, whatever error handler the app has; a selection matching
 * nothing 404 `{ error: 'not_found', field, unknown, message }`.
 */
function api(handle: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    try {
      return await handle(request, reply);
    } catch (error) {
      if (error instanceof SelectionNotFoundError) return reply.code(404).send({ error: error.code, field: error.field, unknown: error.unknown, message: error.message });
      if (!(error instanceof ConsoleInputError)) throw error;
      return reply.code(400).send({ error: error.code, field: error.field, message: error.message });
    }
  };
}

/** The principal the access check let through (requireViewer/requireAdmin ran first). */
function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('the console route ran without its access check');
  return request.principal;
}
