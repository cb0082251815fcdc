// Scoping (README, Scoping) against the sandbox: scope.groups (a pilot group) and scope.exclude (contractors), the
// users they leave out treated as unassigned, the mass-change guard holding a scope change that would suspend many,
// and after each a second run that sends no write at all.
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/plan/explain.js';
import { hire, type ReconcileJson } from './world.js';
import { useWorld } from './use-world.js';

interface ScopingJson extends ReconcileJson {
  held: { gate: string; users: number }[];
  plan: ReconcileJson['plan'] & { withheld: { email: string; kind: string; reason: string }[] };
}

const given = useWorld();

const PILOT_SCOPE = 'scope:\n  groups: [Dialpad pilot]\n';
const NO_CONTRACTORS = 'scope:\n  exclude:\n    - name: contractors\n      clauses:\n        - {attribute: userType, operator: equals, value: Contractor}\n';

async function reconcile(...args: string[]): Promise<{ code: number; report: ScopingJson }> {
  const run = await given().world.reconcile(...args);
  return { code: run.code, report: run.report as ScopingJson };
}

/** A second run right after: it plans nothing and sends no write to either side. */
async function expectQuiet(config: string): Promise<void> {
  const { world } = given();
  world.clearRequests();
  const again = await reconcile('--apply', '--config', config);
  expect(again.report.plan.users.flatMap((u) => u.actions)).toEqual([]);
  expect(world.writeRequests()).toEqual([]);
}

function hireWithType(login: string, userType: 'Employee' | 'Contractor'): string {
  const { world } = given();
  const id = hire(world.okta, { login, firstName: 'Pat', lastName: login.split('@')[0] ?? 'X' }, { officeName: 'New York' });
  world.okta.updateProfile(id, { userType });
  return id;
}

