// A run that follows a crash finishes the work without creating a second Dialpad user.
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { hire } from './world.js';
import { useWorld } from './use-world.js';

const given = useWorld();

describe('after a crash', () => {
  it('a create that reached Dialpad before the crash is linked as created, not created again', async () => {
    const { world, offices } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    // The crashed run journaled the create and Dialpad carried it out, but the answer never came back.
    const store = await Store.open(world.database);
    await store.runs.start('crashed-run', 'reconcile', true);
    await store.journal.begin({
      runId: 'crashed-run', oktaUserId: ann, dialpadUserId: null, email: 'ann@acme.com', action: 'create', target: 'dialpad',
      request: { method: 'POST', path: '/api/v2/users', body: { email: 'ann@acme.com' } },
    });
    await store.close();
    const reached = world.dialpad.addUser({ email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', officeId: offices.newYork, phoneNumbers: ['+12125550181'] });

    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(world.dialpad.users().filter((u) => u.emails.includes('ann@acme.com'))).toHaveLength(1);
    expect(report.plan.users.flatMap((u) => u.actions.map((a) => a.kind))).toEqual(['write_back']);
    expect(world.okta.getUser(ann)?.profile.dialpadPhone).toBe('+12125550181');

    const after = await Store.open(world.database);
    try {
      expect(await after.links.all()).toEqual([{ oktaUserId: ann, dialpadUserId: reached, origin: 'created' }]);
      expect(await after.journal.unfinished()).toEqual([]);
    } finally {
      await after.close();
    }
  });

  it('a create that never reached Dialpad is carried out by the next run', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    const store = await Store.open(world.database);
    await store.runs.start('crashed-run', 'reconcile', true);
    await store.journal.begin({
      runId: 'crashed-run', oktaUserId: ann, dialpadUserId: null, email: 'ann@acme.com', action: 'create', target: 'dialpad',
      request: { method: 'POST', path: '/api/v2/users' },
    });
    await store.close();

    const { code } = await world.reconcile('--apply');
    expect(code).toBe(0);
    const users = world.dialpad.users().filter((u) => u.emails.includes('ann@acme.com'));
    expect(users).toHaveLength(1);
    expect(world.okta.getUser(ann)?.profile.dialpadPhone).toBe(users[0]?.phoneNumbers[0]);
  });
});
