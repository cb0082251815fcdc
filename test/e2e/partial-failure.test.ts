// One field Dialpad refuses must not sink the rest of a user: the create that happened is done, the number is
// written back in the same run, and only the refused field is tried again. The sandbox refuses job titles over
// 100 characters (real Dialpad documents no limit; any refused field would do).
//
// Decided: a field Dialpad refuses is that user's own failure. It counts toward quarantine like any other of
// the user's failures: failing in runs 1, 2 and 3 (quarantineAfter 3), the user is skipped as quarantined in
// run 4, with its Dialpad user and written-back number intact. The user is tried again once the title changes
// in Okta.
import { beforeEach, describe, expect, it } from 'vitest';
import { hire, type ReconcileJson } from './world.js';
import { useWorld } from './use-world.js';

const LONG_TITLE = `Head of Global Voices${' Telephony'.repeat(10)}`;
const REFUSED = 'job_title: ensure this value has at most 100 characters';
const USER_PATCH = /^\/api\/v2\/users\/\d+$/;

const given = useWorld();

beforeEach(() => {
  const { world } = given();
  world.dialpad.refuse({ method: 'PATCH', path: USER_PATCH, field: 'job_title', when: (value) => typeof value === 'string' && value.length > 100, message: REFUSED });
});

/** Each action of one user in the result, as "kind outcome". */
function outcomes(report: ReconcileJson, email: string): string[] {
  return (report.result?.actions ?? []).filter((action) => action.email === email).map((action) => `${action.kind} ${action.outcome}`);
}

/** The actions planned for one user, as kind (with the fields of an update). */
function planned(report: ReconcileJson, email: string): string[] {
  const user = report.plan.users.find((u) => u.email === email);
  return (user?.actions ?? []).map((action) =>
    action.kind === 'update' ? `update ${(action.changes as { field: string }[]).map((c) => c.field).join(',')}` : action.kind,
  );
}

function dialpadUsers(email: string) {
  const { world } = given();
  return world.dialpad.users().filter((user) => user.state !== 'deleted' && user.emails.some((e) => e.toLowerCase() === email));
}

async function lastRunCounts() {
  const { world } = given();
  return (await world.withStore((store) => store.runs.recent(1)))[0];
}

async function failureCount(email: string): Promise<number> {
  const { world } = given();
  return (await world.withStore((store) => store.userErrors.all())).find((failure) => failure.email === email)?.consecutiveFailures ?? 0;
}

