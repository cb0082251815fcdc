// The console's pages and JSON twins on a real store: status codes, what each page and twin shows, and approve,
// dismiss and release changing the store's rows and writing audit events. (Who may call what is the web part's.)
import { describe, expect, it } from 'vitest';
import { OktaError } from '../../src/okta/errors.js';
import type { HeldActionInput } from '../../src/store/held-actions.js';
import { action, ANN, NOW, useConsoleWorld, type ConsoleWorld } from './console-world.js';

const openWorld = useConsoleWorld();

const held = (email: string, kind: 'suspend' | 'delete' = 'suspend'): HeldActionInput => ({
  userKey: `00u-${email}`,
  oktaUserId: `00u-${email}`,
  dialpadUserId: `d-${email}`,
  email,
  kind,
  gate: 'mass-change',
  reason: 'mass-change guard: 40 suspends are more than 10 and 5 %',
});

async function get(world: ConsoleWorld, url: string, as = 'viewer') {
  return world.app.inject({ method: 'GET', url, headers: { 'x-test-as': as } });
}

async function postForm(world: ConsoleWorld, url: string, form: string, as = 'session') {
  return world.app.inject({ method: 'POST', url, headers: { 'x-test-as': as, 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
}

async function postJson(world: ConsoleWorld, url: string, body: unknown, as = 'admin') {
  return world.app.inject({ method: 'POST', url, headers: { 'x-test-as': as }, payload: body as object });
}

/** No inline script or style anywhere in a page (the CSP would block it). */
function expectNoInlineCode(page: string): void {
  expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
}

describe('the overview', () => {
  it('shows health, counts and the three charts of the last 30 days; /api/overview answers the same data', async () => {
    const world = await openWorld();
    await world.store.links.save({ oktaUserId: '00u-ann', dialpadUserId: '501', origin: 'created' }, 'ann@acme.com');
    await world.run('run-1', { startedAt: '2026-11-28T10:00:00.000Z', seconds: 12, actions: [action('ann@acme.com'), action('bob@acme.com', { kind: 'update' })], counts: { dialpadThrottled: 3, unmanagedUsers: 4 } });
    await world.run('run-2', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 30, outcome: 'partial', actions: [action('cy@acme.com', { outcome: 'failed', error: 'no license' })], counts: { failedActions: 1 } });
    await world.run('old', { startedAt: '2026-10-01T10:00:00.000Z', seconds: 5 });
    await world.store.held.settle({ runId: 'run-2', held: [held('dan@acme.com')], scope: 'all', done: [] });

    const page = await get(world, '/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('daemon@pod-1:7');
    expect(page.body).toContain('Dialpad: <span class="badge badge-refused">refused</span>');
    expect(page.body).toContain('<code>dialpad_credentials</code>');
    for (const id of ['chart-runs', 'chart-actions', 'chart-failures']) expect(page.body).toMatch(new RegExp(`<svg id="${id}" class="chart-svg" role="img" aria-label="[^"]+"`));
    expect(page.body.match(/<rect class="bar outcome-/g)).toHaveLength(2);
    expect(page.body).toContain('<rect class="bar outcome-partial" data-run="run-2"');
    expectNoInlineCode(page.body);

    const api = await get(world, '/api/overview');
    expect(api.statusCode).toBe(200);
    const overview = api.json();
    expect(overview.counts).toEqual({ managed: 1, unmanaged: null, failing: 0, quarantined: 0, held: 1 });
    expect(overview.charts.runs.map((run: { id: string; durationMs: number; outcome: string }) => [run.id, run.durationMs, run.outcome])).toEqual([
      ['run-1', 12_000, 'succeeded'],
      ['run-2', 30_000, 'partial'],
    ]);
    expect(overview.charts.actions).toEqual([
      { runId: 'run-1', startedAt: '2026-11-28T10:00:00.000Z', counts: { create: 1, update: 1 }, runs: 1, day: null },
      { runId: 'run-2', startedAt: '2026-11-29T10:00:00.000Z', counts: { create: 1 }, runs: 1, day: null },
    ]);
    expect(overview.charts.days).toHaveLength(30);
    // The window: the 30 whole UTC days up to today's end, the charts' time axis.
    expect([overview.since, overview.until]).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(overview.charts.days.at(-3)).toEqual({ day: '2026-11-28', failures: 0, dialpadThrottled: 3, oktaThrottled: 0 });
    expect(overview.charts.days.at(-2)).toEqual({ day: '2026-11-29', failures: 1, dialpadThrottled: 0, oktaThrottled: 0 });
    expect(overview.health.leader).toBe('daemon@pod-1:7');
  });

  it('says when the next full run is due and on what schedule; after an approval the held page says so too', async () => {
    const world = await openWorld({ nextFullRun: () => new Date('2026-11-30T11:00:00.000Z') });
    const overview = await get(world, '/');
    expect(overview.body).toContain('<p class="next-run">Next full run: <time datetime="2026-11-30T11:00:00.000Z">2026-11-30 11:00:00Z</time> (<code>0 * * * *</code> in UTC)</p>');
    expect((await get(world, '/api/overview')).json().nextFullRun).toEqual({ at: '2026-11-30T11:00:00.000Z', schedule: '0 * * * *', timezone: 'UTC' });
    const held = await get(world, '/held?approved=2', 'session');
    expect(held.body).toContain('Approved actions are applied by the next full run (<time datetime="2026-11-30T11:00:00.000Z">2026-11-30 11:00:00Z</time>) or press Run now.');
    // Without a schedule handed in the pages do not guess.
    const plain = await openWorld();
    expect((await get(plain, '/')).body).not.toContain('Next full run:');
    expect((await get(plain, '/held?approved=1', 'session')).body).toContain('Approved actions are applied by the next full run or press Run now.');
  });

  it('shows each chart’s empty state when there is no run', async () => {
    const world = await openWorld();
    const page = await get(world, '/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('>No runs in the last 30 days</text>');
    expect(page.body).toContain('>No run in the last 30 days had an action</text>');
  });
});

describe('the runs', () => {
  it('lists runs newest first with their counts, filtered by outcome, kind and user; /api/runs the same', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-28T10:00:00.000Z', seconds: 12, actions: [action('ann@acme.com')] });
    await world.run('run-2', { kind: 'incremental', startedAt: '2026-11-29T10:00:00.000Z', seconds: 2, outcome: 'failed', error: 'Okta: 503 <html>' });

    const page = await get(world, '/runs');
    expect(page.statusCode).toBe(200);
    expect(page.body.indexOf('/runs/run-2')).toBeLessThan(page.body.indexOf('/runs/run-1'));
    expect(page.body).toContain('<td>System Log</td>');
    expect(page.body).toContain('Okta: 503 &lt;html&gt;');
    expect(page.body).toContain('<td>0 min 12 s</td>');

    expect((await get(world, '/api/runs?outcome=failed')).json()).toMatchObject({ total: 1, runs: [{ id: 'run-2', durationMs: 2000 }] });
    expect((await get(world, '/api/runs?kind=full')).json()).toMatchObject({ total: 1, runs: [{ id: 'run-1' }] });
    expect((await get(world, '/api/runs?user=ANN@acme.com')).json()).toMatchObject({ total: 1, runs: [{ id: 'run-1' }] });
    expect((await get(world, '/runs?outcome=&kind=&user=')).statusCode).toBe(200);
    const none = await get(world, '/runs?outcome=partial');
    expect(none.body).toContain('No run matches these filters.');
  });

  it('refuses a filter it does not know with 400 naming the field', async () => {
    const world = await openWorld();
    const api = await get(world, '/api/runs?outcome=bogus');
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ error: 'invalid_input', field: 'outcome' });
    expect(api.json().message).toMatch(/^outcome: /);
    const page = await get(world, '/runs?page=0');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('<p class="error">page: ');
  });

  it('shows one run’s plan grouped by action kind in the CLI’s words, with outcomes, errors, skips, warnings and what it held', async () => {
    const world = await openWorld();
    await world.run('run-1', {
      startedAt: '2026-11-29T10:00:00.000Z',
      seconds: 40,
      outcome: 'partial',
      actions: [
        action('<script>x</script>@acme.com'),
        action('bob@acme.com', { kind: 'move_office', reason: 'office attribute changed' }),
        action('cy@acme.com', { outcome: 'failed', error: 'Dialpad: no Talk license left' }),
        action('dan@acme.com', { kind: 'suspend', outcome: 'held', gate: 'mass-change', reason: 'unassigned from the app' }),
        action('<script>x</script>@acme.com', { kind: 'set_job_title', reason: "Dialpad's create takes no job title: set right after" }),
      ],
    });
    await world.store.runs.recordSkipped('run-1', [{ oktaUserId: '00u-eve', email: 'eve@acme.com', code: 'missing_email', reason: 'no email attribute' }]);
    await world.store.runs.recordListingWarnings('run-1', [{ oktaUserId: '00u-fay', email: 'fay@acme.com', message: 'left out of the listing' }]);
    await world.store.held.settle({ runId: 'run-1', held: [held('dan@acme.com')], scope: 'all', done: [] });

    const page = await get(world, '/runs/run-1');
    expect(page.statusCode).toBe(200);
    const create = page.body.indexOf('<h3>Create (2)</h3>');
    const move = page.body.indexOf('<h3>Move office (1)</h3>');
    const suspend = page.body.indexOf('<h3>Suspend (1)</h3>');
    // The job title apply sets right after a create has a title of its own, and comes right after the creates.
    const title = page.body.indexOf('<h3>Set job title (after a create) (1)</h3>');
    expect(create).toBeGreaterThan(0);
    expect(create).toBeLessThan(title);
    expect(title).toBeLessThan(move);
    expect(page.body).not.toContain('set_job_title');
    expect(move).toBeLessThan(suspend);
    expect(page.body).toContain('&lt;script&gt;x&lt;/script&gt;@acme.com');
    expect(page.body).not.toContain('<script>x');
    expect(page.body).toContain('Dialpad: no Talk license left');
    expect(page.body).toContain('<code>missing_email</code>');
    expect(page.body).toContain('left out of the listing');
    expect(page.body).toContain('<h2 id="held-h">Held (1)</h2>');
    expectNoInlineCode(page.body);

    const api = await get(world, '/api/runs/run-1?outcome=failed');
    expect(api.json()).toMatchObject({ total: 1, actions: [{ email: 'cy@acme.com', error: 'Dialpad: no Talk license left' }], held: [{ email: 'dan@acme.com' }] });
    // The held table names the action in words too.
    expect(page.body).toMatch(/<td><a href="\/users\/dan%40acme.com">dan@acme.com<\/a><\/td><td>Suspend<\/td>/);
    expect(api.json().run.skipped).toEqual([{ oktaUserId: '00u-eve', email: 'eve@acme.com', code: 'missing_email', reason: 'no email attribute' }]);
  });

  it('marks a run that held changes with "held N" next to its outcome, and says on its page what was held by which gate', async () => {
    const world = await openWorld();
    const heldAction = (email: string) => action(email, { kind: 'suspend', outcome: 'held', gate: 'mass-change' });
    await world.run('run-held', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4, actions: [heldAction('ann@acme.com'), heldAction('bob@acme.com'), action('cy@acme.com')], counts: { heldActions: 2 } });
    await world.run('run-plain', { startedAt: '2026-11-29T11:00:00.000Z', seconds: 4, counts: { heldActions: 0 } });
    const list = await get(world, '/runs');
    expect(list.body).toContain('<span class="badge badge-succeeded">succeeded</span> <a href="/held" class="badge badge-held" title="suspends and deletes held back: see Held changes">held 2</a>');
    expect(list.body.match(/badge-held"/g)).toHaveLength(1);
    const page = await get(world, '/runs/run-held');
    expect(page.body).toContain('<p class="note" role="status">2 suspends held by the mass-change guard — see <a href="/held">Held changes</a>.</p>');
    expect(page.body).toContain('<dt>Outcome</dt><dd><span class="badge badge-succeeded">succeeded</span> <a href="/held" class="badge badge-held"');
    expect((await get(world, '/api/runs/run-held')).json()).toMatchObject({ run: { outcome: 'succeeded', heldActions: 2 }, heldByGate: [{ kind: 'suspend', gate: 'mass-change', count: 2 }] });
    expect((await get(world, '/runs/run-plain')).body).not.toContain('held by the');
  });

  it('answers 404 for a run it does not know', async () => {
    const world = await openWorld();
    expect((await get(world, '/runs/nope')).statusCode).toBe(404);
    expect((await get(world, '/api/runs/nope')).json()).toEqual({ error: 'not_found', message: 'no run has the id nope' });
  });
});

describe('held changes', () => {
  it('lists what is held, and gives an admin session a form with checkboxes and the CSRF token; a viewer only reads', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4 });
    await world.store.held.settle({ runId: 'run-1', held: [held('ann@acme.com'), held('bob@acme.com', 'delete')], scope: 'all', done: [] });
    const [first] = await world.store.held.list();

    const asAdmin = await get(world, '/held', 'session');
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.body).toMatch(/<form method="post" action="\/held\/approve" class="decisions">\n<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(asAdmin.body).toContain(`<input type="checkbox" name="ids" value="${first?.id}"`);
    expect(asAdmin.body).toContain('<button type="submit" name="all" value="true">Approve all</button>');
    expect(asAdmin.body).toContain('formaction="/held/dismiss"');
    expect(asAdmin.body).toContain('mass-change guard: 40 suspends');
    // The guard's reason names the command-line ways; the page says how they differ from Approve.
    expect(asAdmin.body).toContain('Approve lets through only the actions listed here.');
    expectNoInlineCode(asAdmin.body);

    const asViewer = await get(world, '/held');
    expect(asViewer.body).not.toContain('<form method="post" action="/held/approve"');
    expect((await get(world, '/api/held')).json()).toMatchObject({ approvalTtlHours: 24, held: [{ email: 'ann@acme.com', kind: 'suspend' }, { email: 'bob@acme.com', kind: 'delete' }] });
  });

  it('approves the selected actions for approvalTtlHours as the session’s actor, audited, and sends the form back with a confirmation', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4 });
    await world.store.held.settle({ runId: 'run-1', held: [held('ann@acme.com'), held('bob@acme.com')], scope: 'all', done: [] });
    const [ann] = await world.store.held.list();

    const answer = await postForm(world, '/held/approve', `_csrf=${encodeURIComponent(await world.csrfToken())}&ids=${ann?.id}`);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/held?approved=1');
    const rows = await world.store.held.list();
    expect(rows.map((row) => [row.email, row.decision, row.decidedBy, row.expiresAt])).toEqual([
      ['ann@acme.com', 'approved', 'okta:<script>alert(1)</script>@acme.com', new Date(NOW.getTime() + 24 * 3_600_000).toISOString()],
      ['bob@acme.com', null, null, null],
    ]);
    expect(await world.store.audit.list({ limit: 10 })).toMatchObject([{ actor: 'okta:<script>alert(1)</script>@acme.com', action: 'approve', target: 'ann@acme.com' }]);

    const confirmation = await get(world, '/held?approved=1', 'session');
    expect(confirmation.body).toContain('Approved 1 held action: the next run applies it if still planned for the same users, within 24 h.');
  });

  it('approves all and dismisses a selection through the JSON twins', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4 });
    await world.store.held.settle({ runId: 'run-1', held: [held('ann@acme.com'), held('bob@acme.com')], scope: 'all', done: [] });
    const [, bob] = await world.store.held.list();

    const approved = await postJson(world, '/api/held/approve', { all: true });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ count: 2, actions: [{ decision: 'approved', decidedBy: 'token:ci' }, { decision: 'approved' }] });

    const dismissed = await postJson(world, '/api/held/dismiss', { ids: [bob?.id] });
    expect(dismissed.json()).toMatchObject({ count: 1, actions: [{ email: 'bob@acme.com', decision: 'dismissed', expiresAt: null }] });
    expect((await world.store.audit.list({ limit: 10 })).map((e) => [e.action, e.target])).toEqual([
      ['dismiss', 'bob@acme.com'],
      ['approve', 'bob@acme.com'],
      ['approve', 'ann@acme.com'],
    ]);
  });

  it('refuses a body without ids or all, or with ids that are not ids, with 400 naming the field', async () => {
    const world = await openWorld();
    const empty = await postJson(world, '/api/held/approve', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'invalid_input', field: 'ids' });
    const bad = await postJson(world, '/api/held/dismiss', { ids: ['x'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'ids.0' });
  });

  it('refuses ambiguous or loose JSON: two selectors, ids that are not JSON numbers, all: false, an unknown field', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4 });
    await world.store.held.settle({ runId: 'run-1', held: [held('ann@acme.com'), held('bob@acme.com')], scope: 'all', done: [] });
    const [ann] = await world.store.held.list();
    const refusals: [unknown, string][] = [
      [{ ids: [ann?.id], all: true }, 'all'],
      [{ ids: [String(ann?.id)] }, 'ids.0'],
      [{ ids: [true] }, 'ids.0'],
      [{ ids: [[ann?.id]] }, 'ids.0'],
      [{ ids: [0] }, 'ids.0'],
      [{ ids: [1.5] }, 'ids.0'],
      [{ ids: ann?.id }, 'ids'],
      [{ ids: [] }, 'ids'],
      [{ all: false }, 'all'],
      [{ all: 'true' }, 'all'],
      [{ everything: true }, 'everything'],
    ];
    for (const [body, field] of refusals) {
      const answer = await postJson(world, '/api/held/approve', body);
      expect([JSON.stringify(body), answer.statusCode, answer.json().field]).toEqual([JSON.stringify(body), 400, field]);
    }
    expect((await world.store.held.list()).map((row) => row.decision)).toEqual([null, null]);
  });

  it('acts on the ids that match and lists the unknown ones; 404 naming them when none match', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4 });
    await world.store.held.settle({ runId: 'run-1', held: [held('ann@acme.com'), held('bob@acme.com')], scope: 'all', done: [] });
    const [ann] = await world.store.held.list();

    const none = await postJson(world, '/api/held/approve', { ids: [9001, 9002] });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: 'not_found', field: 'ids', unknown: [9001, 9002] });
    expect(await world.store.audit.list({ limit: 10 })).toEqual([]);

    const some = await postJson(world, '/api/held/approve', { ids: [ann?.id, 9001] });
    expect(some.statusCode).toBe(200);
    expect(some.json()).toMatchObject({ count: 1, actions: [{ email: 'ann@acme.com', decision: 'approved' }], unknown: [9001] });

    const form = await postForm(world, '/held/dismiss', `_csrf=${encodeURIComponent(await world.csrfToken())}&ids=${ann?.id}&ids=9001`);
    expect(form.headers.location).toBe('/held?dismissed=1&unknown=1');
    expect((await get(world, '/held?dismissed=1&unknown=1', 'session')).body).toContain('1 of the actions ticked was no longer held: left alone.');
    const stale = await postForm(world, '/held/approve', `_csrf=${encodeURIComponent(await world.csrfToken())}&ids=9001`);
    expect(stale.headers.location).toBe('/held?none=held');
  });

  it('sends a form posted with nothing ticked back to the page with a note; a form’s digits are ids, its "all" button wins', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4 });
    await world.store.held.settle({ runId: 'run-1', held: [held('ann@acme.com'), held('bob@acme.com')], scope: 'all', done: [] });
    const [ann] = await world.store.held.list();
    const csrf = encodeURIComponent(await world.csrfToken());

    const nothing = await postForm(world, '/held/approve', `_csrf=${csrf}`);
    expect([nothing.statusCode, nothing.headers.location]).toEqual([303, '/held?none=ticked']);
    expect((await get(world, '/held?none=ticked', 'session')).body).toContain('<p class="note" role="status">Tick at least one action first.</p>');
    expect((await postForm(world, '/held/approve', `_csrf=${csrf}&ids=x`)).statusCode).toBe(400);

    const all = await postForm(world, '/held/approve', `_csrf=${csrf}&ids=${ann?.id}&all=true`);
    expect(all.headers.location).toBe('/held?approved=2');
  });
});

