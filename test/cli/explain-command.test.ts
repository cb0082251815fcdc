// `dialsync explain EMAIL` against the sandbox: both sides, the rule behind each decision, and the next run.
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/plan/explain.js';
import { Store } from '../../src/store/store.js';
import { hire } from '../e2e/world.js';
import { useWorld } from '../e2e/use-world.js';

const given = useWorld();

async function explain(email: string): Promise<Explanation> {
  const { world } = given();
  const run = await world.cli('explain', email, '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Explanation;
}

describe('dialsync explain', () => {
  it('a new user: office by exact name from the app user profile, license by alias, created with an auto-assigned number', async () => {
    const { world, offices } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'San Francisco', licenseType: 'Dialpad_Ai Voice' });
    world.clearRequests();
    const e = await explain('ann@acme.com');

    expect(e.oktaUserId).toBe(ann);
    expect(e.okta).toMatchObject({ status: 'ACTIVE', inScope: true, scope: 'USER' });
    expect(e.okta?.attributes).toContainEqual({ field: 'office', tried: ['officeName', 'physicalDeliveryOfficeName', 'department'], attribute: 'officeName', profile: 'appUser', value: 'San Francisco' });
    expect(e.okta?.attributes).toContainEqual(expect.objectContaining({ field: 'email', attribute: 'login', profile: 'user', value: 'ann@acme.com' }));
    expect(e.okta?.attributes).toContainEqual(expect.objectContaining({ field: 'title', attribute: 'title', value: 'Engineer' }));
    expect(e.dialpad).toBeNull();
    expect(e.link).toBeNull();
    expect(e.office).toMatchObject({ officeId: offices.sanFrancisco, officeName: 'San Francisco', rule: 'name', attribute: 'officeName', value: 'San Francisco' });
    expect(e.license).toMatchObject({ license: 'talk', source: 'alias', attribute: 'licenseType', value: 'Dialpad_Ai Voice' });
    expect(e.number).toMatchObject({ kind: 'auto' });
    expect(e.next.actions.map((a) => a.kind)).toEqual(['create', 'write_back']);
    expect(e.next.summary).toBe('the next run would create, then write back');
    // Read-only: nothing was written, no run recorded.
    expect(world.writeRequests()).toEqual([]);
    const status = await world.cli('status', '--json');
    expect((JSON.parse(status.stdout) as { runs: unknown[] }).runs).toEqual([]);

    const text = (await world.cli('explain', 'ann@acme.com')).stdout;
    expect(text).toContain('Okta: status ACTIVE (a status in scope), assigned directly');
    expect(text).toMatch(/office\s+"San Francisco"\s+officeName \(app user profile\)/);
    expect(text).toContain(`Office: "San Francisco" (${offices.sanFrancisco}), rule name`);
    expect(text).toContain('officeName "San Francisco" is the exact name of an active office');
    expect(text).toContain('License: talk (alias)');
    expect(text).toContain('Dialpad: no user linked or with this primary email');
    expect(text).toContain('Next run: the next run would create, then write back');
  });

  it('office by country: the one office of the country, and the primary office among several', async () => {
    const { world, offices } = given();
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe', countryCode: 'GB' }, { licenseType: 'dialpad_sell' });
    hire(world.okta, { login: 'cat@acme.com', firstName: 'Cat', lastName: 'Poe', countryCode: 'US' }, { officeName: 'Narnia' });

    const bob = await explain('bob@acme.com');
    expect(bob.office).toMatchObject({ officeName: 'London', rule: 'country', country: 'GB', attribute: null });
    expect(bob.office?.explanation).toContain('country "GB" has exactly one active office');
    expect(bob.license).toMatchObject({ license: 'agents', source: 'alias' });

    const cat = await explain('cat@acme.com');
    expect(cat.office).toMatchObject({ officeId: offices.newYork, rule: 'country-primary', attribute: 'officeName', value: 'Narnia' });
    expect(cat.office?.explanation).toBe('officeName "Narnia" is not the exact name of an active office; country "US" has several offices and the company\'s primary office is one of them');
    expect(cat.license).toMatchObject({ license: 'talk', source: 'default', value: null });
  });

  it('an existing Dialpad user found by email: adopted, and given a pool number of its office', async () => {
    const { world, offices } = given();
    const existing = world.dialpad.addUser({ email: 'eve@acme.com', firstName: 'Eve', lastName: 'Doe', officeId: offices.newYork, license: 'talk', phoneNumbers: [] });
    hire(world.okta, { login: 'eve@acme.com', firstName: 'Eve', lastName: 'Doe' }, { officeName: 'New York' });

    const e = await explain('eve@acme.com');
    expect(e.dialpad).toMatchObject({ id: existing, matchedBy: 'email', state: 'active', officeId: offices.newYork, officeName: 'New York', license: 'talk', phoneNumbers: [] });
    expect(e.number).toMatchObject({ kind: 'pool', number: '+12125550181' });
    expect(e.next.actions.map((a) => a.kind)).toEqual(['adopt', 'assign_number', 'write_back']);
    const text = (await world.cli('explain', 'eve@acme.com')).stdout;
    expect(text).toContain(`Dialpad: user ${existing}, found by its primary email (not linked yet)`);
    expect(text).toContain('assign number +12125550181');
  });

  it('after an apply: linked, the number it has, and a next run that changes nothing', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'London' });
    expect((await world.reconcile('--apply')).code).toBe(0);
    const dialpadUser = world.dialpadUserByEmail('ann@acme.com');

    const e = await explain('ANN@acme.com');
    expect(e.link).toMatchObject({ dialpadUserId: dialpadUser?.id, origin: 'created' });
    expect(e.dialpad).toMatchObject({ id: dialpadUser?.id, matchedBy: 'link', officeName: 'London' });
    expect(e.number).toMatchObject({ kind: 'has', number: dialpadUser?.phoneNumbers[0] });
    expect(e.okta?.writeBack).toEqual({ attribute: 'dialpadPhone', target: 'user', value: dialpadUser?.phoneNumbers[0] });
    expect(e.next).toMatchObject({ actions: [], skipped: [], summary: 'in step: the next run would change nothing' });

    // Suspended in Okta: the next run would suspend in Dialpad.
    const annId = e.oktaUserId ?? '';
    world.okta.setStatus(annId, 'SUSPENDED');
    const suspended = await explain('ann@acme.com');
    expect(suspended.okta).toMatchObject({ status: 'SUSPENDED', inScope: false });
    expect(suspended.next.actions[0]).toMatchObject({ kind: 'suspend', reason: 'Okta user status is SUSPENDED' });
  });

  it('an unknown license: the user is skipped, and says why', async () => {
    const { world } = given();
    hire(world.okta, { login: 'dan@acme.com', firstName: 'Dan', lastName: 'Moe' }, { licenseType: 'dialpad_platinum' });
    const e = await explain('dan@acme.com');
    expect(e.license).toMatchObject({ license: null, source: 'unknown', value: 'dialpad_platinum' });
    expect(e.next.skipped).toEqual([expect.objectContaining({ code: 'unknown_license' })]);
    expect(e.next.summary).toContain('skip the user');
  });

  it('a quarantined user: the next run would leave it alone, as a run does', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'London' });
    const store = await Store.open(world.database);
    try {
      for (const runId of ['run-1', 'run-2', 'run-3']) {
        await store.userErrors.record({ userKey: `okta:${ann}`, oktaUserId: ann, email: 'ann@acme.com', runId, action: 'create', message: 'Dialpad refused the create' });
      }
    } finally {
      await store.close();
    }
    const e = await explain('ann@acme.com');
    expect(e.next.actions).toEqual([]);
    expect(e.next.skipped).toEqual([expect.objectContaining({ code: 'quarantined', reason: expect.stringContaining('failing in 3 runs in a row') })]);
    expect(e.office).toMatchObject({ officeName: 'London', rule: 'name' });
  });

  it('a user neither in Okta nor linked is a usage error (exit 2)', async () => {
    const { world } = given();
    const run = await world.cli('explain', 'nobody@acme.com');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nobody@acme.com is neither an Okta user nor a user dialsync has linked');
  });

  it('a Dialpad user no Okta user or link claims is explained as unmanaged, as the run lists it (exit 0)', async () => {
    const { world, offices } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    const desk = world.dialpad.addUser({ email: 'front.desk@acme.com', firstName: 'Front', lastName: 'Desk', officeId: offices.newYork });
    const run = await world.reconcile();
    expect(run.report.plan.unmanaged.map((u) => u.dialpadUserId)).toEqual([desk]);

    const e = await explain('Front.Desk@acme.com');
    expect(e).toMatchObject({ oktaUserId: null, okta: null, link: null, dialpad: { id: desk, matchedBy: 'unmanaged', officeName: 'New York', state: 'active' } });
    expect(e.next.actions).toEqual([]);
    expect(e.next.summary).toContain('unmanaged');
    const text = await world.cli('explain', 'front.desk@acme.com');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Dialpad: user ${desk}, unmanaged`);

    // An email only a deleted Dialpad user held is nobody's: no such user (exit 2), as before.
    world.dialpad.addUser({ email: 'gone@acme.com', firstName: 'Gone', lastName: 'Away', officeId: offices.newYork, state: 'deleted' });
    const gone = await world.cli('explain', 'gone@acme.com');
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('gone@acme.com is neither an Okta user nor a user dialsync has linked');
  });
});

describe('dialsync explain agrees with `dialsync reconcile --user` for a held user', () => {
  interface HeldJson {
    plan: { withheld: { email: string; kind: string; reason: string }[]; skipped: { email: string | null; code: string; reason: string }[] };
    held: { gate: string }[];
  }

  /** Explains the user (JSON and text) and runs `reconcile --user` on it (JSON, then text): what each says of the user. */
  async function bothSay(email: string, ...config: string[]) {
    const { world } = given();
    const explained = await world.cli('explain', email, '--json', ...config);
    expect(explained.code, explained.stderr).toBe(0);
    const e = JSON.parse(explained.stdout) as Explanation;
    const explainText = (await world.cli('explain', email, ...config)).stdout;
    const run = await world.cli('reconcile', '--json', '--user', email, ...config);
    const report = JSON.parse(run.stdout) as HeldJson;
    const runText = (await world.cli('reconcile', '--user', email, ...config)).stdout;
    return {
      explained: e,
      explainText,
      runCode: run.code,
      runGates: report.held.map((h) => h.gate),
      runText,
      runWithheld: report.plan.withheld.filter((w) => w.email.toLowerCase() === email.toLowerCase()).map(({ kind, reason }) => ({ kind, reason })),
      runSkipped: report.plan.skipped.filter((s) => s.email?.toLowerCase() === email.toLowerCase()).map(({ code, reason }) => ({ code, reason })),
    };
  }

  it('a create past licenseCaps: held by the cap, with the reason the run prints', async () => {
    const { world, offices } = given();
    world.dialpad.addUser({ email: 'old@elsewhere.com', firstName: 'Old', lastName: 'Timer', officeId: offices.newYork, license: 'talk' });
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    const say = await bothSay('ann@acme.com', '--config', world.configFile('licenseCaps:\n  talk: 1\n'));

    expect(say.runWithheld.map((w) => w.kind)).toEqual(['create', 'write_back']);
    expect(say.runWithheld[0]?.reason).toContain('held back by licenseCaps.talk: 1 talk users already active or planned, the cap is 1');
    expect(say.explained.next.withheld).toEqual(say.runWithheld);
    expect(say.explained.next.actions).toEqual([]);
    expect(say.explained.next.summary).toMatch(/^the next run would hold back create, write back \(held back by licenseCaps\.talk/);
    for (const w of say.runWithheld) {
      expect(say.runText).toContain(w.reason);
      expect(say.explainText).toContain(`held back: ${w.kind} (${w.reason})`);
    }
  });

  it('a create in an office with no free line: held by the seat check, with the reason the run prints', async () => {
    const { world } = given();
    world.dialpad.addOffice({ name: 'Austin', country: 'us', mainLine: '+15125550100', licenses: { talk_lines: 0 } });
    hire(world.okta, { login: 'tex@acme.com', firstName: 'Tex', lastName: 'Ranger' }, { officeName: 'Austin' });
    world.clearRequests();
    const say = await bothSay('tex@acme.com');

    expect(say.runWithheld.map((w) => w.kind)).toEqual(['create', 'write_back']);
    expect(say.runWithheld[0]?.reason).toContain('would buy a seat (office "Austin" has no talk_lines left for talk');
    expect(say.explained.next.withheld).toEqual(say.runWithheld);
    expect(say.explained.next.summary).toMatch(/^the next run would hold back create, write back \(held back: would buy a seat/);
    for (const w of say.runWithheld) expect(say.explainText).toContain(`held back: ${w.kind} (${w.reason})`);
    // Neither bought a seat: only reads (the run was a dry run).
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpad.extraLicensesBilled).toBe(0);
  });

  it('a suspend over the mass-change thresholds: held by the guard, as `reconcile --user` holds it (exit 5)', async () => {
    const { world } = given();
    // A targeted run counts its own suspends against every managed user: with the defaults one suspend is never
    // held, so the thresholds are set to 0 here. Explain is `reconcile --user`, not a full run.
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' }, { officeName: 'New York' });
    expect((await world.reconcile('--apply')).code).toBe(0);
    world.okta.unassignUser(ann);
    const strict = world.configFile('safety:\n  massSuspend:\n    count: 0\n    percent: 0\n');
    const say = await bothSay('ann@acme.com', '--config', strict);

    expect(say.runCode).toBe(5);
    expect(say.runGates).toEqual(['mass-change']);
    expect(say.runWithheld.map((w) => w.kind)).toContain('suspend');
    expect(say.runWithheld[0]?.reason).toContain('held back by the mass-change guard: 1 suspends planned (more than 0 and more than 0% of 2 managed users)');
    expect(say.explained.next.withheld).toEqual(say.runWithheld);
    expect(say.explained.next.actions).toEqual([]);
    expect(say.explained.next.summary).toMatch(/^the next run would hold back suspend/);
    for (const w of say.runWithheld) expect(say.explainText).toContain(`held back: ${w.kind} (${w.reason})`);

    // With the default thresholds neither holds it: both would suspend.
    const defaults = await bothSay('ann@acme.com');
    expect(defaults.runWithheld).toEqual([]);
    expect(defaults.explained.next.withheld).toEqual([]);
    expect(defaults.explained.next.actions[0]).toMatchObject({ kind: 'suspend' });
  });

  it('a quarantined user: skipped, with the reason the run prints', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'London' });
    await world.withStore(async (store) => {
      for (const runId of ['run-1', 'run-2', 'run-3']) {
        await store.userErrors.record({ userKey: `okta:${ann}`, oktaUserId: ann, email: 'ann@acme.com', runId, action: 'create', message: 'Dialpad refused the create' });
      }
    });
    const say = await bothSay('ann@acme.com');

    expect(say.runSkipped).toEqual([{ code: 'quarantined', reason: expect.stringContaining('failing in 3 runs in a row') }]);
    expect(say.explained.next.skipped.map(({ code, reason }) => ({ code, reason }))).toEqual(say.runSkipped);
    expect(say.explained.next.summary).toBe(`the next run would skip the user: ${say.runSkipped[0]?.reason ?? ''}`);
    expect(say.runText).toContain(say.runSkipped[0]?.reason ?? '-');
  });
});
