// A create whose title PATCH did not go through (Dialpad failed it, or the process stopped between the two): the
// next run writes Okta's title under every drift policy. The create recorded the title it left empty, so the empty
// title in Dialpad is a change of Okta's still to write, not an edit made in Dialpad for report or adopt to keep.
import { describe, expect, it } from 'vitest';
import type { DriftFinding } from '../../src/plan/types.js';
import { Store } from '../../src/store/store.js';
import { useWorld } from './use-world.js';
import { hire } from './world.js';

let failingTitles = false;
const given = useWorld({
  dialpad: { faults: { rate: 1, kinds: ['500'], applies: (request) => failingTitles && request.method === 'PATCH' && /^\/api\/v2\/users\/[^/]+$/.test(request.path) } },
});

describe('a create whose title PATCH failed', () => {
  it.each(['report', 'adopt', 'revert'])('drift.job_title: %s — the next run writes the title; nothing is listed as drift', async (policy) => {
    const { world } = given();
    const config = world.configFile(`drift:\n  job_title: ${policy}\n`);
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'London' });

    failingTitles = true;
    try {
      const first = await world.reconcile('--apply', '--config', config);
      expect(first.code).toBe(1);
    } finally {
      failingTitles = false;
    }
    const created = world.dialpadUserByEmail('ann@acme.com');
    expect(created?.jobTitle ?? null).toBeNull();
    // What the create recorded: its names, office and license, and the title it left empty.
    const store = await Store.open(world.database);
    try {
      const values = (await store.appliedValues.forUsers([created?.id ?? ''])).get(created?.id ?? '');
      expect(values?.job_title).toMatchObject({ applied: null, okta: null });
      expect(values?.first_name).toMatchObject({ applied: 'Ann', okta: 'Ann' });
    } finally {
      await store.close();
    }

    world.clearRequests();
    const next = await world.reconcile('--apply', '--config', config);
    expect(next.code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Engineer');
    expect(((next.report.plan as { drift?: DriftFinding[] }).drift ?? []).filter((d) => d.field === 'job_title')).toEqual([]);

    world.clearRequests();
    const again = await world.reconcile('--apply', '--config', config);
    expect(again.code).toBe(0);
    expect(world.writeRequests()).toEqual([]);
  });
});

describe('a create whose answer a crash lost, before its title PATCH', () => {
  it.each(['report', 'adopt'])('drift.job_title: %s — the run that settles it also writes the title', async (policy) => {
    const { world, offices } = given();
    const config = world.configFile(`drift:\n  job_title: ${policy}\n`);
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'London' });
    // The crashed run journaled the create and Dialpad carried it out; the answer, and so the title PATCH, never came.
    const store = await Store.open(world.database);
    try {
      await store.runs.start('crashed-run', 'reconcile', true);
      await store.journal.begin({
        runId: 'crashed-run', oktaUserId: ann, dialpadUserId: null, email: 'ann@acme.com', action: 'create', target: 'dialpad',
        request: { method: 'POST', path: '/api/v2/users', body: { email: 'ann@acme.com' } },
      });
    } finally {
      await store.close();
    }
    const reached = world.dialpad.addUser({ email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', officeId: offices.london });

    const next = await world.reconcile('--apply', '--config', config);
    expect(next.code).toBe(0);
    expect(world.dialpad.users().filter((u) => u.emails.includes('ann@acme.com')).map((u) => [u.id, u.jobTitle])).toEqual([[reached, 'Engineer']]);
    expect(((next.report.plan as { drift?: DriftFinding[] }).drift ?? []).filter((d) => d.field === 'job_title')).toEqual([]);

    world.clearRequests();
    expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
    expect(world.writeRequests()).toEqual([]);
  });
});