describe('quarantine', () => {
  async function failures(world: ConsoleWorld): Promise<void> {
    for (const [i, runId] of ['r1', 'r2', 'r3'].entries()) {
      world.at(`2026-11-2${i + 1}T10:00:00.000Z`);
      await world.store.userErrors.record({ userKey: '00u-bob', oktaUserId: '00u-bob', email: 'bob@acme.com', runId, action: 'create', message: 'Dialpad: no Talk license left in office <Berlin>', cause: 'dialpad.bad_request' });
    }
    await world.store.userErrors.record({ userKey: '00u-cy', oktaUserId: '00u-cy', email: 'cy@acme.com', runId: 'r3', action: 'update', message: 'Dialpad: 500', cause: 'dialpad.server_error' });
    await world.store.userErrors.record({ userKey: '00u-dan', oktaUserId: '00u-dan', email: 'dan@acme.com', runId: 'r3', action: 'create', message: 'Dialpad: 400', cause: 'dialpad.bad_request' });
    world.at(NOW.toISOString());
  }

  it('lists failing and quarantined users with the last error, cause and since when; /api/quarantine the same', async () => {
    const world = await openWorld();
    await failures(world);
    const page = await get(world, '/quarantine', 'session');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<span class="badge badge-quarantined">quarantined</span>');
    expect(page.body).toContain('no Talk license left in office &lt;Berlin&gt;');
    expect(page.body).toContain('<button type="submit" name="cause" value="dialpad.bad_request" class="secondary">Release all with this cause</button>');
    expect(page.body).toContain('<input type="checkbox" name="userKeys" value="00u-cy"');
    expectNoInlineCode(page.body);
    const api = (await get(world, '/api/quarantine')).json();
    expect(api.quarantineAfter).toBe(3);
    expect(api.causes).toEqual([
      { cause: 'dialpad.bad_request', users: 2 },
      { cause: 'dialpad.server_error', users: 1 },
    ]);
    expect(api.users.map((u: { email: string; quarantined: boolean; firstFailedAt: string }) => [u.email, u.quarantined])).toEqual(
      expect.arrayContaining([
        ['bob@acme.com', true],
        ['cy@acme.com', false],
        ['dan@acme.com', false],
      ]),
    );
    expect(api.users.find((u: { email: string }) => u.email === 'bob@acme.com').firstFailedAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('releases every user sharing a cause from the form, audited with the actor, and says how many', async () => {
    const world = await openWorld();
    await failures(world);
    const answer = await postForm(world, '/quarantine/release', `_csrf=${encodeURIComponent(await world.csrfToken())}&cause=dialpad.bad_request`);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/quarantine?released=2');
    expect((await world.store.userErrors.failing()).map((u) => u.email)).toEqual(['cy@acme.com']);
    const events = await world.store.audit.list({ limit: 10 });
    expect(events.map((e) => [e.actor, e.action, e.target])).toEqual(
      expect.arrayContaining([
        ['okta:<script>alert(1)</script>@acme.com', 'release', 'bob@acme.com'],
        ['okta:<script>alert(1)</script>@acme.com', 'release', 'dan@acme.com'],
      ]),
    );
    expect(events).toHaveLength(2);
    expect(events.find((e) => e.target === 'bob@acme.com')?.detail).toEqual({ userKey: '00u-bob', cause: 'dialpad.bad_request' });
    expect((await get(world, '/quarantine?released=2')).body).toContain('Released 2 users: the next run tries them again.');
  });

  it('releases one user by its row’s button, whatever boxes are ticked', async () => {
    const world = await openWorld();
    await failures(world);
    expect((await get(world, '/quarantine', 'session')).body).toContain('<button type="submit" name="one" value="00u-cy" class="secondary">Release</button>');
    const answer = await postForm(world, '/quarantine/release', `_csrf=${encodeURIComponent(await world.csrfToken())}&userKeys=00u-bob&one=00u-cy`);
    expect(answer.headers.location).toBe('/quarantine?released=1');
    expect((await world.store.userErrors.failing()).map((u) => u.email).sort()).toEqual(['bob@acme.com', 'dan@acme.com']);
  });

  it('releases a selection by user key, or all, through the JSON twin', async () => {
    const world = await openWorld();
    await failures(world);
    const one = await postJson(world, '/api/quarantine/release', { userKeys: ['00u-cy'] });
    expect(one.json()).toMatchObject({ count: 1, released: [{ email: 'cy@acme.com', consecutiveFailures: 0 }] });
    const rest = await postJson(world, '/api/quarantine/release', { all: true });
    expect(rest.json().count).toBe(2);
    expect(await world.store.userErrors.failing()).toEqual([]);
    expect((await world.store.audit.list({ limit: 10 })).map((e) => e.actor)).toEqual(['token:ci', 'token:ci', 'token:ci']);
    const none = await postJson(world, '/api/quarantine/release', { cause: '' });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ field: 'cause' });
  });

  it('refuses two selectors or a loose body; 404 for keys or a cause matching nobody failing; a form with nothing ticked gets a note', async () => {
    const world = await openWorld();
    await failures(world);
    for (const [body, field] of [
      [{ userKeys: ['00u-cy'], cause: 'dialpad.server_error' }, 'cause'],
      [{ cause: 'dialpad.server_error', all: true }, 'all'],
      [{ userKeys: '00u-cy' }, 'userKeys'],
      [{ userKeys: [7] }, 'userKeys.0'],
      [{ all: false }, 'all'],
      [{ one: '00u-cy' }, 'one'],
    ] as const) {
      const answer = await postJson(world, '/api/quarantine/release', body);
      expect([JSON.stringify(body), answer.statusCode, answer.json().field]).toEqual([JSON.stringify(body), 400, field]);
    }
    const unknownCause = await postJson(world, '/api/quarantine/release', { cause: 'okta.nothing' });
    expect([unknownCause.statusCode, unknownCause.json()]).toMatchObject([404, { error: 'not_found', field: 'cause', unknown: ['okta.nothing'] }]);
    const unknownKeys = await postJson(world, '/api/quarantine/release', { userKeys: ['00u-zed'] });
    expect([unknownKeys.statusCode, unknownKeys.json()]).toMatchObject([404, { error: 'not_found', field: 'userKeys', unknown: ['00u-zed'] }]);
    const some = await postJson(world, '/api/quarantine/release', { userKeys: ['00u-cy', '00u-zed'] });
    expect(some.json()).toMatchObject({ count: 1, released: [{ userKey: '00u-cy' }], unknown: ['00u-zed'] });

    const nothing = await postForm(world, '/quarantine/release', `_csrf=${encodeURIComponent(await world.csrfToken())}`);
    expect([nothing.statusCode, nothing.headers.location]).toEqual([303, '/quarantine?none=ticked']);
    expect((await get(world, '/quarantine?none=ticked', 'session')).body).toContain('Tick at least one user first.');
  });
});

describe('users', () => {
  it('finds users by part of the email over links and run actions, escaped', async () => {
    const world = await openWorld();
    await world.store.links.save({ oktaUserId: '00u-ann', dialpadUserId: '501', origin: 'created' }, 'ann@acme.com');
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4, actions: [action('<script>anna</script>@acme.com'), action('bob@acme.com')] });
    const page = await get(world, '/users?q=ANN');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/users/ann%40acme.com">ann@acme.com</a>');
    expect(page.body).toContain('&lt;script&gt;anna&lt;/script&gt;@acme.com');
    expect(page.body).not.toContain('<script>anna');
    expect(page.body).not.toContain('bob@acme.com');
    const api = (await get(world, '/api/users?q=ann')).json();
    expect(api.users).toEqual([
      { email: '<script>anna</script>@acme.com', name: null, oktaUserId: '00u-<script>anna</script>@acme.com', dialpadUserId: null, link: null, managed: false, oktaStatus: null, foundIn: ['run'] },
      { email: 'ann@acme.com', name: null, oktaUserId: '00u-ann', dialpadUserId: '501', link: 'created', managed: true, oktaStatus: null, foundIn: ['link'] },
    ]);
    // Without an Okta search the page says it searches dialsync's records by email.
    expect(api.okta).toBe('unavailable');
    expect((await get(world, '/users')).body).toContain('name="q"');
  });

  it('finds users assigned in Okta by name, merged with the store: name, email, whether dialsync manages them', async () => {
    const asked: string[] = [];
    const world = await openWorld({
      searchUsers: async (q) => {
        asked.push(q);
        return {
          users: [
            { oktaUserId: '00u-ann', email: 'ann@acme.com', login: 'ann@acme.com', name: 'Ann Lee', status: 'ACTIVE' },
            { oktaUserId: '00u-zoe', email: 'zoe.lee@acme.com', login: 'zoe.lee@acme.com', name: 'Zoe <b>Lee</b>', status: 'ACTIVE' },
          ],
          more: false,
        };
      },
    });
    await world.store.links.save({ oktaUserId: '00u-ann', dialpadUserId: '501', origin: 'created' }, 'ann@acme.com');
    await world.run('run-1', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4, actions: [action('zoe.lee@acme.com', { userKey: '00u-zoe', oktaUserId: '00u-zoe', outcome: 'failed', error: 'no license' })] });
    const api = (await get(world, '/api/users?q=Lee')).json();
    expect(asked).toEqual(['Lee']);
    expect(api.okta).toBe('searched');
    expect(api.users).toEqual([
      { email: 'ann@acme.com', name: 'Ann Lee', oktaUserId: '00u-ann', dialpadUserId: '501', link: 'created', managed: true, oktaStatus: 'ACTIVE', foundIn: ['okta', 'link'] },
      { email: 'zoe.lee@acme.com', name: 'Zoe <b>Lee</b>', oktaUserId: '00u-zoe', dialpadUserId: null, link: null, managed: false, oktaStatus: 'ACTIVE', foundIn: ['okta', 'run'] },
    ]);
    const page = await get(world, '/users?q=Lee');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<th scope="col">Name</th><th scope="col">Managed by dialsync</th>');
    expect(page.body).toContain('<td><a href="/users/ann%40acme.com">ann@acme.com</a></td><td>Ann Lee</td><td>yes (created)</td>');
    expect(page.body).toContain('<td>Zoe &lt;b&gt;Lee&lt;/b&gt;</td><td>not yet: assigned in Okta, no link</td>');
    expect(page.body).toContain('assigned in Okta, recent run');
    expectNoInlineCode(page.body);
  });

  it('shows the store’s matches and a note, not an error, when Okta cannot be searched', async () => {
    const world = await openWorld({ searchUsers: () => Promise.reject(new OktaError({ code: 'rate_limited', message: 'searching the users assigned to Okta app 0oa1: Okta answered 429' })) });
    await world.store.links.save({ oktaUserId: '00u-ann', dialpadUserId: '501', origin: 'adopted' }, 'ann@acme.com');
    const page = await get(world, '/users?q=ann');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Okta could not be searched (Okta: searching the users assigned to Okta app 0oa1: Okta answered 429)');
    expect(page.body).toContain('<td><a href="/users/ann%40acme.com">ann@acme.com</a></td><td>—</td><td>yes (adopted)</td>');
    const api = await get(world, '/api/users?q=ann');
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({ okta: 'failed', oktaError: expect.stringContaining('Okta answered 429'), users: [{ email: 'ann@acme.com', managed: true, foundIn: ['link'] }] });
  });

  it('explains a user and lists its history across runs; /api/users/:email the same', async () => {
    const world = await openWorld();
    await world.run('run-1', { startedAt: '2026-11-28T10:00:00.000Z', seconds: 4, actions: [action('ann@acme.com', { userKey: '00u-ann', oktaUserId: '00u-ann' })] });
    await world.run('run-2', { startedAt: '2026-11-29T10:00:00.000Z', seconds: 4, actions: [action('ann@acme.com', { userKey: '00u-ann', oktaUserId: '00u-ann', kind: 'suspend', outcome: 'held', gate: 'mass-change' })] });
    const page = await get(world, '/users/ann%40acme.com');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('office &quot;Berlin&quot; names the Berlin office');
    expect(page.body).toContain('<td>Office</td><td>Berlin (9), rule name</td>');
    expect(page.body).toContain('<td>job_title</td><td>Staff Engineer</td><td>Engineer</td><td>Staff Engineer</td><td>adopt</td><td>adopted</td>');
    expect(page.body).toContain('<td>office</td><td>Berlin (9)</td><td>Berlin (9)</td><td>Berlin (9)</td><td>revert</td><td>in step</td>');
    expect(page.body).toContain('<p>1 suspend held back</p>');
    expect(page.body).toContain('<h2 id="history-h">History (2)</h2>');
    expect(page.body.indexOf('/runs/run-2')).toBeLessThan(page.body.indexOf('/runs/run-1'));
    // Each run named by its start, each action by its title.
    expect(page.body).toContain('<a href="/runs/run-2"><time datetime="2026-11-29T10:00:00.000Z">2026-11-29 10:00:00Z</time></a></td><td>Suspend</td>');
    expectNoInlineCode(page.body);
    const api = (await get(world, '/api/users/ann%40acme.com')).json();
    expect(api.explanation).toEqual(ANN);
    expect(api.history.map((a: { runId: string; kind: string }) => [a.runId, a.kind])).toEqual([
      ['run-2', 'suspend'],
      ['run-1', 'create'],
    ]);
  });

  it('says so when nobody holds the email, and still shows the history', async () => {
    const world = await openWorld();
    const page = await get(world, '/users/nobody%40acme.com');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Neither Okta, a link nor a live Dialpad user holds nobody@acme.com.');
    const api = await get(world, '/api/users/nobody%40acme.com');
    expect([api.statusCode, api.json()]).toEqual([404, { error: 'not_found', message: 'nobody@acme.com is neither an Okta user nor a user dialsync has linked' }]);
  });

  it('shows a note and the history when Okta cannot be asked; the API answers 502 upstream', async () => {
    const world = await openWorld({ explain: () => Promise.reject(new OktaError({ code: 'network', message: 'Okta could not be reached: connect ECONNREFUSED' })) });
    await world.run('run-1', { startedAt: '2026-11-28T10:00:00.000Z', seconds: 4, actions: [action('ann@acme.com')] });
    const page = await get(world, '/users/ann%40acme.com');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p class="note" role="status">Explain could not ask Okta or Dialpad now: Okta could not be reached: connect ECONNREFUSED. What is held and the history below come from the database.</p>');
    expect(page.body).toContain('<h2 id="history-h">History (1)</h2>');
    const api = await get(world, '/api/users/ann%40acme.com');
    expect(api.statusCode).toBe(502);
    expect(api.json()).toMatchObject({ error: 'upstream', message: expect.stringContaining('Okta could not be reached') });
  });
});