describe('scope.groups: a pilot group', () => {
  it('creates only its members; a member taken out of the group is suspended, by a full run or a targeted one', async () => {
    const { world } = given();
    const ann = hireWithType('ann@acme.com', 'Employee');
    const bob = hireWithType('bob@acme.com', 'Employee');
    hireWithType('cy@acme.com', 'Employee');
    const pilot = world.okta.createGroup('Dialpad pilot');
    world.okta.createGroup('Dialpad pilot 2');
    world.okta.addToGroup(pilot, ann);
    world.okta.addToGroup(pilot, bob);
    const config = world.configFile(PILOT_SCOPE);

    const first = await reconcile('--apply', '--config', config);
    expect(first.code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');
    expect(world.dialpadUserByEmail('bob@acme.com')?.state).toBe('active');
    expect(world.dialpadUserByEmail('cy@acme.com')).toBeUndefined();
    expect(first.report.plan.skipped).toEqual([
      expect.objectContaining({ email: 'cy@acme.com', code: 'out_of_scope', reason: 'not a member of scope.groups "Dialpad pilot": no Dialpad user is created' }),
    ]);
    // The group's members were read once, as a listing; no user's groups one by one.
    expect(world.okta.requests.filter((r) => r.path === `/api/v1/groups/${pilot}/users`)).toHaveLength(1);
    expect(world.okta.requests.filter((r) => /^\/api\/v1\/users\/[^/]+\/groups$/.test(r.path))).toEqual([]);
    await expectQuiet(config);

    // Taken out of the pilot: a full run suspends Bob, naming the group.
    world.okta.removeFromGroup(pilot, bob);
    const removed = await reconcile('--apply', '--config', config);
    expect(removed.code).toBe(0);
    expect(removed.report.plan.users.find((u) => u.email === 'bob@acme.com')?.actions).toEqual([
      expect.objectContaining({ kind: 'suspend', reason: 'not a member of scope.groups "Dialpad pilot"' }),
    ]);
    expect(world.dialpadUserByEmail('bob@acme.com')?.state).toBe('suspended');
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');
    await expectQuiet(config);

    // A targeted run (--user) reads only that user's groups, by id: Ann leaves the pilot and is suspended.
    world.okta.removeFromGroup(pilot, ann);
    world.clearRequests();
    const targeted = await reconcile('--apply', '--config', config, '--user', 'ann@acme.com');
    expect(targeted.code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('suspended');
    expect(world.okta.requests.filter((r) => r.path === `/api/v1/users/${ann}/groups`)).toHaveLength(1);
    expect(world.okta.requests.filter((r) => r.path.startsWith('/api/v1/groups/'))).toEqual([]);

    // Back in the group: reactivated, the same Dialpad user.
    const annInDialpad = world.dialpadUserByEmail('ann@acme.com')?.id;
    world.okta.addToGroup(pilot, ann);
    expect((await reconcile('--apply', '--config', config)).code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ id: annInDialpad, state: 'active' });
    await expectQuiet(config);
  });

  it('fails before writing anything when a scope.groups name matches no group (exit 2, naming it)', async () => {
    const { world } = given();
    hireWithType('ann@acme.com', 'Employee');
    const run = await world.cli('reconcile', '--apply', '--config', world.configFile('scope:\n  groups: [Dialpad pilots]\n'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Okta has no group named "Dialpad pilots"');
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpad.users().filter((u) => u.emails[0] === 'ann@acme.com')).toEqual([]);
  });
});

describe('scope.groups with a plan file', () => {
  it('reconcile --out then apply: a user who left the pilot in between is not created; the change in his groups is named', async () => {
    const { world } = given();
    const ann = hireWithType('ann@acme.com', 'Employee');
    const bob = hireWithType('bob@acme.com', 'Employee');
    const pilot = world.okta.createGroup('Dialpad pilot');
    world.okta.addToGroup(pilot, ann);
    world.okta.addToGroup(pilot, bob);
    const config = world.configFile(PILOT_SCOPE);
    const plan = join(dirname(world.database), 'plan.json');
    const out = await world.cli('reconcile', '--out', plan, '--config', config);
    expect(out.code, out.stderr).toBe(0);

    // Bob leaves the pilot after the plan was made: the file's create of him no longer holds, and a plan made now
    // has nothing to do for him (he is out of scope), so he is in step, with what changed.
    world.okta.removeFromGroup(pilot, bob);
    const applied = await world.cli('apply', plan, '--config', config, '--json');
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as { refused: unknown[]; inStep: { email: string; changes: string[] }[] };
    expect(report.refused).toEqual([]);
    expect(report.inStep).toEqual([expect.objectContaining({ email: 'bob@acme.com', changes: ['Okta group membership changed'] })]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');
    expect(world.dialpadUserByEmail('bob@acme.com')).toBeUndefined();
    await expectQuiet(config);
  });
});

describe('scope.exclude: contractors', () => {
  it('keeps contractors out; explain names the clause', async () => {
    const { world } = given();
    hireWithType('ann@acme.com', 'Employee');
    hireWithType('carl@acme.com', 'Contractor');
    const config = world.configFile(NO_CONTRACTORS);

    const run = await reconcile('--apply', '--config', config);
    expect(run.code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');
    expect(world.dialpadUserByEmail('carl@acme.com')).toBeUndefined();
    expect(run.report.plan.skipped).toEqual([
      expect.objectContaining({ email: 'carl@acme.com', code: 'out_of_scope', reason: 'excluded by scope.exclude "contractors": userType equals "Contractor": no Dialpad user is created' }),
    ]);
    await expectQuiet(config);

    const explained = await world.cli('explain', 'carl@acme.com', '--config', config, '--json');
    expect(explained.code, explained.stderr).toBe(0);
    expect((JSON.parse(explained.stdout) as Explanation).scope).toEqual({ inScope: false, reason: 'excluded by scope.exclude "contractors": userType equals "Contractor"' });
    const ann = JSON.parse((await world.cli('explain', 'ann@acme.com', '--config', config, '--json')).stdout) as Explanation;
    expect(ann.scope).toEqual({ inScope: true, reason: 'matches no scope.exclude filter' });
    // The text never says "in scope" for a user the filters leave out: the status line speaks of the status only.
    const carlText = (await world.cli('explain', 'carl@acme.com', '--config', config)).stdout;
    expect(carlText).toContain('Okta: status ACTIVE (a status in scope), assigned');
    expect(carlText).toContain('scope: left out by scope.groups or a filter: excluded by scope.exclude "contractors": userType equals "Contractor"');
    expect(carlText).not.toMatch(/\(in scope\)/);
    const annText = (await world.cli('explain', 'ann@acme.com', '--config', config)).stdout;
    expect(annText).toContain('scope: in scope: matches no scope.exclude filter');
  });

  it('a filter that would suspend 30 of 100 is held by the mass-change guard; approved, it suspends them', async () => {
    const { world } = given();
    const contractors: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const login = `user${String(i).padStart(3, '0')}@acme.com`;
      const contractor = i % 10 < 3;
      hireWithType(login, contractor ? 'Contractor' : 'Employee');
      if (contractor) contractors.push(login);
    }
    expect((await reconcile('--apply')).code).toBe(0);
    const active = (): number => world.dialpad.users().filter((u) => u.state === 'active').length;
    expect(active()).toBe(100);

    const config = world.configFile(NO_CONTRACTORS);
    const held = await reconcile('--apply', '--config', config);
    expect(held.code).toBe(5);
    expect(held.report.held).toEqual([expect.objectContaining({ gate: 'mass-change', users: 30 })]);
    expect(held.report.plan.withheld.filter((w) => w.kind === 'suspend').map((w) => w.email).sort()).toEqual(contractors);
    expect(active()).toBe(100);

    const allowed = await reconcile('--apply', '--config', config, '--allow-mass-changes');
    expect(allowed.code).toBe(0);
    for (const login of contractors) expect(world.dialpadUserByEmail(login)?.state).toBe('suspended');
    expect(active()).toBe(70);
    // Nothing deleted: scoping only ever suspends.
    expect(world.dialpad.users().filter((u) => u.state === 'deleted')).toEqual([]);
    await expectQuiet(config);
  });
});

describe('scoping and re-hires', () => {
  it("a new account takes over the Dialpad user of an old one the scope now leaves out (same user, same number)", async () => {
    const { world } = given();
    const old = hireWithType('tom@acme.com', 'Employee');
    expect((await reconcile('--apply')).code).toBe(0);
    const before = world.dialpadUserByEmail('tom@acme.com');
    expect(before?.state).toBe('active');

    // Tom comes back as a contractor under a new account; the old one keeps its assignment under another login.
    world.okta.updateProfile(old, { login: 'tom.old@acme.com', email: 'tom.old@acme.com', userType: 'Contractor' });
    const fresh = hireWithType('tom@acme.com', 'Employee');
    const config = world.configFile(NO_CONTRACTORS);
    const run = await reconcile('--apply', '--config', config);
    expect(run.code).toBe(0);
    expect(run.report.plan.users.find((u) => u.oktaUserId === fresh)?.actions[0]).toMatchObject({ kind: 'relink', cause: 'out_of_scope', previousOktaUserId: old });
    expect(world.dialpadUserByEmail('tom@acme.com')).toMatchObject({ id: before?.id, state: 'active', phoneNumbers: before?.phoneNumbers });
    expect(await world.withStore((store) => store.links.all())).toEqual([expect.objectContaining({ oktaUserId: fresh, dialpadUserId: before?.id })]);
    await expectQuiet(config);
  });
});
