// The whole loop against the stateful sandbox: assertions are on Dialpad's users, Okta's profiles and the plan.
import { describe, expect, it } from 'vitest';
import { hire, type ReconcileJson } from './world.js';
import { useWorld } from './use-world.js';

const given = useWorld();

function plannedKinds(report: ReconcileJson): string[] {
  return report.plan.users.flatMap((user) => user.actions.map((action) => `${user.email} ${action.kind}`)).sort();
}

function performedKinds(report: ReconcileJson): string[] {
  return (report.result?.actions ?? []).filter((a) => a.outcome === 'done').map((a) => `${a.email} ${a.kind}`).sort();
}

describe('reconcile against the sandbox', () => {
  it('first apply creates and adopts users in the right offices with the right licenses and numbers, and writes the numbers back', async () => {
    const { world, offices } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'San Francisco', licenseType: 'Dialpad_Ai Voice' });
    const bob = hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe', countryCode: 'GB' }, { licenseType: 'dialpad_sell' });
    const cat = hire(world.okta, { login: 'cat@acme.com', firstName: 'Cat', lastName: 'Poe' }, { officeName: 'New York', licenseType: 'dialpad_support' });
    const dan = hire(world.okta, { login: 'dan@acme.com', firstName: 'Dan', lastName: 'Moe' }, { licenseType: 'dialpad_platinum' });
    // Already in Dialpad before dialsync: adopted, not created a second time.
    const existing = world.dialpad.addUser({ email: 'eve@acme.com', firstName: 'Eve', lastName: 'Old', officeId: offices.newYork, license: 'talk', phoneNumbers: ['+12125550150'] });
    const eve = hire(world.okta, { login: 'eve@acme.com', firstName: 'Eve', lastName: 'Doe' });

    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(report.outcome).toBe('succeeded');

    const annDp = world.dialpadUserByEmail('ann@acme.com');
    expect(annDp).toMatchObject({ officeId: offices.sanFrancisco, license: 'talk', jobTitle: 'Engineer', state: 'active' });
    expect(annDp?.phoneNumbers[0]).toMatch(/^\+1415/);

    const bobDp = world.dialpadUserByEmail('bob@acme.com');
    expect(bobDp).toMatchObject({ officeId: offices.london, license: 'agents' });
    expect(bobDp?.phoneNumbers[0]).toMatch(/^\+44/);

    // Contact Center agents get no number; the primary office is the fallback.
    const catDp = world.dialpadUserByEmail('cat@acme.com');
    expect(catDp).toMatchObject({ officeId: offices.newYork, license: 'lite_support_agents', phoneNumbers: [] });

    // Unknown license: not created, skipped with the value.
    expect(world.dialpadUserByEmail('dan@acme.com')).toBeUndefined();
    expect(report.plan.skipped).toContainEqual(expect.objectContaining({ email: 'dan@acme.com', code: 'unknown_license', reason: expect.stringContaining('dialpad_platinum') }));

    const eveDp = world.dialpad.users().filter((u) => u.emails.includes('eve@acme.com'));
    expect(eveDp).toHaveLength(1);
    expect(eveDp[0]).toMatchObject({ id: existing, lastName: 'Doe' });

    expect(world.okta.getUser(ann)?.profile.dialpadPhone).toBe(annDp?.phoneNumbers[0]);
    expect(world.okta.getUser(bob)?.profile.dialpadPhone).toBe(bobDp?.phoneNumbers[0]);
    expect(world.okta.getUser(cat)?.profile.dialpadPhone ?? null).toBeNull();
    expect(world.okta.getUser(dan)?.profile.dialpadPhone ?? null).toBeNull();
    expect(world.okta.getUser(eve)?.profile.dialpadPhone).toBe('+12125550150');

    // Write-back is a partial update: Okta's other attributes are untouched.
    expect(world.okta.getUser(ann)?.profile).toMatchObject({ firstName: 'Ann', title: 'Engineer', login: 'ann@acme.com' });
    expect(world.okta.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('a second apply sends no write request', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'London' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' });
    expect((await world.reconcile('--apply')).code).toBe(0);

    world.clearRequests();
    const second = await world.reconcile('--apply');
    expect(second.code).toBe(0);
    expect(second.report.plan.users).toEqual([]);
    expect(world.writeRequests()).toEqual([]);
  });

  it('a dry run sends no write request, and its plan is what the following apply performs', async () => {
    const { world, offices } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'London' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' }, { licenseType: 'dialpad_support' });
    world.dialpad.addUser({ email: 'cat@acme.com', firstName: 'Cat', lastName: 'Poe', officeId: offices.sanFrancisco, state: 'suspended' });
    hire(world.okta, { login: 'cat@acme.com', firstName: 'Cat', lastName: 'Poe' }, { officeName: 'San Francisco' });

    const dry = await world.reconcile();
    expect(dry.code).toBe(0);
    expect(dry.report.result).toBeNull();
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpad.users().filter((u) => u.state === 'active')).toHaveLength(0);

    const applied = await world.reconcile('--apply');
    expect(applied.report.result?.failedUsers).toEqual([]);
    // A create with a title brings its own follow-up, the title PATCH, reported as set_job_title.
    expect(performedKinds(applied.report)).toEqual([...plannedKinds(dry.report), 'ann@acme.com set_job_title'].sort());
    expect(plannedKinds(applied.report)).toEqual(plannedKinds(dry.report));
  });

  it('a title change in Okta patches job_title', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' });
    await world.reconcile('--apply');
    world.okta.updateProfile(ann, { title: 'Staff Engineer' });
    world.clearRequests();

    const { report } = await world.reconcile('--apply');
    expect(plannedKinds(report)).toEqual(['ann@acme.com update']);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Staff Engineer');
    const patch = world.dialpad.requests.find((r) => r.method === 'PATCH');
    expect(patch?.body).toEqual({ job_title: 'Staff Engineer' });
  });

  it('an office change in Okta moves the user', async () => {
    const { world, offices } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    await world.reconcile('--apply');
    const before = world.dialpadUserByEmail('ann@acme.com');
    world.okta.setAppProfile(ann, { officeName: 'San Francisco' });

    const { report } = await world.reconcile('--apply');
    expect(plannedKinds(report)).toEqual(['ann@acme.com move_office']);
    const after = world.dialpadUserByEmail('ann@acme.com');
    expect(after).toMatchObject({ id: before?.id, officeId: offices.sanFrancisco, phoneNumbers: before?.phoneNumbers });
  });

  it('a move to another country says numbers are reassigned, and writes the new number back', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    await world.reconcile('--apply');
    world.okta.setAppProfile(ann, { officeName: 'London' });

    const dry = await world.reconcile();
    const move = dry.report.plan.users[0]?.actions.find((a) => a.kind === 'move_office');
    expect(move).toMatchObject({ international: true });
    await world.reconcile('--apply');
    const after = world.dialpadUserByEmail('ann@acme.com');
    expect(after?.phoneNumbers[0]).toMatch(/^\+44/);
    expect(world.okta.getUser(ann)?.profile.dialpadPhone).toBe(after?.phoneNumbers[0]);
  });

  it('unassigning suspends, and reassigning reactivates the same Dialpad user', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    // Someone stays assigned: an empty listing would be held back by the source health gate (test/e2e/safety.test.ts).
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' });
    await world.reconcile('--apply');
    const created = world.dialpadUserByEmail('ann@acme.com');

    world.okta.unassignUser(ann);
    const suspended = await world.reconcile('--apply');
    expect(plannedKinds(suspended.report)).toEqual(['ann@acme.com suspend']);
    expect(world.dialpad.user(created?.id ?? '')?.state).toBe('suspended');

    world.okta.assignUser(ann, {});
    const reactivated = await world.reconcile('--apply');
    expect(plannedKinds(reactivated.report)).toEqual(['ann@acme.com reactivate']);
    expect(world.dialpad.users().filter((u) => u.emails.includes('ann@acme.com'))).toHaveLength(1);
    expect(world.dialpad.user(created?.id ?? '')?.state).toBe('active');
  });

  it('an Okta user deactivated is suspended in Dialpad', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' });
    await world.reconcile('--apply');
    world.okta.setStatus(ann, 'DEPROVISIONED');
    const { report } = await world.reconcile('--apply');
    expect(report.plan.users[0]?.actions[0]).toMatchObject({ kind: 'suspend', reason: expect.stringMatching(/deactivated/i) });
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('suspended');
  });

  it('an email change in Okta updates the same Dialpad user', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    await world.reconcile('--apply');
    const created = world.dialpadUserByEmail('ann@acme.com');

    world.okta.updateProfile(ann, { login: 'ann.lee@acme.com', email: 'ann.lee@acme.com' });
    const { report } = await world.reconcile('--apply');
    expect(plannedKinds(report)).toEqual(['ann.lee@acme.com update']);
    const users = world.dialpad.users().filter((u) => u.state !== 'deleted');
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ id: created?.id });
    expect(users[0]?.emails[0]).toBe('ann.lee@acme.com');
  });

  it('leaves a Dialpad user with no Okta counterpart that dialsync never owned untouched', async () => {
    const { world, offices } = given();
    const stranger = world.dialpad.addUser({ email: 'contractor@elsewhere.com', firstName: 'Con', lastName: 'Tractor', officeId: offices.newYork });
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });

    const { report } = await world.reconcile('--apply');
    expect(report.plan.unmanaged).toContainEqual(expect.objectContaining({ dialpadUserId: stranger, email: 'contractor@elsewhere.com' }));
    expect(world.dialpad.user(stranger)).toMatchObject({ state: 'active', firstName: 'Con', lastName: 'Tractor' });
    expect(world.dialpad.requests.filter((r) => r.path.includes(stranger))).toEqual([]);
  });

  it('--user limits the run to one user', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' });
    const { code, report } = await world.reconcile('--apply', '--user', 'bob@acme.com');
    expect(code).toBe(0);
    expect(report.plan.users.map((u) => u.email)).toEqual(['bob@acme.com']);
    expect(world.dialpadUserByEmail('ann@acme.com')).toBeUndefined();
    expect(world.dialpadUserByEmail('bob@acme.com')).toBeDefined();
  });

  it('prints a readable plan table grouped by action', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'London' });
    const run = await world.cli('reconcile');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Create (1)');
    expect(run.stdout).toMatch(/ann@acme\.com\s+office London, license talk/);
    expect(run.stdout).toContain('Dry run: nothing was changed');
  });

  it('stops with exit code 3 and changes nothing when a credential is refused', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    world.extraEnv = { DIALPAD_API_KEY: 'wrong-key' };
    const run = await world.cli('reconcile', '--apply');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Dialpad/);
    expect(run.stderr).not.toContain('wrong-key');
    expect(world.writeRequests()).toEqual([]);

    world.extraEnv = { OKTA_API_TOKEN: 'wrong-token' };
    const okta = await world.cli('reconcile', '--apply');
    expect(okta.code).toBe(3);
    expect(okta.stderr).toMatch(/Okta/);
    expect(okta.stderr).not.toContain('wrong-token');
  });

  it('stops with exit code 2 on a configuration error, contacting nothing', async () => {
    const { world } = given();
    world.extraEnv = { OKTA_APP_ID: '' };
    const run = await world.cli('reconcile');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('OKTA_APP_ID');
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
  });
});
