// A missing row is not proof of absence: listings that answer 200 but leave users out, on the Okta side and on the
// Dialpad side. After a first apply of the synced scenario org (21 users linked), the sandboxes' listings misbehave
// and a second apply must neither suspend nor create anyone on their word. Assertions are on both sides' state.
import { describe, expect, it } from 'vitest';
import { DialpadSandbox } from '../../../sandbox/dialpad/sandbox.js';
import { Store } from '../../../src/store/store.js';
import { applyInProcess, runInProcess, useSyncedScenario } from '../sync-scenario.js';

interface Report {
  counts: { assignments: number; dialpadUsers: number; offices: number };
  plan: {
    users: { email: string; actions: { kind: string }[] }[];
    warnings: { email: string | null; oktaUserId: string | null; message: string }[];
    withheld: { email: string; kind: string; reason: string }[];
  };
  held: { gate: string; users: number; counts: Record<string, number>; reason: string }[];
}

// Okta's rate-limit windows last a second here, not a minute: dialsync paces its reads by them. Several pages on
// both sides, so a left-out user can sit on any of them.
const given = useSyncedScenario({ dialpad: { pageSize: 5 }, okta: { rateLimits: { perMinuteWindowMs: 1000 } } }, 'dialpad:\n  requestsPerSecond: 20\nokta:\n  pageSize: 5\n');

function apply(...extra: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const world = given();
  return applyInProcess<Report>(world, ...extra);
}

function oktaId(login: string): string {
  const world = given();
  const user = world.okta.listUsers().find((u) => u.profile.login === login);
  if (!user) throw new Error(`no Okta user ${login}`);
  return user.id;
}

function dialpadUser(email: string) {
  const world = given();
  const user = world.dialpad.users().find((u) => u.emails[0] === email && u.state !== 'deleted');
  if (!user) throw new Error(`no Dialpad user ${email}`);
  return user;
}

function dialpadStates(): Record<string, string> {
  const world = given();
  return Object.fromEntries(world.dialpad.users().map((u) => [u.emails[0] ?? u.id, u.state]));
}

function clearRequests(): void {
  const world = given();
  world.okta.clearRequests();
  world.dialpad.clearRequests();
}

