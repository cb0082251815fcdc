// The admin console in a real headless Chromium, served by a running daemon against both sandboxes: sign-in through
// the Okta sandbox's sign-in form, the overview's charts, a held suspend approved on the page and applied by the run
// started with Run now (exactly it), a quarantined user released on the page and tried again by the next run,
// sign-out. Screenshots of every page land in test-output/console/.
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleClient, type OidcClientRegistration } from '../../sandbox/okta/oidc-client.js';
import { CONSOLE_ADMINS_GROUP, CONSOLE_VIEWERS_GROUP, SAMPLE_CONSOLE_LOGINS, seedSampleOrg } from '../../sandbox/sample-org.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { dialpadUsersWithEmail, eventually, hire, startDaemon, startSandboxes, type RunningDaemon, type Sandboxes } from '../daemon/harness.js';

const SESSION_SECRET = 'browser-test-session-secret-0123456789abcdef';
/** Dialpad refuses job titles over 100 characters here: a user with one fails each run (and is quarantined). */
const LONG_TITLE = `Head of Global Voices${' Telephony'.repeat(10)}`;

let browser: Browser;
let sandboxes: Sandboxes | null = null;
let running: RunningDaemon | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await running?.stop();
  await sandboxes?.stop();
  running = null;
  sandboxes = null;
});

/** A port free right now: the console's public URL (registered with Okta) must be known before the daemon listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/**
 * The sample org in both sandboxes, a daemon serving the console on a known port (no scheduled run: the tests start
 * each run), the console's Okta client registered for that address. `safety` is merged into the config's.
 */
async function startConsole(safety: Record<string, unknown> = {}): Promise<{ base: string; running: RunningDaemon; sandboxes: Sandboxes; client: OidcClientRegistration }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const client = consoleClient({ consoleUrl: base });
  sandboxes = await startSandboxes({ okta: { oidc: { clients: [client] } } });
  seedSampleOrg(sandboxes.okta, sandboxes.dialpad);
  running = await startDaemon(sandboxes, {
    daemon: { port },
    rest: {
      safety,
      console: { enabled: true, publicUrl: base, issuer: sandboxes.okta.issuer, clientId: client.clientId, adminGroup: CONSOLE_ADMINS_GROUP, viewerGroup: CONSOLE_VIEWERS_GROUP },
    },
    env: { DIALSYNC_CONSOLE_CLIENT_SECRET: client.clientSecret, DIALSYNC_CONSOLE_SESSION_SECRET: SESSION_SECRET },
    runOnStart: false,
  });
  return { base, running, sandboxes, client };
}

/** Opens the console, follows the redirect to Okta's sign-in form and signs in; resolves on the page it lands on. */
async function signIn(page: Page, base: string, login: string, password: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/oauth2\/default\/v1\/authorize/);
  await page.fill('input[name="username"]', login);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"], input[type="submit"]')]);
}

