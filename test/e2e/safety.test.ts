// The safety rails (docs/rules.md#safety) against the stateful sandbox: mass-change guard, source health gate, license caps, the
// seat check, quarantine and `dialsync release`, and ownership conflicts. Assertions are on Dialpad's state.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { reconcile as reconcileRun, type ReconcileReport } from '../../src/reconcile/reconcile.js';
import { buildGateways, buildReconcileDeps, openStore } from '../../src/wiring/build.js';
import { hire, type ReconcileJson } from './world.js';
import { useWorld } from './use-world.js';

interface SafetyJson extends ReconcileJson {
  held: { gate: string; users: number; counts: Record<string, number>; reason: string; release: string }[];
  plan: ReconcileJson['plan'] & { withheld: { email: string; kind: string; reason: string }[] };
}

const given = useWorld();

async function reconcile(...args: string[]): Promise<{ code: number; report: SafetyJson; stderr: string }> {
  const { world } = given();
  const run = await world.reconcile(...args);
  return { ...run, report: run.report as SafetyJson };
}

/** n users assigned in Okta (all in New York), returned by login. */
function hireMany(n: number): string[] {
  const { world } = given();
  return Array.from({ length: n }, (_, i) => {
    const login = `user${String(i).padStart(3, '0')}@acme.com`;
    hire(world.okta, { login, firstName: 'User', lastName: `Number${i}` }, { officeName: 'New York' });
    return login;
  });
}

function oktaIdOf(login: string): string {
  const { world } = given();
  const user = world.okta.listUsers().find((u) => u.profile.login === login);
  if (!user) throw new Error(`no Okta user ${login}`);
  return user.id;
}

function activeInDialpad(): number {
  const { world } = given();
  return world.dialpad.users().filter((u) => u.state === 'active').length;
}

describe('source health gate', () => {
  it('an app that suddenly lists nobody leads to zero suspensions, exit 5, and a paragraph saying why', async () => {
    const { world, offices } = given();
    const logins = hireMany(15);
    // Someone dialsync never owned: never touched, listed once as unmanaged.
    const stranger = world.dialpad.addUser({ email: 'contractor@elsewhere.com', firstName: 'Con', lastName: 'Tractor', officeId: offices.newYork });
    expect((await world.reconcile('--apply')).code).toBe(0);
    expect(activeInDialpad()).toBe(16);

    for (const login of logins) world.okta.unassignUser(oktaIdOf(login));
    world.clearRequests();
    const { code, report } = await reconcile('--apply');
    expect(code).toBe(5);
    expect(activeInDialpad()).toBe(16);
    expect(world.writeRequests()).toEqual([]);
    expect(report.held).toEqual([expect.objectContaining({ gate: 'source-health', users: 15, counts: expect.objectContaining({ suspend: 15 }) })]);
    expect(report.plan.withheld.filter((w) => w.kind === 'suspend')).toHaveLength(15);
    expect(report.plan.withheld[0]?.reason).toContain('Okta listed no assigned users while dialsync manages 15');
    expect(report.plan.unmanaged).toEqual([expect.objectContaining({ dialpadUserId: stranger })]);
    expect(report.plan.withheld.some((w) => w.email === 'contractor@elsewhere.com')).toBe(false);

    // The text output says what was held back and how to let it through.
    const text = await world.cli('reconcile');
    expect(text.code).toBe(5);
    expect(text.stdout).toContain('Held back by the source health gate: 15 suspends');
    expect(text.stdout).toContain('--allow-mass-changes');

    // A person confirms the drop: the run lets it through, and only the users dialsync owns are suspended.
    const allowed = await reconcile('--apply', '--allow-mass-changes');
    expect(allowed.code).toBe(0);
    expect(allowed.report.held).toEqual([]);
    expect(activeInDialpad()).toBe(1);
    expect(world.dialpad.user(stranger)?.state).toBe('active');
  });

  it('a listing with fewer than half the users of the last healthy run suspends nobody; a targeted run is not gated', async () => {
    const { world } = given();
    const logins = hireMany(10);
    expect((await world.reconcile('--apply')).code).toBe(0);
    // 6 of 10 gone: below 50% of the last healthy listing (and under the mass-change guard's count of 10).
    for (const login of logins.slice(0, 6)) world.okta.unassignUser(oktaIdOf(login));
    const gated = await reconcile('--apply');
    expect(gated.code).toBe(5);
    expect(gated.report.held[0]?.reason).toContain('Okta listed 4 assigned users, fewer than 50% of the 10 of the last healthy run');
    expect(activeInDialpad()).toBe(10);

    // The gated listing is not the new baseline: the next run is gated too.
    expect((await reconcile('--apply')).code).toBe(5);

    // --user lists one user only: the gate does not apply to it.
    const one = await reconcile('--apply', '--user', logins[0] ?? '');
    expect(one.code).toBe(0);
    expect(world.dialpadUserByEmail(logins[0] ?? '')?.state).toBe('suspended');
  });
});