describe('a field Dialpad refuses', () => {
  it('leaves the create done and the number written back in run 1; only the title is retried; quarantined by run 4', async () => {
    const { world } = given();
    expect(LONG_TITLE.length).toBe(121);
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: LONG_TITLE });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe', title: 'Engineer' });
    const phone = () => world.okta.getUser(ann)?.profile.dialpadPhone;

    // Run 1: the create is done, its title PATCH fails on its own, the write-back goes through.
    const run1 = await world.reconcile('--apply');
    expect(run1.code).toBe(1);
    expect(outcomes(run1.report, 'ann@acme.com')).toEqual(['create done', 'set_job_title failed', 'write_back done']);
    const refused = run1.report.result?.actions.find((action) => action.kind === 'set_job_title');
    expect(refused?.error).toContain(REFUSED);
    expect(outcomes(run1.report, 'bob@acme.com')).toEqual(['create done', 'set_job_title done', 'write_back done']);
    const [created] = dialpadUsers('ann@acme.com');
    expect(dialpadUsers('ann@acme.com')).toHaveLength(1);
    expect(created?.phoneNumbers).toHaveLength(1);
    expect(created?.jobTitle).toBeNull();
    expect(phone()).toBe(created?.phoneNumbers[0]);
    expect(await failureCount('ann@acme.com')).toBe(1);
    // The run's counts are the steps: a create's title PATCH is planned, and done or failed, on its own.
    expect(await lastRunCounts()).toMatchObject({ plannedActions: 6, succeededActions: 5, failedActions: 1, outcome: 'partial' });

    // Runs 2 and 3: the plan holds just the title update, which fails again; nothing else is sent for Ann.
    for (const [run, count] of [[2, 2], [3, 3]] as const) {
      world.clearRequests();
      const next = await world.reconcile('--apply');
      expect(next.code, `run ${run}`).toBe(1);
      expect(planned(next.report, 'ann@acme.com')).toEqual(['update job_title']);
      expect(outcomes(next.report, 'ann@acme.com')).toEqual(['update failed']);
      expect(next.report.result?.actions.find((action) => action.email === 'ann@acme.com')?.error).toMatch(/^job_title refused \(Dialpad rejected PATCH \/api\/v2\/users\/\d+ \(400\): job_title: ensure/);
      expect(next.report.plan.users.map((user) => user.email)).toEqual(['ann@acme.com']);
      expect(world.writeRequests()).toEqual([{ service: 'dialpad', method: 'PATCH', path: `/api/v2/users/${created?.id}` }]);
      expect(dialpadUsers('ann@acme.com')).toHaveLength(1);
      expect(phone()).toBe(created?.phoneNumbers[0]);
      expect(await failureCount('ann@acme.com')).toBe(count);
    }

    // Run 4: three failing runs in a row, all Ann's own: she is quarantined; her user and number stay.
    world.clearRequests();
    const run4 = await world.reconcile('--apply');
    expect(run4.report.plan.users).toEqual([]);
    expect(run4.report.plan.skipped).toEqual([expect.objectContaining({ email: 'ann@acme.com', code: 'quarantined' })]);
    expect(world.writeRequests()).toEqual([]);
    expect(dialpadUsers('ann@acme.com')).toHaveLength(1);
    expect(phone()).toBe(created?.phoneNumbers[0]);

    // A title Dialpad takes lifts the quarantine: the next run sets it, and only it.
    world.okta.updateProfile(ann, { title: 'Principal Engineer' });
    const run5 = await world.reconcile('--apply');
    expect(run5.code).toBe(0);
    expect(outcomes(run5.report, 'ann@acme.com')).toEqual(['update done']);
    expect(dialpadUsers('ann@acme.com')[0]?.jobTitle).toBe('Principal Engineer');
    expect(await failureCount('ann@acme.com')).toBe(0);
  }, 60_000);

  it('lands the other fields of an update when Dialpad refuses one, naming the refused field', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' });
    expect((await world.reconcile('--apply')).code).toBe(0);
    world.okta.updateProfile(ann, { firstName: 'Anna', lastName: 'Leigh', title: LONG_TITLE });

    const run = await world.reconcile('--apply');
    expect(run.code).toBe(1);
    expect(planned(run.report, 'ann@acme.com')).toEqual(['update first_name,last_name,job_title']);
    expect(outcomes(run.report, 'ann@acme.com')).toEqual(['update failed']);
    const error = run.report.result?.actions[0]?.error ?? '';
    expect(error).toMatch(/^job_title refused \(Dialpad rejected PATCH \/api\/v2\/users\/\d+ \(400\): job_title: ensure this value has at most 100 characters\); applied: first_name, last_name$/);
    const [user] = dialpadUsers('ann@acme.com');
    expect([user?.firstName, user?.lastName, user?.jobTitle]).toEqual(['Anna', 'Leigh', 'Engineer']);

    // The next run plans only the refused field.
    const next = await world.reconcile();
    expect(planned(next.report, 'ann@acme.com')).toEqual(['update job_title']);
  }, 60_000);

  it('writes back the number a user still has when Dialpad refuses the move that would have changed it', async () => {
    const { world } = given();
    const offices = world.dialpad.offices();
    const london = offices.find((office) => office.name === 'London')?.id ?? '';
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    expect((await world.reconcile('--apply')).code).toBe(0);
    const number = dialpadUsers('ann@acme.com')[0]?.phoneNumbers[0];
    expect(number).toBeDefined();
    // Someone cleared dialpadPhone; Ann moves abroad, and Dialpad refuses the move.
    world.okta.updateProfile(ann, { dialpadPhone: null });
    world.okta.setAppProfile(ann, { officeName: 'London' });
    world.dialpad.refuse({ method: 'PATCH', path: /^\/api\/v2\/users\/\d+\/move_office$/, field: 'office_id', when: (value) => String(value) === london });

    const run = await world.reconcile('--apply');
    expect(run.code).toBe(1);
    expect(planned(run.report, 'ann@acme.com')).toEqual(['move_office', 'write_back']);
    expect(outcomes(run.report, 'ann@acme.com')).toEqual(['move_office failed', 'write_back done']);
    expect(world.okta.getUser(ann)?.profile.dialpadPhone).toBe(number);
  }, 60_000);
});