function dialpadWrites(): string[] {
  const world = given();
  return world.dialpad.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

/** An apply that must change nothing in Dialpad (and write nothing there): its exit code and report. */
async function applyChangingNothing(): Promise<{ code: number; report: Report }> {
  const before = dialpadStates();
  clearRequests();
  const run = await apply();
  expect(dialpadStates()).toEqual(before);
  expect(dialpadWrites()).toEqual([]);
  return run;
}

async function lastRunListingWarnings(): Promise<string[]> {
  const world = given();
  const store = await Store.open(world.database);
  try {
    const [run] = await store.runs.recent(1);
    return (run?.listingWarnings ?? []).map((w) => w.message);
  } finally {
    await store.close();
  }
}

describe('an Okta app-user listing that leaves out users who are still assigned', () => {
  it('keeps the left-out user (read by id), suspends the one really unassigned, warns and records it, exit 0', async () => {
    const world = given();
    const kept = oktaId('u7@acme.com');
    world.okta.faultListing({ omit: [kept] });
    world.okta.unassignUser(oktaId('u8@acme.com'));
    const before = dialpadStates();
    clearRequests();

    const { code, report } = await apply();
    expect(code).toBe(0);
    expect(dialpadStates()).toEqual({ ...before, 'u8@acme.com': 'suspended' });
    expect(dialpadWrites()).toEqual([`PATCH /api/v2/users/${dialpadUser('u8@acme.com').id}`]);
    // The absence of each was asked of Okta by id: the assignment (200 for u7, 404 for u8).
    const assignmentReads = world.okta.requests.filter((r) => r.method === 'GET' && /^\/api\/v1\/apps\/[^/]+\/users\/[^/]+$/.test(r.path));
    expect(assignmentReads.map((r) => `${r.path.split('/').pop()} ${r.status}`).sort()).toEqual([`${kept} 200`, `${oktaId('u8@acme.com')} 404`].sort());
    // 21 in scope, u8 gone: the left-out u7 counts as assigned.
    expect(report.counts.assignments).toBe(20);
    const warning = `Okta's app-user listing left out Okta user ${kept}, but reading the assignment by id found it still assigned: planned from that read, not suspended`;
    expect(report.plan.warnings).toContainEqual({ oktaUserId: kept, email: 'u7@acme.com', message: warning });
    expect(report.held).toEqual([]);
    expect(await lastRunListingWarnings()).toEqual([warning]);
  });

  it('with several left out, keeps them all and holds every suspend back (source health gate, exit 5) until a healthy listing', async () => {
    const world = given();
    const leftOut = ['u1@acme.com', 'u7@acme.com', 'n2@acme.com'].map(oktaId);
    world.okta.faultListing({ omit: leftOut });
    world.okta.unassignUser(oktaId('u8@acme.com'));
    const before = dialpadStates();
    const { code, report } = await applyChangingNothing();
    expect(code).toBe(5);
    expect(report.held).toEqual([expect.objectContaining({ gate: 'source-health', users: 1, counts: expect.objectContaining({ suspend: 1 }) })]);
    expect(report.held[0]?.reason).toBe("source health gate: Okta's listing left out 3 users who are still assigned (each read by id)");
    expect(report.plan.warnings.filter((w) => w.message.startsWith("Okta's app-user listing left out")).map((w) => w.oktaUserId).sort()).toEqual([...leftOut].sort());
    expect(await lastRunListingWarnings()).toHaveLength(3);

    world.okta.faultListing(null);
    const healthy = await apply();
    expect(healthy.code).toBe(0);
    expect(dialpadStates()).toEqual({ ...before, 'u8@acme.com': 'suspended' });
    expect(await lastRunListingWarnings()).toEqual([]);
  });

  it('a left-out user whose assignment cannot be read is skipped, not suspended', async () => {
    const world = given();
    const unreadable = oktaId('u7@acme.com');
    world.okta.faultListing({ omit: [unreadable] });
    world.okta.corruptAppUser(unreadable, { _embedded: { user: { profile: undefined } } });
    const before = dialpadStates();

    const { code, report } = await apply();
    expect(code).toBe(0);
    expect(dialpadStates()).toEqual(before);
    expect(report.plan.users.find((u) => u.email === 'u7@acme.com')).toBeUndefined();
  });
});

describe('a listing that leaves out more users than a run reads one by one', () => {
  /** 110 more synced users in New York, linked as a run would have left them (100 users per side are read one by one). */
  async function addSyncedUsers(): Promise<string[]> {
    const world = given();
    const newYork = world.dialpad.offices().find((office) => office.name === 'New York')?.id ?? '';
    const store = await Store.open(world.database);
    const ids: string[] = [];
    try {
      for (let i = 0; i < 110; i += 1) {
        const email = `bulk${i}@acme.com`;
        const number = `+1212556${String(1000 + i)}`;
        const oktaUserId = world.okta.createUser({ login: email, email, firstName: 'Bulk', lastName: `User${i}`, dialpadPhone: number });
        world.okta.assignUser(oktaUserId, { officeName: 'New York' });
        const dialpadUserId = world.dialpad.addUser({ email, firstName: 'Bulk', lastName: `User${i}`, officeId: newYork, license: 'talk', phoneNumbers: [number] });
        await store.links.save({ oktaUserId, dialpadUserId, origin: 'created' }, email);
        ids.push(oktaUserId);
      }
    } finally {
      await store.close();
    }
    return ids;
  }

  it('reads none of them, holds every suspend (exit 5); --allow-mass-changes reads them all and suspends only the one who left', async () => {
    const world = given();
    const bulk = await addSyncedUsers();
    world.okta.faultListing({ omit: bulk.slice(0, 101) });
    world.okta.unassignUser(oktaId('u8@acme.com'));
    const before = dialpadStates();
    const { code, report } = await applyChangingNothing();
    expect(code).toBe(5);
    const assignmentReads = () => world.okta.requests.filter((r) => r.method === 'GET' && /^\/api\/v1\/apps\/[^/]+\/users\/[^/]+$/.test(r.path));
    expect(assignmentReads()).toEqual([]);
    expect(report.held).toEqual([expect.objectContaining({ gate: 'source-health', users: 102, counts: expect.objectContaining({ suspend: 102 }) })]);
    expect(report.held[0]?.reason).toBe(
      "source health gate: Okta's listing left out 102 linked users, more than dialsync reads one by one in a run, so their absence is unproven",
    );

    clearRequests();
    const allowed = await apply('--allow-mass-changes');
    expect(allowed.code).toBe(0);
    expect(assignmentReads()).toHaveLength(102);
    expect(dialpadStates()).toEqual({ ...before, 'u8@acme.com': 'suspended' });
  }, 60_000);
});

describe('a Dialpad user listing that leaves out linked users', () => {
  it.each<[string, unknown]>([
    ['{"items":[]}', { items: [] }],
    ['{}: an empty page, as protobuf JSON writes it', {}],
  ])('answered %s: each linked user is read by id and kept, nobody is created or suspended, warnings', async (_name, body) => {
    const world = given();
    world.dialpad.faultListing('users', { body });
    const { code, report } = await applyChangingNothing();
    expect(code).toBe(0);
    expect(world.okta.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    // The 21 assigned users' Dialpad users, each read by id.
    const byId = world.dialpad.requests.filter((r) => r.method === 'GET' && /^\/api\/v2\/users\/\d+$/.test(r.path));
    expect(byId).toHaveLength(21);
    expect(report.plan.users).toEqual([]);
    expect(report.plan.warnings.filter((w) => w.message.startsWith("Dialpad's user listing left out"))).toHaveLength(21);
    expect(await lastRunListingWarnings()).toHaveLength(21);
  });

  it('holds the creation of a linked user Dialpad really lost, and every suspend, while the listing is unhealthy (exit 5)', async () => {
    const world = given();
    world.dialpad.faultListing('users', { body: { items: [] } });
    const lost = dialpadUser('u9@acme.com');
    const gone = await fetch(`${world.dialpad.url}/api/v2/users/${lost.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${world.dialpad.apiKey}` } });
    expect(gone.status).toBe(200);
    const { code, report } = await applyChangingNothing();
    expect(code).toBe(5);
    expect(report.held).toEqual([expect.objectContaining({ gate: 'dialpad-health', users: 1, counts: expect.objectContaining({ create: 1 }) })]);
    expect(report.held[0]?.reason).toBe('Dialpad health gate: Dialpad listed none of the 22 users dialsync manages');
    expect(report.plan.withheld).toContainEqual(expect.objectContaining({ email: 'u9@acme.com', kind: 'create' }));
    const text = await runInProcess(world, ['reconcile']);
    expect(text.code).toBe(5);
    expect(text.stdout).toContain('Held back by the Dialpad health gate: 1 create, 1 write-back (1 user) would not be applied');
    expect(text.stdout).toContain('  Why: Dialpad listed none of the 22 users dialsync manages.');

    // A person who checked lets it through: the lost user is created again, nobody else.
    const allowed = await apply('--allow-mass-changes');
    expect(allowed.code).toBe(0);
    expect(dialpadWrites().filter((w) => w === 'POST /api/v2/users')).toHaveLength(1);
    expect(dialpadUser('u9@acme.com').state).toBe('active');
  });

  it('several linked users left out of a long listing: kept, and a suspend is held by the Dialpad health gate', async () => {
    const world = given();
    world.dialpad.faultListing('users', { omit: ['u1@acme.com', 'n5@acme.com'].map((email) => dialpadUser(email).id) });
    world.okta.unassignUser(oktaId('u8@acme.com'));
    const { code, report } = await applyChangingNothing();
    expect(code).toBe(5);
    expect(report.held).toEqual([expect.objectContaining({ gate: 'dialpad-health', counts: expect.objectContaining({ suspend: 1 }) })]);
    expect(report.held[0]?.reason).toBe("Dialpad health gate: Dialpad's listing left out 2 linked users who are still there (each read by id)");
  });

  it('one linked user left out is kept with a warning, and the run goes on (exit 0)', async () => {
    const world = given();
    const missing = dialpadUser('n5@acme.com');
    world.dialpad.faultListing('users', { omit: [missing.id] });
    world.okta.unassignUser(oktaId('u8@acme.com'));
    const before = dialpadStates();

    const { code, report } = await apply();
    expect(code).toBe(0);
    expect(dialpadStates()).toEqual({ ...before, 'u8@acme.com': 'suspended' });
    expect(report.plan.warnings).toContainEqual({
      oktaUserId: null,
      email: 'n5@acme.com',
      message: `Dialpad's user listing left out Dialpad user ${missing.id}, but reading it by id found it: planned from that read, not created again`,
    });
  });
});