describe('mass-change guard', () => {
  it('holds 12 of 100 unassigned users back with exit 5, applies everything else, and --allow-mass-changes lets them through', async () => {
    const { world } = given();
    const logins = hireMany(100);
    expect((await world.reconcile('--apply')).code).toBe(0);
    expect(activeInDialpad()).toBe(100);

    const leaving = logins.slice(0, 12);
    for (const login of leaving) world.okta.unassignUser(oktaIdOf(login));
    world.okta.updateProfile(oktaIdOf(logins[50] ?? ''), { title: 'Director' });

    const dry = await reconcile();
    expect(dry.code).toBe(5);
    expect(dry.report.held).toEqual([expect.objectContaining({ gate: 'mass-change', users: 12 })]);

    const held = await reconcile('--apply');
    expect(held.code).toBe(5);
    expect(held.report.held[0]?.reason).toContain('12 suspends planned (more than 10 and more than 5% of 100 managed users)');
    expect(held.report.plan.withheld.filter((w) => w.kind === 'suspend').map((w) => w.email).sort()).toEqual(leaving);
    expect(held.report.plan.withheld[0]?.reason).toContain('safety.allowMassChanges: true');
    expect(activeInDialpad()).toBe(100);
    // Everything else still applies.
    expect(world.dialpadUserByEmail(logins[50] ?? '')?.jobTitle).toBe('Director');

    const allowed = await reconcile('--apply', '--allow-mass-changes');
    expect(allowed.code).toBe(0);
    for (const login of leaving) expect(world.dialpadUserByEmail(login)?.state).toBe('suspended');
    expect(activeInDialpad()).toBe(88);
  });

  it('safety.allowMassChanges in the config lets them through; 10 suspends are not held', async () => {
    const { world } = given();
    const logins = hireMany(40);
    expect((await world.reconcile('--apply')).code).toBe(0);
    for (const login of logins.slice(0, 10)) world.okta.unassignUser(oktaIdOf(login));
    expect((await reconcile('--apply')).code).toBe(0);
    expect(activeInDialpad()).toBe(30);

    for (const login of logins.slice(10, 21)) world.okta.unassignUser(oktaIdOf(login));
    expect((await reconcile()).report.held.map((h) => h.gate)).toEqual(['mass-change']);
    const config = world.configFile('safety:\n  allowMassChanges: true\n');
    const run = await reconcile('--apply', '--config', config);
    expect(run.code).toBe(0);
    expect(run.report.held).toEqual([]);
    expect(activeInDialpad()).toBe(19);
  });
});