/** Every Content-Security-Policy violation the page reports (none may happen: no inline script or style). */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe('the admin console in a browser', () => {
  it('signs an admin in through Okta, draws the overview charts, shows every page and signs out', async () => {
    const { base, running: daemon } = await startConsole();
    await daemon.daemon.requestFull();
    const page = await browser.newPage();
    const violations = watchCsp(page);
    await signIn(page, base, SAMPLE_CONSOLE_LOGINS.admin, sandboxes?.okta.userPassword ?? '');
    expect(new URL(page.url()).origin).toBe(base);
    await expect(page.locator('.who').textContent()).resolves.toContain(SAMPLE_CONSOLE_LOGINS.admin);

    // The overview's three charts, drawn as SVG: runs, actions per run, failures and 429s.
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBe(3);
    for (let i = 0; i < 3; i += 1) {
      const box = await charts.nth(i).boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(box?.height ?? 0).toBeGreaterThan(100);
    }
    // The full run drew a bar in the runs chart and stacked actions (creates) in the actions chart.
    expect(await charts.nth(0).locator('rect.bar, a rect').count()).toBeGreaterThan(0);
    expect(await charts.nth(1).locator('rect').count()).toBeGreaterThan(1);
    await saveScreenshot(page, 'overview');

    const runs = await daemon.store.runs.page({ limit: 1, offset: 0 });
    const runId = runs.runs[0]?.id ?? '';
    for (const [name, path, expected] of [
      ['runs', '/runs', 'full'],
      ['run', `/runs/${runId}`, 'create'],
      ['held', '/held', 'Held'],
      ['quarantine', '/quarantine', 'uarantin'],
      ['users', `/users?q=alice`, SAMPLE_CONSOLE_LOGINS.admin],
      ['user', `/users/${encodeURIComponent(SAMPLE_CONSOLE_LOGINS.admin)}`, 'New York'],
      ['audit', '/audit', 'sign_in'],
      ['settings', '/settings', 'console.sessionSecret'],
    ] as const) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status(), path).toBe(200);
      await expect(page.locator('main').textContent(), path).resolves.toContain(expected);
      await saveScreenshot(page, name);
    }
    // The session secret is shown as set, never its value.
    await page.goto(`${base}/settings`);
    expect(await page.content()).not.toContain(SESSION_SECRET);
    expect(violations).toEqual([]);

    // Sign-out ends the session: the console sends the browser to sign in again.
    await page.goto(`${base}/`);
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/auth/logout"] button')]);
    // Okta (the sandbox requires id_token_hint, as Okta does) took the sign-out and returned to /signed-out.
    await page.waitForURL(`${base}/signed-out`);
    const again = await browser.newContext({ storageState: await page.context().storageState() });
    const fresh = await again.newPage();
    await fresh.goto(`${base}/runs`);
    expect(fresh.url()).toMatch(/\/oauth2\/default\/v1\/authorize|\/auth\/login/);
    await again.close();
    await page.close();
  });

  it('refuses a user in neither console group, with a page that says so', async () => {
    const { base } = await startConsole();
    const page = await browser.newPage();
    await signIn(page, base, SAMPLE_CONSOLE_LOGINS.nonMember, sandboxes?.okta.userPassword ?? '');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain(SAMPLE_CONSOLE_LOGINS.nonMember);
    expect(text).toContain(CONSOLE_ADMINS_GROUP);
    await saveScreenshot(page, 'sign-in-refused');
    const response = await page.goto(`${base}/runs`);
    expect(page.url()).not.toBe(`${base}/runs`);
    expect(response?.status()).not.toBe(500);
    await page.close();
  });

  it('applies a held suspend approved on the page in the next run, exactly it: a suspend planned after is held again', async () => {
    // Every suspend is a mass change here: the guard holds any.
    const { base, running: daemon, sandboxes: world } = await startConsole({ massSuspend: { count: 0, percent: 0 } });
    await daemon.daemon.requestFull();
    const person = (first: string) => {
      const user = world.okta.listUsers().find((u) => String(u.profile.firstName).toLowerCase() === first);
      if (!user) throw new Error(`no sample user ${first}`);
      return { id: user.id, email: String(user.profile.email) };
    };
    const [leaver, later] = [person('carmen'), person('ivan')];
    world.okta.unassignUser(leaver.id);
    await daemon.daemon.requestFull();
    const held = await daemon.store.held.list();
    expect(held.map((h) => [h.email, h.kind])).toEqual([[leaver.email, 'suspend']]);

    const page = await browser.newPage();
    await signIn(page, base, SAMPLE_CONSOLE_LOGINS.admin, world.okta.userPassword);
    await page.goto(`${base}/held`);
    await saveScreenshot(page, 'held');
    await page.check(`input[name="ids"][value="${held[0]!.id}"]`);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Approve selected")')]);
    const approved = await daemon.store.held.list();
    expect(approved.map((h) => [h.email, h.decision, h.decidedBy])).toEqual([[leaver.email, 'approved', `okta:${SAMPLE_CONSOLE_LOGINS.admin}`]]);

    // Another user leaves after the approval: the run started from the page (Run now, carried out by the leader at
    // its next lease renewal) suspends exactly the approved one and holds the new one.
    world.okta.unassignUser(later.id);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Run now")')]);
    await expect(page.locator('main').textContent()).resolves.toContain('A full run was requested; the leader starts it within 5 s.');
    await saveScreenshot(page, 'run-now');
    const requested = (await daemon.store.audit.list({ limit: 20 })).find((e) => e.action === 'run_requested');
    expect(requested?.actor).toBe(`okta:${SAMPLE_CONSOLE_LOGINS.admin}`);
    await eventually(async () => (await daemon.store.runRequests.get(Number(requested?.detail.requestId)))?.runId ?? false, 15_000, 'the Run now carried out');
    const state = (email: string) => dialpadUsersWithEmail(world.dialpad, email)[0]?.state;
    expect(state(leaver.email)).toBe('suspended');
    expect(state(later.email)).toBe('active');
    expect((await daemon.store.held.list()).map((h) => [h.email, h.decision])).toEqual([[later.email, null]]);
    const audit = (await daemon.store.audit.list({ limit: 20 })).map((e) => [e.actor, e.action, e.target]);
    expect(audit).toContainEqual([`okta:${SAMPLE_CONSOLE_LOGINS.admin}`, 'approve', expect.stringContaining(leaver.email)]);
    expect(audit).toContainEqual(['dialsync', 'approval_applied', expect.stringContaining(leaver.email)]);
    await page.close();
  });

  it('puts a user released on the page back into the next run', async () => {
    const { base, running: daemon, sandboxes: world } = await startConsole({ quarantineAfter: 1 });
    world.dialpad.refuse({ method: 'PATCH', path: /^\/api\/v2\/users\/\d+$/, field: 'job_title', when: (value) => typeof value === 'string' && value.length > 100 });
    const quinn = 'quinn.long@example.com';
    const id = hire(world.okta, quinn, 'Quinn', 'Long');
    world.okta.updateProfile(id, { title: LONG_TITLE });
    await daemon.daemon.requestFull(); // the title fails: one failing run, quarantined from the next
    await daemon.daemon.requestFull();
    const runActions = async () => (await daemon.store.runActions.forUser({ email: quinn, limit: 50 })).map((a) => `${a.runId} ${a.kind} ${a.outcome}`);
    const before = await runActions();
    const latest = (await daemon.store.runs.page({ limit: 1, offset: 0 })).runs[0]!;
    expect(latest.skipped?.map((s) => [s.email, s.code])).toContainEqual([quinn, 'quarantined']);

    const page = await browser.newPage();
    await signIn(page, base, SAMPLE_CONSOLE_LOGINS.admin, world.okta.userPassword);
    await page.goto(`${base}/quarantine`);
    await expect(page.locator('main').textContent()).resolves.toContain(quinn);
    await saveScreenshot(page, 'quarantine');
    await Promise.all([page.waitForLoadState('load'), page.click(`tr:has-text("${quinn}") button:has-text("Release")`)]);
    expect((await daemon.store.audit.list({ limit: 5 })).map((e) => [e.actor, e.action])).toContainEqual([`okta:${SAMPLE_CONSOLE_LOGINS.admin}`, 'release']);

    await daemon.daemon.requestFull();
    const next = (await daemon.store.runs.page({ limit: 1, offset: 0 })).runs[0]!;
    expect(next.skipped?.map((s) => s.email) ?? []).not.toContain(quinn);
    const after = (await runActions()).filter((line) => !before.includes(line));
    expect(after.some((line) => line.startsWith(next.id) && / (update|set_job_title) failed$/.test(line))).toBe(true);
    await page.close();
  });
});