describe('another Dialpad company, accepted on purpose with `dialsync repin --dialpad-company`', () => {
  it('lets the creation of every linked user there through (a dry run first), and the Dialpad health gate is back after', async () => {
    const world = given();
    const other = new DialpadSandbox({ company: { id: '4700000000000000002', name: 'Other Corp' } });
    await other.start();
    try {
      other.addOffice({ name: 'New York', country: 'us', isPrimary: true, mainLine: '+12125550100' });
      other.addOffice({ name: 'San Francisco', country: 'us', mainLine: '+14155550100' });
      other.addOffice({ name: 'London', country: 'gb', mainLine: '+442071230000' });
      const env = { DIALPAD_BASE_URL: other.url, DIALPAD_API_KEY: other.apiKey };
      expect((await runInProcess(world, ['repin', '--dialpad-company'], env)).code).toBe(0);

      const dry = await runInProcess(world, ['reconcile', '--json'], env);
      expect(dry.code, dry.stderr).toBe(0);
      const planned = JSON.parse(dry.stdout) as Report;
      expect(planned.held).toEqual([]);
      expect(planned.plan.users.filter((u) => u.actions.some((a) => a.kind === 'create'))).toHaveLength(21);

      const applied = await runInProcess(world, ['reconcile', '--apply'], env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(other.users().filter((u) => u.state === 'active')).toHaveLength(21);

      // From now on the new company's listing is judged like any other.
      other.faultListing('users', { body: { items: [] } });
      const lost = other.users()[0];
      if (!lost) throw new Error('no user created');
      await fetch(`${other.url}/api/v2/users/${lost.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${other.apiKey}` } });
      const gated = await runInProcess(world, ['reconcile', '--apply'], env);
      expect(gated.code).toBe(5);
      expect(gated.stdout).toContain('Held back by the Dialpad health gate: 1 create');
    } finally {
      await other.stop();
    }
  });
});

describe('Dialpad answers of the wrong shape fail the run (exit 4); they are not an empty company', () => {
  it.each<[string, 'users' | 'offices', unknown]>([
    ['users answered {"users": []}', 'users', { users: [] }],
    ['users answered {"items": "none"}', 'users', { items: 'none' }],
    ['users answered with a list', 'users', []],
    ['offices answered {"offices": "none"}', 'offices', { offices: 'none' }],
    ['offices answered {}', 'offices', {}],
    ['offices answered {"items": []}', 'offices', { items: [] }],
    ['offices answered {"items": {}}', 'offices', { items: {} }],
  ])('%s', async (_name, listing, body) => {
    const world = given();
    world.dialpad.faultListing(listing, { body });
    world.okta.unassignUser(oktaId('u8@acme.com'));
    const before = dialpadStates();
    clearRequests();

    const run = await runInProcess(world, ['reconcile', '--apply']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/invalid|not a collection|no office/i);
    expect(dialpadStates()).toEqual(before);
    expect(dialpadWrites()).toEqual([]);
  });
});