describe('audit and settings', () => {
  it('lists audit events newest first, a page at a time', async () => {
    const world = await openWorld();
    for (let i = 0; i < 101; i++) await world.store.audit.record({ actor: 'okta:<b>@acme.com', action: 'sign_in', target: null, detail: { n: i } });
    const first = (await get(world, '/api/audit')).json();
    expect(first.events).toHaveLength(100);
    expect(first.events[0].detail).toEqual({ n: 100 });
    const older = (await get(world, `/api/audit?before=${first.nextBefore}`)).json();
    expect(older).toMatchObject({ events: [{ detail: { n: 0 } }], nextBefore: null });
    const page = await get(world, '/audit');
    expect(page.body).toContain('okta:&lt;b&gt;@acme.com');
    expect(page.body).toContain('<td>signed in <code class="detail">sign_in</code></td>');
    expect(page.body).toContain(`<a rel="next" href="/audit?before=${first.nextBefore}">Older →</a>`);
    expect((await get(world, '/api/audit?before=x')).statusCode).toBe(400);
  });

  it('shows each setting with its source, a secret only as set or not set', async () => {
    const world = await openWorld();
    const page = await get(world, '/settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<td><code>okta.apiToken</code></td><td><span class="badge badge-set">set</span></td><td>environment</td>');
    expect(page.body).toContain('dialsync-admins, &lt;b&gt;x&lt;/b&gt;');
    expect((await get(world, '/api/settings')).json().settings).toHaveLength(3);
  });
});

describe('assets', () => {
  it('serves the one stylesheet and the one script as static files', async () => {
    const world = await openWorld();
    const css = await world.app.inject({ method: 'GET', url: '/assets/console.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('.outcome-failed');
    const js = await world.app.inject({ method: 'GET', url: '/assets/console.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('select-all');
  });
});
