// Run now from the console: admins only (a viewer and a forged CSRF token are refused), the request written to the
// store for the leader and audited, the form sent back to the overview with a note, the overview showing the
// request that waits. (The leader carrying it out: test/daemon/run-request-taker.test.ts.)
import { describe, expect, it } from 'vitest';
import { useConsoleWorld, type ConsoleWorld } from './console-world.js';

const openWorld = useConsoleWorld();
const SESSION_ACTOR = 'okta:<script>alert(1)</script>@acme.com';

async function get(world: ConsoleWorld, url: string, as: string) {
  return world.app.inject({ method: 'GET', url, headers: { 'x-test-as': as } });
}

async function postForm(world: ConsoleWorld, url: string, form: string, as = 'session') {
  return world.app.inject({ method: 'POST', url, headers: { 'x-test-as': as, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
}

describe('run now', () => {
  it('gives an admin session the Run now button on the overview and the held page; a viewer gets none', async () => {
    const world = await openWorld();
    for (const path of ['/', '/held']) {
      const asAdmin = await get(world, path, 'session');
      expect(asAdmin.body, path).toMatch(/<form method="post" action="\/runs\/request" class="run-now-form">\n<input type="hidden" name="_csrf" value="[^"]+">\n<button type="submit">Run now<\/button>/);
      expect(asAdmin.body, path).toContain('started by the leader within 5 s');
      expect((await get(world, path, 'viewer')).body, path).not.toContain('action="/runs/request"');
    }
  });

  it('writes a request from the form, audited as the session, and sends it back to the overview saying when the leader starts it', async () => {
    const world = await openWorld();
    const answer = await postForm(world, '/runs/request', `_csrf=${encodeURIComponent(await world.csrfToken())}`);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/?run=requested');

    const pending = await world.store.runRequests.pending();
    expect(pending).toMatchObject({ kind: 'full', requestedBy: SESSION_ACTOR, takenBy: null, runId: null });
    expect(await world.store.audit.list({ limit: 10 })).toMatchObject([{ actor: SESSION_ACTOR, action: 'run_requested', detail: { requestId: pending?.id, alreadyWaiting: false } }]);

    const overview = await get(world, '/?run=requested', 'session');
    expect(overview.body).toContain('<p class="confirmation" role="status">A full run was requested; the leader starts it within 5 s.</p>');
    // Who asked, escaped, and since when.
    expect(overview.body).toContain(`A full run requested by okta:&lt;script&gt;alert(1)&lt;/script&gt;@acme.com since <time datetime="${pending?.requestedAt}">`);
    expect((await get(world, '/', 'viewer')).body).toContain('waits for the leader');
    expect((await get(world, '/api/overview', 'viewer')).json().runNow).toEqual({ pending, startsWithinSeconds: 5 });
  });

  it('answers the JSON twin 202 with the request; a second while it waits returns the same one, both audited', async () => {
    const world = await openWorld();
    const first = await world.app.inject({ method: 'POST', url: '/api/runs/request', headers: { 'x-test-as': 'admin' } });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ created: true, startsWithinSeconds: 5, request: { kind: 'full', requestedBy: 'token:ci', runId: null } });
    const second = await world.app.inject({ method: 'POST', url: '/api/runs/request', headers: { 'x-test-as': 'admin' }, payload: {} });
    expect(second.statusCode).toBe(202);
    expect(second.json()).toMatchObject({ created: false, request: { id: first.json().request.id } });
    expect((await world.store.audit.list({ limit: 10 })).map((e) => [e.actor, e.action, e.detail.alreadyWaiting])).toEqual([
      ['token:ci', 'run_requested', true],
      ['token:ci', 'run_requested', false],
    ]);
  });

  it('refuses a viewer, a session without the CSRF token or with a forged one, and anonymous callers: nothing written', async () => {
    const world = await openWorld();
    expect((await world.app.inject({ method: 'POST', url: '/api/runs/request', headers: { 'x-test-as': 'viewer' } })).statusCode).toBe(403);
    expect((await postForm(world, '/runs/request', `_csrf=${encodeURIComponent(await world.csrfToken())}`, 'viewer')).statusCode).toBe(403);
    expect((await postForm(world, '/runs/request', '')).statusCode).toBe(403);
    expect((await postForm(world, '/runs/request', '_csrf=forged')).statusCode).toBe(403);
    expect([401, 403]).toContain((await postForm(world, '/runs/request', '', 'nobody')).statusCode);
    expect(await world.store.runRequests.pending()).toBeNull();
    expect(await world.store.audit.list({ limit: 10 })).toEqual([]);
  });
});

describe('what started a run', () => {
  it('names who asked for a full run started by Run now, on the runs page, the run page and their JSON twins', async () => {
    const world = await openWorld();
    const { request } = await world.store.runRequests.request('okta:admin@acme.com');
    await world.store.runs.start('run-now-1', 'full', true);
    await world.store.runs.finish('run-now-1', 'succeeded', {});
    await world.store.runRequests.take('daemon@pod-a:7/0123abcd');
    await world.store.runRequests.finish(request.id, 'run-now-1');
    await world.store.runs.start('scheduled-1', 'full', true);
    await world.store.runs.finish('scheduled-1', 'succeeded', {});

    const runs = (await get(world, '/api/runs', 'viewer')).json().runs as { id: string; trigger: string }[];
    expect(runs.map((run) => [run.id, run.trigger]).sort()).toEqual([
      ['run-now-1', 'Run now by okta:admin@acme.com'],
      ['scheduled-1', 'schedule or start'],
    ]);
    expect((await get(world, '/runs', 'viewer')).body).toContain('Run now by okta:admin@acme.com');
    expect((await get(world, '/api/runs/run-now-1', 'viewer')).json().run.trigger).toBe('Run now by okta:admin@acme.com');
    expect((await get(world, '/runs/run-now-1', 'viewer')).body).toContain('<dt>Trigger</dt><dd>Run now by okta:admin@acme.com</dd>');
  });
});