describe('license caps and seats', () => {
  it('holds the creates past licenseCaps, counting users already in Dialpad', async () => {
    const { world, offices } = given();
    world.dialpad.addUser({ email: 'old@elsewhere.com', firstName: 'Old', lastName: 'Timer', officeId: offices.newYork, license: 'talk' });
    hireMany(3);
    const config = world.configFile('licenseCaps:\n  talk: 3\n');
    const { code, report } = await reconcile('--apply', '--config', config);
    expect(code).toBe(0);
    expect(world.dialpadUserByEmail('user000@acme.com')).toBeDefined();
    expect(world.dialpadUserByEmail('user001@acme.com')).toBeDefined();
    expect(world.dialpadUserByEmail('user002@acme.com')).toBeUndefined();
    expect(report.plan.withheld).toContainEqual(
      expect.objectContaining({ email: 'user002@acme.com', kind: 'create', reason: expect.stringContaining('licenseCaps.talk: 3 talk users already active or planned, the cap is 3') }),
    );
    // The next run still holds it, and says so where a glance sees it: the summary line and one log line.
    const text = await world.cli('reconcile', '--config', config);
    expect(text.stdout).toMatch(/^Summary: .*\b1 withheld\b/m);
    expect(text.stderr).toContain('1 user(s) held back (license caps, the seat check or a gate)');
  });

  // An incremental cycle or an event hook reads only the Dialpad users its Okta users can touch; the caps are still
  // judged against every seat holder in the company, read from the full listing when the plan takes a capped license.
  async function targetedRun(oktaUserIds: string[], yaml: string): Promise<ReconcileReport> {
    const { world } = given();
    const config = loadConfig({ env: world.env(), file: world.configFile(yaml) });
    const logger = silentLogger();
    const store = await openStore(config);
    try {
      const deps = buildReconcileDeps(config, { gateways: buildGateways(config, logger), store, logger });
      return await reconcileRun(deps, { apply: true, onlyOktaUserIds: oktaUserIds, kind: 'incremental' });
    } finally {
      await store.close();
    }
  }

  it.each([
    ['a hook or incremental run holds a create past the cap, counting the seats its own read never saw', 4, false],
    ['a hook or incremental run creates when the company-wide count leaves room under the cap', 5, true],
  ])('%s (cap %i)', async (_title, cap, created) => {
    const { world } = given();
    hireMany(4);
    expect((await reconcile('--apply')).code).toBe(0);
    expect(activeInDialpad()).toBe(4);
    const nina = hire(world.okta, { login: 'nina@acme.com', firstName: 'Nina', lastName: 'New' }, { officeName: 'New York' });

    const report = await targetedRun([nina], `licenseCaps:\n  talk: ${cap}\n`);
    expect(world.dialpadUserByEmail('nina@acme.com') !== undefined).toBe(created);
    expect(activeInDialpad()).toBe(created ? 5 : 4);
    const withheld = report.plan.withheld.filter((w) => w.kind === 'create').map((w) => [w.email, w.reason]);
    expect(withheld).toEqual(created ? [] : [['nina@acme.com', expect.stringContaining('held back by licenseCaps.talk: 4 talk users already active or planned, the cap is 4')]]);
  });

  it('a hook or incremental run reactivating a user counts the company-wide seats too', async () => {
    const { world } = given();
    const [first] = hireMany(3);
    expect((await reconcile('--apply')).code).toBe(0);
    const id = oktaIdOf(first ?? '');
    world.okta.unassignUser(id);
    expect((await reconcile('--apply')).code).toBe(0);
    expect(activeInDialpad()).toBe(2);
    hire(world.okta, { login: 'extra@acme.com', firstName: 'Extra', lastName: 'Seat' }, { officeName: 'New York' });
    expect((await reconcile('--apply')).code).toBe(0);
    expect(activeInDialpad()).toBe(3);
    world.okta.assignUser(id, { officeName: 'New York' });

    const report = await targetedRun([id], 'licenseCaps:\n  talk: 3\n');
    expect(activeInDialpad()).toBe(3);
    expect(report.plan.withheld).toContainEqual(expect.objectContaining({ email: first, kind: 'reactivate', reason: expect.stringContaining('licenseCaps.talk: 3 talk users') }));
  });

  // Okta's licenseType of an active user changes (dialsync applied the old one, so the change is applied like a
  // title): it takes a seat of the new license, and past licenseCaps only the license change is held.
  it('an Okta licenseType change past licenseCaps holds only the license; the same user\'s title change is applied; a second apply writes nothing', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' }, { officeName: 'New York', licenseType: 'dialpad_sell' });
    const config = world.configFile('licenseCaps:\n  agents: 1\n');
    expect((await reconcile('--apply', '--config', config)).code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')?.license).toBe('talk');

    world.okta.setAppProfile(ann, { licenseType: 'dialpad_sell' });
    world.okta.updateProfile(ann, { title: 'Engineer' });
    const { code, report } = await reconcile('--apply', '--config', config);
    expect(code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ license: 'talk', jobTitle: 'Engineer' });
    expect(world.dialpad.extraLicensesBilled).toBe(0);
    expect(report.plan.withheld).toEqual([
      expect.objectContaining({
        email: 'ann@acme.com',
        kind: 'update',
        reason: 'license change from talk to agents held back by licenseCaps.agents: 1 agents users already active or planned, the cap is 1 (raise licenseCaps.agents to let it through)',
      }),
    ]);

    world.clearRequests();
    const again = await reconcile('--apply', '--config', config);
    expect(again.code).toBe(0);
    expect(world.writeRequests()).toEqual([]);
    expect(again.report.plan.withheld.map((w) => `${w.email} ${w.kind}`)).toEqual(['ann@acme.com update']);

    // Room under the cap: the change goes through.
    expect((await reconcile('--apply', '--config', world.configFile('licenseCaps:\n  agents: 2\n'))).code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')?.license).toBe('agents');
  });

  it('a hook or incremental run counts the company-wide seats for a license change too', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' }, { officeName: 'New York', licenseType: 'dialpad_sell' });
    expect((await reconcile('--apply')).code).toBe(0);
    world.okta.setAppProfile(ann, { licenseType: 'dialpad_sell' });

    const report = await targetedRun([ann], 'licenseCaps:\n  agents: 1\n');
    expect(world.dialpadUserByEmail('ann@acme.com')?.license).toBe('talk');
    expect(report.plan.withheld).toContainEqual(expect.objectContaining({ email: 'ann@acme.com', kind: 'update', reason: expect.stringContaining('licenseCaps.agents: 1 agents users') }));
  });

  it('an office with no free line holds the create ("would buy a seat") instead of buying one; allowBuyingSeats lets it through', async () => {
    const { world } = given();
    world.dialpad.addOffice({ name: 'Austin', country: 'us', mainLine: '+15125550100', licenses: { talk_lines: 0 } });
    hire(world.okta, { login: 'tex@acme.com', firstName: 'Tex', lastName: 'Ranger' }, { officeName: 'Austin' });
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });

    const { code, report } = await reconcile('--apply');
    expect(code).toBe(0);
    expect(world.dialpadUserByEmail('tex@acme.com')).toBeUndefined();
    expect(world.dialpadUserByEmail('ann@acme.com')).toBeDefined();
    expect(world.dialpad.extraLicensesBilled).toBe(0);
    expect(report.plan.withheld).toContainEqual(
      expect.objectContaining({ email: 'tex@acme.com', kind: 'create', reason: expect.stringContaining('would buy a seat (office "Austin" has no talk_lines left') }),
    );

    const buying = await reconcile('--apply', '--config', world.configFile('safety:\n  allowBuyingSeats: true\n'));
    expect(buying.code).toBe(0);
    expect(world.dialpadUserByEmail('tex@acme.com')).toBeDefined();
    expect(world.dialpad.extraLicensesBilled).toBe(1);
  });
});

