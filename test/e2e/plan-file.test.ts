// Plan files end to end against the sandbox: `reconcile --out` then `apply` carries out exactly the file; a user
// changed in between (Okta profile, Dialpad user) is refused and named while the others are applied (exit 9); an
// edited file and a changed config are refused whole (exit 10) with nothing written; a file holding more suspends
// than the mass-change guard allows is applied (the file is the approval); a second apply writes nothing.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/reconcile/user-fingerprint.js';
import { RUN_LOCK } from '../../src/store/leases.js';
import { runCliInProcess } from './in-process-cli.js';
import { useWorld } from './use-world.js';
import { hire } from './world.js';

const given = useWorld();

interface ApplyJson {
  runId: string;
  outcome: string;
  refused: { email: string; changes: string[] }[];
  inStep: { email: string; changes: string[] }[];
  plan: { users: { email: string; actions: { kind: string }[] }[] };
  result: { actions: { email: string; kind: string; outcome: string }[] };
  rates?: { dialpad: { ceiling: number; current: number; throttled: number }; okta: Record<string, { throttled: number } | undefined> };
}

function planPath(): string {
  return join(dirname(given().world.database), 'plan.json');
}

/** `reconcile --out plan.json --json`: its exit code and the file. */
async function planOut(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; file: Record<string, unknown> }> {
  const run = await given().world.cli('reconcile', '--out', planPath(), '--json', ...args);
  return { ...run, file: JSON.parse(readFileSync(planPath(), 'utf8')) as Record<string, unknown> };
}

async function apply(...args: string[]): Promise<{ code: number; report: ApplyJson | null; stdout: string; stderr: string }> {
  const run = await given().world.cli('apply', planPath(), '--json', ...args);
  let report: ApplyJson | null = null;
  try {
    const parsed = JSON.parse(run.stdout) as ApplyJson | { error: unknown };
    if (!('error' in parsed)) report = parsed;
  } catch {
    report = null;
  }
  return { ...run, report };
}

