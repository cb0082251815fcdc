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
    expect(text).toContain('Okta: status ACTIVE (in scope), assigned directly');
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
});