describe('quarantine', () => {
  it('a user failing in 3 runs in a row is skipped with its last error until released or its Okta data changes; the others sync', async () => {
    const { world, offices } = given();
    const austin = world.dialpad.addOffice({ name: 'Austin', country: 'us', mainLine: '+15125550100', licenses: { talk_lines: 0 } });
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    const bob = hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' }, { officeName: 'New York' });
    expect((await world.reconcile('--apply')).code).toBe(0);

    // Ann moves to an office with no line left: Dialpad refuses the move, run after run.
    world.okta.setAppProfile(ann, { officeName: 'Austin' });
    const moves = (): number => world.dialpad.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/move_office')).length;
    for (let run = 1; run <= 3; run += 1) {
      const failing = await reconcile('--apply');
      expect(failing.code).toBe(1);
      expect(moves()).toBe(run);
    }

    world.okta.updateProfile(bob, { title: 'Engineer' });
    const quarantined = await reconcile('--apply');
    expect(quarantined.code).toBe(0);
    expect(moves()).toBe(3);
    expect(quarantined.report.plan.skipped).toContainEqual(
      expect.objectContaining({ email: 'ann@acme.com', code: 'quarantined', reason: expect.stringMatching(/failing in 3 runs in a row \(last: move_office: .*dialsync release ann@acme.com/) }),
    );
    expect(world.dialpadUserByEmail('bob@acme.com')?.jobTitle).toBe('Engineer');

    // release: tried again on the next run.
    const released = await world.cli('release', 'ANN@acme.com');
    expect(released.code).toBe(0);
    expect(released.stdout).toContain('Released ann@acme.com');
    expect((await reconcile('--apply')).code).toBe(1);
    expect(moves()).toBe(4);
    expect((await world.cli('release', 'nobody@acme.com')).code).toBe(2);

    // Quarantined again after 3 more failing runs; then a change of its Okta data earns another attempt.
    await reconcile('--apply');
    await reconcile('--apply');
    expect(moves()).toBe(6);
    expect((await reconcile('--apply')).report.plan.skipped.map((s) => s.code)).toContain('quarantined');
    expect(moves()).toBe(6);
    world.okta.updateProfile(ann, { title: 'Manager' });
    await reconcile('--apply');
    expect(moves()).toBe(7);
    expect(world.dialpadUserByEmail('ann@acme.com')?.officeId).toBe(offices.newYork);
    expect(world.dialpad.availableLicenses(austin).talk_lines).toBe(0);
  });
});

describe('ownership conflicts', () => {
  it('two Okta users with the same email: neither is created, and the plan says why', async () => {
    const { world } = given();
    const config = world.configFile('mapping:\n  email: [email, login]\n');
    world.okta.createUser({ login: 'ann.lee@acme.com', email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    for (const u of world.okta.listUsers()) world.okta.assignUser(u.id);
    world.okta.assignUser(world.okta.createUser({ login: 'ann.l@acme.com', email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }));
    const { code, report } = await reconcile('--apply', '--config', config);
    // Both assigned users are left without a Dialpad user: exit 7, with what to do.
    expect(code).toBe(7);
    expect(world.dialpad.users()).toEqual([]);
    expect(report.plan.skipped.map((s) => s.code)).toEqual(['duplicate_email', 'duplicate_email']);
    expect(report.plan.skipped[0]?.reason).toContain('2 assigned Okta users have the email ann@acme.com');
  });

  it('an email two Dialpad users hold: neither is adopted or changed, nobody is created, the plan says why, each unmanaged user is listed once', async () => {
    const { world, offices } = given();
    const first = world.dialpad.addUser({ email: 'ann@acme.com', firstName: 'Ann', lastName: 'Old', officeId: offices.newYork });
    const second = world.dialpad.addUser({ email: 'ann.other@acme.com', firstName: 'Ann', lastName: 'Other', officeId: offices.newYork });
    world.dialpad.addUser({ email: 'zed@elsewhere.com', firstName: 'Zed', lastName: 'Z', officeId: offices.newYork });
    // Dialpad lists both with the same primary email (as after a data migration on its side).
    world.dialpad.corruptUser(second, { emails: ['ann@acme.com'] });
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });

    world.clearRequests();
    const { code, report } = await reconcile('--apply');
    expect(code).toBe(7);
    expect(world.writeRequests()).toEqual([]);
    expect(report.plan.skipped).toEqual([
      expect.objectContaining({ email: 'ann@acme.com', code: 'ambiguous_dialpad_match', reason: expect.stringContaining(`several Dialpad users have the primary email ann@acme.com (${[first, second].sort().join(', ')})`) }),
    ]);
    expect(world.dialpad.user(first)?.lastName).toBe('Old');
    expect(report.plan.unmanaged.map((u) => u.email)).toEqual(['zed@elsewhere.com']);
  });
});