/** An admin's edit in Dialpad's portal, through the API (then the requests are cleared). */
async function editInDialpad(id: string, patch: Record<string, unknown>): Promise<void> {
  const { world } = given();
  const answer = await fetch(`${world.dialpad.url}/api/v2/users/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${world.dialpad.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  expect(answer.status).toBe(200);
}

/** Writes `file` to the plan path after `edit`, with its checksum recomputed: a deliberate edit, not an accidental one. */
function forge(file: Record<string, unknown>, edit: (body: Record<string, unknown>) => void): void {
  const { checksum: _old, ...body } = structuredClone(file);
  edit(body);
  writeFileSync(planPath(), JSON.stringify({ ...body, checksum: sha256(body) }));
}

/** The `--json` error of a refused command. */
function errorOf(stdout: string): { message: string; exitCode: number; reason?: string } {
  return (JSON.parse(stdout) as { error: { message: string; exitCode: number; reason?: string } }).error;
}

function hireThree(): Record<'ann' | 'bob' | 'cat', string> {
  const { world } = given();
  return {
    ann: hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'New York' }),
    bob: hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Kim', title: 'Designer' }, { officeName: 'New York' }),
    cat: hire(world.okta, { login: 'cat@acme.com', firstName: 'Cat', lastName: 'Roe', title: 'Manager' }, { officeName: 'New York' }),
  };
}

describe('reconcile --out, then apply', () => {
  it('applies exactly the file; applying it again writes nothing and creates nobody twice', async () => {
    const { world } = given();
    const ids = hireThree();
    const out = await planOut();
    expect(out.code).toBe(0);
    expect(statSync(planPath()).mode & 0o777).toBe(0o600);
    expect(out.file).toMatchObject({ format: 'dialsync-plan', version: 1 });
    expect((out.file.users as { email: string }[]).map((u) => u.email).sort()).toEqual(['ann@acme.com', 'bob@acme.com', 'cat@acme.com']);
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpad.users()).toEqual([]);

    // A user hired after the plan was made is not in it: the file is applied, not a new plan.
    hire(world.okta, { login: 'dan@acme.com', firstName: 'Dan', lastName: 'Fox' }, { officeName: 'New York' });
    world.clearRequests();
    const first = await apply();
    expect(first.code).toBe(0);
    expect(world.dialpad.users().map((u) => u.emails[0]).sort()).toEqual(['ann@acme.com', 'bob@acme.com', 'cat@acme.com']);
    expect(world.dialpadUserByEmail('bob@acme.com')?.jobTitle).toBe('Designer');
    expect(first.report?.refused).toEqual([]);
    // The run's rate budgets, as `reconcile --json` gives them: both APIs answered.
    expect(first.report?.rates?.dialpad).toMatchObject({ ceiling: expect.any(Number) as number, throttled: 0 });
    expect(first.report?.rates?.okta.apps).toMatchObject({ throttled: 0 });
    // Every read of a user was by id or email, never a listing: one Okta app user and one Dialpad look-up per user.
    expect(world.okta.requests.filter((r) => r.method === 'GET' && /\/apps\/[^/]+\/users/.test(r.path)).map((r) => r.path).sort()).toEqual(
      [ids.ann, ids.bob, ids.cat].map((id) => `/api/v1/apps/${world.okta.appId}/users/${id}`).sort(),
    );
    const dialpadUserReads = world.dialpad.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v2/users'));
    expect(dialpadUserReads.map((r) => r.query).sort()).toEqual(['ann@acme.com', 'bob@acme.com', 'cat@acme.com'].map((email) => expect.stringContaining(`email=${encodeURIComponent(email)}`)));
    await world.withStore(async (store) => {
      expect(await store.runs.get(first.report?.runId ?? '')).toMatchObject({ kind: 'plan_file', apply: true, outcome: 'succeeded', succeededActions: 9 });
    });
    // The run lock it took is said to be apply's, not a reconcile's.
    expect((await world.cli('status')).stdout).toMatch(/Run lock: free \(released by dialsync apply \(a plan file\) on .+ \(pid \d+\)/);

    world.clearRequests();
    const second = await apply();
    expect(second.code).toBe(0);
    expect(world.writeRequests()).toEqual([]);
    expect(second.report?.inStep.map((u) => u.email).sort()).toEqual(['ann@acme.com', 'bob@acme.com', 'cat@acme.com']);
    expect(second.report?.refused).toEqual([]);
    expect(world.dialpad.users().filter((u) => u.emails[0] === 'ann@acme.com')).toHaveLength(1);
  });

  it('refuses and names a user changed in Okta and one changed in Dialpad, applies the others, exits 9', async () => {
    const { world } = given();
    const ids = hireThree();
    expect((await world.reconcile('--apply')).code).toBe(0);
    for (const [key, id] of Object.entries(ids)) world.okta.updateProfile(id, { title: `Senior ${key}` });
    const out = await planOut();
    expect(out.code).toBe(0);
    expect((out.file.plan as { email: string; actions: { kind: string }[] }[]).map((u) => [u.email, u.actions.map((a) => a.kind)])).toEqual([
      ['ann@acme.com', ['update']],
      ['bob@acme.com', ['update']],
      ['cat@acme.com', ['update']],
    ]);

    world.okta.updateProfile(ids.bob, { lastName: 'Kimball' });
    await editInDialpad(world.dialpadUserByEmail('cat@acme.com')?.id ?? '', { job_title: 'Boss' });
    world.clearRequests();
    const run = await apply();
    expect(run.code).toBe(9);
    expect(run.report?.refused).toEqual([
      { email: 'bob@acme.com', key: `okta:${ids.bob}`, oktaUserId: ids.bob, dialpadUserId: expect.any(String), changes: ['Okta profile changed'] },
      { email: 'cat@acme.com', key: `okta:${ids.cat}`, oktaUserId: ids.cat, dialpadUserId: expect.any(String), changes: ['Dialpad user changed: job_title'] },
    ]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Senior ann');
    expect(world.dialpadUserByEmail('bob@acme.com')?.jobTitle).toBe('Designer');
    expect(world.dialpadUserByEmail('cat@acme.com')?.jobTitle).toBe('Boss');
    expect(world.writeRequests()).toHaveLength(1);

    const text = await world.cli('apply', planPath());
    expect(text.code).toBe(9);
    expect(text.stdout).toContain('bob@acme.com: Okta profile changed');
    expect(text.stdout).toContain('cat@acme.com: Dialpad user changed: job_title');
  });

  it('refuses an edited file, a file made under another config and one for another tenant whole: exit 10, nothing written', async () => {
    const { world } = given();
    hireThree();
    expect((await planOut()).code).toBe(0);
    const original = readFileSync(planPath(), 'utf8');

    const edited = JSON.parse(original) as { plan: { actions: { kind: string; license?: string }[] }[] };
    const create = edited.plan[0]?.actions[0];
    if (create) create.license = 'agents';
    writeFileSync(planPath(), JSON.stringify(edited));
    world.clearRequests();
    const editedRun = await apply();
    expect(editedRun.code).toBe(10);
    expect(editedRun.stderr).toMatch(/checksum does not match/);
    expect(world.dialpad.requests).toEqual([]);
    expect(world.okta.requests).toEqual([]);

    writeFileSync(planPath(), original);
    const otherConfig = world.configFile('drift:\n  job_title: report\n');
    const configRun = await apply('--config', otherConfig);
    expect(configRun.code).toBe(10);
    expect(configRun.stderr).toMatch(/planned under another config/);
    expect(world.dialpad.requests).toEqual([]);
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.users()).toEqual([]);

    // The database pinned (by `dialsync repin`, say) to another Dialpad company since the plan was made.
    type Tenant = { dialpadCompanyId: string; dialpadCompanyName: string | null; oktaOrgUrl: string; oktaOrgId: string | null; oktaAppId: string };
    const { tenant, runId } = JSON.parse(original) as { tenant: Tenant; runId: string };
    await world.withStore((store) => store.tenantPins.pin({ ...tenant, dialpadCompanyId: `${tenant.dialpadCompanyId}9` }, 'repin', runId));
    world.clearRequests();
    const tenantRun = await apply();
    expect(tenantRun.code).toBe(10);
    expect(tenantRun.stderr).toMatch(/planned for another tenant \(dialpad company/);
    expect(world.dialpad.requests).toEqual([]);
    expect(world.okta.requests).toEqual([]);

    const notAPlan = join(dirname(planPath()), 'other.json');
    writeFileSync(notAPlan, '{"hello": 1}');
    expect((await world.cli('apply', notAPlan)).code).toBe(10);
    expect((await world.cli('reconcile', '--apply', '--out', planPath())).code).toBe(2);
    const help = await world.cli('apply', '--help');
    expect(help.stdout).toMatch(/9 some planned users refused .*10 the plan file refused whole/s);
    expect(help.stdout).toMatch(/8 the run lock is held by another process \(a running daemon holds it for as long as it leads.*scale it to 0/s);
  });

  it('applies a file holding more suspends than the mass-change guard allows: the file is the approval', async () => {
    const { world } = given();
    const ids = Array.from({ length: 100 }, (_, i) =>
      hire(world.okta, { login: `user${String(i).padStart(3, '0')}@acme.com`, firstName: 'User', lastName: `Number${i}` }, { officeName: 'New York' }),
    );
    expect((await world.reconcile('--apply')).code).toBe(0);
    for (const id of ids.slice(0, 12)) world.okta.unassignUser(id);
    expect((await world.reconcile()).code).toBe(5);

    // An applying run holds them: 12 held actions an admin can approve or dismiss.
    expect((await world.reconcile('--apply')).code).toBe(5);

    const out = await planOut();
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/12 suspends .*would be held by the mass-change guard; applying this file approves them/);
    expect((out.file.held as { gate: string; users: number }[]).map((h) => [h.gate, h.users])).toEqual([['mass-change', 12]]);
    expect((out.file.plan as { actions: { kind: string }[] }[]).filter((u) => u.actions.some((a) => a.kind === 'suspend'))).toHaveLength(12);

    // After the file was made, an admin dismisses one of the held suspends: the dismissal wins over the file.
    const dismissed = await world.withStore(async (store) => {
      const held = (await store.held.list()).find((row) => row.email === 'user000@acme.com');
      expect(held).toBeDefined();
      await store.held.dismiss([held?.id ?? 0], 'cli:eve@host');
      return held;
    });
    world.clearRequests();
    const run = await apply();
    expect(run.code).toBe(9);
    expect(run.report?.refused).toEqual([
      expect.objectContaining({ email: 'user000@acme.com', changes: [expect.stringMatching(/^its suspend was dismissed by cli:eve@host at \S+, after the plan was made; a dismissal wins over the file$/)] }),
    ]);
    expect(dismissed?.kind).toBe('suspend');
    expect(world.dialpadUserByEmail('user000@acme.com')?.state).toBe('active');
    expect(world.dialpad.users().filter((u) => u.state === 'suspended')).toHaveLength(11);
    // Recorded as approved by whoever applied the file, past the gate that would have held them.
    await world.withStore(async (store) => {
      const actions = await store.runActions.forRun(run.report?.runId ?? '', { limit: 100, offset: 0, outcome: 'done' });
      const suspends = actions.actions.filter((a) => a.kind === 'suspend');
      expect(suspends).toHaveLength(11);
      for (const suspend of suspends) {
        expect(suspend.approvedBy).toMatch(/^cli:/);
        expect(suspend.reason).toMatch(/^approved by cli:\S+ applying the plan file, past the mass-change guard: /);
      }
    });
    expect(world.dialpad.requests.filter((r) => r.method === 'GET' && r.path === '/api/v2/users')).toEqual([]);

    world.clearRequests();
    const again = await apply();
    expect(again.code).toBe(9);
    expect(world.writeRequests()).toEqual([]);
    expect(again.report?.inStep).toHaveLength(11);
    expect(again.report?.refused.map((u) => u.email)).toEqual(['user000@acme.com']);

    // The text says plainly what the file approves.
    const text = await world.cli('apply', planPath());
    expect(text.stdout).toMatch(/^This file approves 12 suspends \(12 users\) the mass-change guard held when it was made\./);
  });

  it('suspends a user deleted in Okta (planned by its Dialpad user alone); a second apply writes nothing', async () => {
    const { world } = given();
    const ids = hireThree();
    expect((await world.reconcile('--apply')).code).toBe(0);
    world.okta.unassignUser(ids.bob);
    world.okta.deleteUser(ids.bob);
    const out = await planOut();
    expect(out.code).toBe(0);
    expect((out.file.users as { key: string; oktaUserId: string | null }[]).map((u) => [u.key.split(':')[0], u.oktaUserId])).toEqual([['dialpad', null]]);

    world.clearRequests();
    const run = await apply();
    expect(run.code).toBe(0);
    expect(run.report?.refused).toEqual([]);
    expect(world.dialpadUserByEmail('bob@acme.com')?.state).toBe('suspended');
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');

    world.clearRequests();
    const again = await apply();
    expect(again.code).toBe(0);
    expect(world.writeRequests()).toEqual([]);
    expect(again.report?.inStep.map((u) => u.email)).toEqual(['bob@acme.com']);
  });

  // `reconcile --policy` overrides the config's policy for one run, with --apply as without: a plan file made with a
  // wider one is applied as made, not taken for an edited file.
  it('applies a file made with --policy sync under policy: upsert-only (the suspend it planned), which the config policy withholds', async () => {
    const { world } = given();
    const ids = hireThree();
    const config = world.configFile('policy: upsert-only\n');
    expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
    world.okta.unassignUser(ids.bob);

    // The config's policy withholds the suspend.
    const narrow = await planOut('--config', config);
    expect(narrow.code).toBe(0);
    expect(narrow.file.plan).toEqual([]);

    const wide = await planOut('--config', config, '--policy', 'sync');
    expect(wide.code).toBe(0);
    expect(wide.file.policy).toBe('sync');
    expect((wide.file.plan as { email: string; actions: { kind: string }[] }[]).map((u) => [u.email, u.actions.map((a) => a.kind)])).toEqual([['bob@acme.com', ['suspend']]]);
    world.clearRequests();
    const run = await apply('--config', config);
    expect(run.stderr).not.toMatch(/refused/);
    expect(run.code).toBe(0);
    expect(run.report?.refused).toEqual([]);
    expect(world.dialpadUserByEmail('bob@acme.com')?.state).toBe('suspended');
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');
  });

  it('refuses a user whose actions were edited with the checksum recomputed (Evil Overlord): nothing written for them', async () => {
    const { world } = given();
    const ids = hireThree();
    expect((await world.reconcile('--apply')).code).toBe(0);
    world.okta.updateProfile(ids.ann, { title: 'Staff Engineer' });
    world.okta.updateProfile(ids.bob, { title: 'Lead Designer' });
    const out = await planOut();
    type Entry = { email: string; actions: { kind: string; changes?: { field: string; to: unknown }[] }[] };
    forge(out.file, (body) => {
      const ann = (body.plan as Entry[]).find((u) => u.email === 'ann@acme.com');
      const change = ann?.actions[0]?.changes?.[0];
      expect(change).toMatchObject({ field: 'job_title', to: 'Staff Engineer' });
      if (change) change.to = 'Evil Overlord';
    });
    world.clearRequests();
    const run = await apply();
    expect(run.code).toBe(9);
    expect(run.report?.refused).toEqual([
      expect.objectContaining({ email: 'ann@acme.com', changes: ["the file's actions differ from what dialsync plans for this user now: was the file edited?"] }),
    ]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Engineer');
    expect(world.dialpadUserByEmail('bob@acme.com')?.jobTitle).toBe('Lead Designer');
    expect(world.writeRequests()).toHaveLength(1);

    // Actions for a user the file has no fingerprints for: the file is refused whole.
    forge(out.file, (body) => (body.users as unknown[]).pop());
    world.clearRequests();
    const unpaired = await apply();
    expect(unpaired.code).toBe(10);
    expect(errorOf(unpaired.stdout)).toMatchObject({ exitCode: 10, reason: 'edited', message: expect.stringMatching(/have no entry in "users"/) });
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
  });

  it('says why a file is refused in --json (the reason code), the tenant first, the config section that differs; the tenant carries the pinned Okta org id', async () => {
    const { world } = given();
    const ids = hireThree();
    expect((await world.reconcile('--apply')).code).toBe(0);
    world.okta.updateProfile(ids.ann, { title: 'Boss' });
    const out = await planOut();
    const pin = await world.withStore((store) => store.tenantPins.current());
    expect(pin).not.toBeNull();
    expect((out.file.tenant as { oktaOrgId: string | null }).oktaOrgId).toBe(pin?.oktaOrgId);
    expect(out.file.pinnedAt).toBe(pin?.pinnedAt);

    // Another safety setting: the section is named.
    const safety = await apply('--config', world.configFile('safety:\n  quarantineAfter: 9\n'));
    expect(safety.code).toBe(10);
    expect(errorOf(safety.stdout)).toMatchObject({ exitCode: 10, reason: 'other_config', message: expect.stringMatching(/another config \(safety settings differ/) });
    // How long an approval lasts changes no plan: the file is still this config's.
    const approvalHours = await apply('--config', world.configFile('safety:\n  approvalHours: 2\n'));
    expect(approvalHours.code).toBe(0);

    // Another tenant and another config: the tenant is what is said.
    await world.withStore((store) => store.tenantPins.pin({ ...(out.file.tenant as Parameters<typeof store.tenantPins.pin>[0]), dialpadCompanyId: '999' }, 'repin', out.file.runId as string));
    const tenant = await apply('--config', world.configFile('drift:\n  job_title: report\n'));
    expect(tenant.code).toBe(10);
    expect(errorOf(tenant.stdout)).toMatchObject({ reason: 'other_tenant', message: expect.stringMatching(/planned for another tenant/) });
  });

  it('refuses a file made against a pinned database when applied to another, empty one (another installation), before anything is contacted', async () => {
    const { world } = given();
    const ids = hireThree();
    expect((await world.reconcile('--apply')).code).toBe(0);
    world.okta.updateProfile(ids.ann, { title: 'Boss' });
    expect((await planOut()).code).toBe(0);
    const plan = planPath();
    const other = join(dirname(plan), 'other');
    mkdirSync(other);
    world.database = join(other, 'dialsync.sqlite');
    world.clearRequests();
    const run = await world.cli('apply', plan, '--json');
    expect(run.code).toBe(10);
    expect(errorOf(run.stdout)).toMatchObject({ reason: 'other_installation', message: expect.stringMatching(/no database at .*dialsync\.sqlite: a plan file is applied only to the database it was made against/) });
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
    // No database was there: none is created (nor migrated) to refuse the file in.
    expect(existsSync(world.database)).toBe(false);
    expect(readdirSync(other)).toEqual([]);
  });

  it('refuses a file for another Okta org or app than the config (other_tenant) before the run lock, recording no run', async () => {
    const { world } = given();
    const ids = hireThree();
    expect((await world.reconcile('--apply')).code).toBe(0);
    world.okta.updateProfile(ids.ann, { title: 'Boss' });
    const out = await planOut();
    expect(out.code).toBe(0);
    const runsBefore = await world.withStore((store) => store.runs.recent(50));
    // A daemon holds the run lock meanwhile: the file is refused all the same, by the check that needs no lock.
    await world.withStore((store) => store.leases.tryAcquire(RUN_LOCK, { id: 'other-replica', host: 'dialsync-7f9c-x2', pid: 4242, kind: 'daemon' }, 60_000));
    forge(out.file, (body) => (body.tenant = { ...(body.tenant as Record<string, unknown>), oktaOrgUrl: 'https://other.okta.com' }));
    world.clearRequests();
    const org = await apply();
    expect(org.code).toBe(10);
    expect(errorOf(org.stdout)).toMatchObject({ reason: 'other_tenant', message: expect.stringMatching(/okta org https:\/\/other\.okta\.com in the file, .* in the config now/) });
    // The config names another Okta app: its tenant section is what differs, said as other_tenant.
    writeFileSync(planPath(), JSON.stringify(out.file));
    const app = await runCliInProcess(['apply', planPath(), '--json'], { ...world.env(), OKTA_APP_ID: '0oaOTHER' });
    expect(app.code).toBe(10);
    expect(errorOf(app.stdout)).toMatchObject({ reason: 'other_tenant', message: expect.stringMatching(/okta app .* in the file, 0oaOTHER in the config now/) });
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
    expect(await world.withStore((store) => store.runs.recent(50))).toEqual(runsBefore);
    expect((await world.cli('status')).stdout).not.toMatch(/plan file refused/);
  });

  it('refuses a file dated in the future, past the clock skew (from_the_future), so a forged date cannot keep it from ageing', async () => {
    const { world } = given();
    hireThree();
    const out = await planOut();
    forge(out.file, (body) => (body.createdAt = new Date(Date.now() + 365 * 24 * 3_600_000).toISOString()));
    world.clearRequests();
    const run = await apply();
    expect(run.code).toBe(10);
    expect(errorOf(run.stdout)).toMatchObject({ reason: 'from_the_future', message: expect.stringMatching(/hours from now \(more than the 5 minutes/) });
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
  });

  it('checks --out and the file to apply before anything is contacted: exit 2 in words', async () => {
    const { world } = given();
    hireThree();
    const folder = dirname(planPath());
    world.clearRequests();
    for (const [out, said] of [
      [folder, /--out .* is a folder: name a file in it/],
      [join(folder, 'missing', 'plan.json'), /--out .*: the folder .*missing does not exist/],
      ['-', /--out -: write the plan file to a path; --json prints the report on stdout/],
      // A folder whose permissions allow a write that fails all the same (/proc, even for root), or a path under a file.
      existsSync('/proc') ? (['/proc/p.json', /--out \/proc\/p\.json: cannot write in the folder \/proc \(ENOENT\)/] as const) : ([join(planPath(), 'p.json'), /is not a folder|does not exist/] as const),
    ] as const) {
      const run = await world.cli('reconcile', '--out', out);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(said);
    }
    for (const [path, said] of [
      [join(folder, 'nothing.json'), /no plan file at .*nothing\.json: nothing there/],
      [folder, /is a folder, not a plan file/],
    ] as const) {
      const run = await world.cli('apply', path, '--json');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(said);
      expect(run.stderr).not.toMatch(/ENOENT|EISDIR/);
      expect(errorOf(run.stdout)).toMatchObject({ exitCode: 2, reason: 'plan_file_path' });
    }
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
  });

  it('refuses an --out over the database or config file in use or a file that is not a plan file (exit 2, the file untouched); replaces a plan file', async () => {
    const { world } = given();
    hireThree();
    // A first run creates the database (and pins it), so there is a database file to protect.
    expect((await world.reconcile()).code).toBe(0);
    const folder = dirname(planPath());
    const config = world.configFile('policy: sync\n');
    const notes = join(folder, 'notes.txt');
    writeFileSync(notes, 'keep me\n');
    world.clearRequests();
    for (const [out, said] of [
      [world.database, /^dialsync reconcile: refusing to write the plan over the database in use: .*dialsync\.sqlite; choose another path$/m],
      [config, /^dialsync reconcile: refusing to write the plan over the config file in use: .*dialsync-\d+\.yaml; choose another path$/m],
      [notes, /^dialsync reconcile: refusing to write the plan over an existing file that is not a plan file: .*notes\.txt; choose another path or remove it$/m],
    ] as const) {
      const before = readFileSync(out);
      const run = await world.cli('reconcile', '--config', config, '--out', out, '--json');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(said);
      expect(errorOf(run.stdout)).toMatchObject({ exitCode: 2 });
      expect(readFileSync(out)).toEqual(before);
    }
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
    // The database is still one: status reads it.
    expect((await world.cli('status')).code).toBe(0);

    // A new path, then the same path again: an earlier plan file is replaced (the re-plan).
    expect(existsSync(planPath())).toBe(false);
    const first = await planOut();
    expect(first.code).toBe(0);
    const second = await planOut();
    expect(second.code).toBe(0);
    expect(second.file.runId).not.toBe(first.file.runId);
  });
});

// The per-user safety passes (quarantine, license caps, seat check) judge what lies outside the planned users (the
// seats the company holds): `apply` passes the plan made now through them as `reconcile --out` passed the file's.
describe('plan files and the license caps', () => {
  /**
   * ann@ (talk) managed, an unmanaged agents user holding a seat; then Okta gives ann@ an agents license and a new
   * title. Returns the config with licenseCaps.agents `cap`, and the unmanaged user's Dialpad id.
   */
  async function annWantsAgents(cap: number): Promise<{ config: string; holder: string }> {
    const { world, offices } = given();
    const holder = world.dialpad.addUser({ email: 'old@elsewhere.com', firstName: 'Old', lastName: 'Timer', officeId: offices.newYork, license: 'agents' });
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Designer' }, { officeName: 'New York' });
    const config = world.configFile(`licenseCaps:\n  agents: ${cap}\n`);
    expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ license: 'talk', jobTitle: 'Designer' });
    world.okta.setAppProfile(ann, { licenseType: 'dialpad_sell' });
    world.okta.updateProfile(ann, { title: 'Engineer' });
    return { config, holder };
  }

  /** The fields each planned user's updates change in the file, by email. */
  function updatedFields(file: Record<string, unknown>): Record<string, string[]> {
    const plan = file.plan as { email: string; actions: { kind: string; changes?: { field: string }[] }[] }[];
    return Object.fromEntries(plan.map((u) => [u.email, u.actions.flatMap((a) => (a.changes ?? []).map((c) => c.field))]));
  }

  it('a license change the cap held at --out stays held: the title is applied, the license left, exit 0; a second apply writes nothing', async () => {
    const { world } = given();
    const { config } = await annWantsAgents(1);
    const out = await planOut('--config', config);
    expect(out.code).toBe(0);
    expect(updatedFields(out.file)).toEqual({ 'ann@acme.com': ['job_title'] });

    world.clearRequests();
    const first = await apply('--config', config);
    expect(first.code).toBe(0);
    expect(first.report?.refused).toEqual([]);
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ license: 'talk', jobTitle: 'Engineer' });
    expect(world.dialpad.extraLicensesBilled).toBe(0);
    expect(world.writeRequests()).toHaveLength(1);
    // What stays held is said, as `reconcile --out` said it, and recorded with the run.
    const withheld = (first.report?.plan as unknown as { withheld: { email: string; kind: string; reason: string }[] }).withheld;
    expect(withheld).toEqual([
      expect.objectContaining({
        email: 'ann@acme.com',
        kind: 'update',
        reason: 'license change from talk to agents held back by licenseCaps.agents: 1 agents users already active or planned, the cap is 1 (raise licenseCaps.agents to let it through)',
      }),
    ]);
    await world.withStore(async (store) => {
      expect((await store.runActions.forRun(first.report?.runId ?? '', { limit: 10, offset: 0 })).actions.map((a) => [a.email, a.kind, a.outcome])).toEqual([
        ['ann@acme.com', 'update', 'done'],
        ['ann@acme.com', 'update', 'withheld'],
      ]);
    });

    world.clearRequests();
    const second = await apply('--config', config);
    expect(second.code).toBe(0);
    expect(world.writeRequests()).toEqual([]);
    expect(second.report?.refused).toEqual([]);
    expect(second.report?.inStep.map((u) => u.email)).toEqual(['ann@acme.com']);
    // In step but for the license change, which is still said to be held.
    expect((second.report?.plan as unknown as { withheld: { email: string; kind: string; reason: string }[] }).withheld.map((w) => [w.email, w.kind])).toEqual([['ann@acme.com', 'update']]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.license).toBe('talk');
  });

  it('refuses the user, saying so, when the cap lets the held change through now (a seat freed since); a raised cap in the config refuses the file whole', async () => {
    const { world } = given();
    const { config, holder } = await annWantsAgents(1);
    expect((await planOut('--config', config)).code).toBe(0);

    // A raised cap is another config: the file is refused whole, before anything is read.
    world.clearRequests();
    const raised = await apply('--config', world.configFile('licenseCaps:\n  agents: 2\n'));
    expect(raised.code).toBe(10);
    expect(errorOf(raised.stdout).reason).toBe('other_config');
    expect(world.writeRequests()).toEqual([]);

    // The agents seat freed in Dialpad since the plan was made: the cap would let ann's license change through now.
    await editInDialpad(holder, { state: 'suspended' });
    world.clearRequests();
    const run = await apply('--config', config);
    expect(run.code).toBe(9);
    expect(run.report?.refused.map((u) => [u.email, u.changes])).toEqual([
      [
        'ann@acme.com',
        [
          'its license change from talk to agents was held back when the plan was made; the license caps (licenseCaps.agents) and the seat check let it through now (a plan made now changes the license, the file does not); make the plan again',
        ],
      ],
    ]);
    expect(run.report?.refused[0]?.changes.join(' ')).not.toContain('edited');
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ license: 'talk', jobTitle: 'Designer' });
    expect((await world.cli('apply', planPath(), '--config', config)).stdout).toContain('ann@acme.com: its license change from talk to agents was held back when the plan was made');
  });

  it('refuses the user, saying so, when the cap holds now the license change it let through at --out (the seats ran out since)', async () => {
    const { world, offices } = given();
    const { config } = await annWantsAgents(2);
    const out = await planOut('--config', config);
    expect(updatedFields(out.file)).toEqual({ 'ann@acme.com': ['job_title', 'license'] });

    world.dialpad.addUser({ email: 'new@elsewhere.com', firstName: 'New', lastName: 'Hand', officeId: offices.newYork, license: 'agents' });
    world.clearRequests();
    const run = await apply('--config', config);
    expect(run.code).toBe(9);
    expect(run.report?.refused.map((u) => [u.email, u.changes])).toEqual([
      [
        'ann@acme.com',
        [
          'the license caps hold back now what they let through when the plan was made: license change from talk to agents held back by licenseCaps.agents: 2 agents users already active or planned, the cap is 2 (raise licenseCaps.agents to let it through); make the plan again',
        ],
      ],
    ]);
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ license: 'talk', jobTitle: 'Designer' });
    expect(world.dialpad.extraLicensesBilled).toBe(0);
  });
});
