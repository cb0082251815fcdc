// Drift against the sandbox: a job title an admin edits in Dialpad (a PATCH through Dialpad's API, as the portal
// makes it) is reported, reverted or adopted per drift.job_title; an adopted title gives way to the next change
// of Okta's title; and after each, a second apply sends no write.
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriftFinding } from '../../src/plan/types.js';
import { useWorld } from './use-world.js';
import { hire, type World } from './world.js';

const given = useWorld();

/** Ann, created by a first apply as Engineer in London; returns her Okta and Dialpad user ids. */
async function annCreated(world: World, config: string): Promise<{ ann: string; dialpadUserId: string }> {
  const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'London' });
  expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
  const created = world.dialpadUserByEmail('ann@acme.com');
  expect(created?.jobTitle).toBe('Engineer');
  return { ann, dialpadUserId: created?.id ?? '' };
}

/** An admin edits the title in Dialpad's portal: a PATCH through Dialpad's API, not through dialsync. */
async function editTitleInDialpad(world: World, dialpadUserId: string, title: string): Promise<void> {
  const answer = await fetch(`${world.dialpad.url}/api/v2/users/${dialpadUserId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${world.dialpad.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ job_title: title }),
  });
  expect(answer.status).toBe(200);
  world.clearRequests();
}

/** An applying run with `config`: its exit code, drift findings and the write requests it sent. */
async function apply(world: World, config: string) {
  world.clearRequests();
  const run = await world.reconcile('--apply', '--config', config);
  const drift = (run.report.plan as { drift?: DriftFinding[] }).drift ?? [];
  return { code: run.code, report: run.report, drift, writes: world.writeRequests() };
}

/** A second apply: zero writes. */
async function expectZeroWrites(world: World, config: string): Promise<void> {
  const again = await apply(world, config);
  expect(again.code).toBe(0);
  expect(again.report.plan.users).toEqual([]);
  expect(again.writes).toEqual([]);
}

describe('a job title edited in Dialpad', () => {
  it('report: listed in the plan with a warning, left as it is', async () => {
    const { world } = given();
    const config = world.configFile('drift:\n  job_title: report\n');
    const { dialpadUserId } = await annCreated(world, config);
    await editTitleInDialpad(world, dialpadUserId, 'Staff Engineer');

    const run = await apply(world, config);
    expect(run.code).toBe(0);
    expect(run.writes).toEqual([]);
    expect(run.drift).toEqual([
      expect.objectContaining({ field: 'job_title', dialpad: 'Staff Engineer', okta: 'Engineer', applied: 'Engineer', policy: 'report', decision: 'reported' }),
    ]);
    expect(run.report.plan.warnings.map((w) => w.message)).toContain('job_title drift: Dialpad has "Staff Engineer", Okta says "Engineer" (drift.job_title: report)');
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Staff Engineer');
    await expectZeroWrites(world, config);
  });

  it("report: Okta's title changes while Dialpad's is untouched: written, as ordinary sync (no drift)", async () => {
    const { world } = given();
    const config = world.configFile('drift:\n  job_title: report\n');
    const { ann, dialpadUserId } = await annCreated(world, config);
    world.okta.updateProfile(ann, { title: 'Principal' });

    const run = await apply(world, config);
    expect(run.code).toBe(0);
    expect(run.writes).toEqual([{ service: 'dialpad', method: 'PATCH', path: `/api/v2/users/${dialpadUserId}` }]);
    expect(run.drift).toEqual([]);
    expect(run.report.plan.warnings).toEqual([]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Principal');
    const recorded = await world.withStore((store) => store.appliedValues.forUsers([dialpadUserId]));
    expect(recorded.get(dialpadUserId)?.job_title).toMatchObject({ applied: 'Principal', okta: 'Principal' });
    await expectZeroWrites(world, config);
  });

  it("revert (the default): Okta's title is written back", async () => {
    const { world } = given();
    const config = world.configFile('{}\n');
    const { ann, dialpadUserId } = await annCreated(world, config);
    await editTitleInDialpad(world, dialpadUserId, 'Staff Engineer');

    const run = await apply(world, config);
    expect(run.code).toBe(0);
    expect(run.writes).toEqual([{ service: 'dialpad', method: 'PATCH', path: `/api/v2/users/${dialpadUserId}` }]);
    expect(run.drift).toEqual([expect.objectContaining({ field: 'job_title', dialpad: 'Staff Engineer', okta: 'Engineer', policy: 'revert', decision: 'reverted' })]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Engineer');
    await expectZeroWrites(world, config);

    // An ordinary Okta change is not drift: written, and not listed.
    world.okta.updateProfile(ann, { title: 'Principal' });
    const synced = await apply(world, config);
    expect(synced.writes).toEqual([{ service: 'dialpad', method: 'PATCH', path: `/api/v2/users/${dialpadUserId}` }]);
    expect(synced.drift).toEqual([]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Principal');
  });

  it("adopt: Dialpad's title is kept, until Okta's title changes: then Okta's wins", async () => {
    const { world } = given();
    const config = world.configFile('drift:\n  job_title: adopt\n');
    const { ann, dialpadUserId } = await annCreated(world, config);
    await editTitleInDialpad(world, dialpadUserId, 'Staff Engineer');

    const adopted = await apply(world, config);
    expect(adopted.code).toBe(0);
    expect(adopted.writes).toEqual([]);
    expect(adopted.drift).toEqual([expect.objectContaining({ field: 'job_title', dialpad: 'Staff Engineer', okta: 'Engineer', applied: 'Engineer', policy: 'adopt', decision: 'adopted' })]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Staff Engineer');
    const recorded = await world.withStore((store) => store.appliedValues.forUsers([dialpadUserId]));
    expect(recorded.get(dialpadUserId)?.job_title).toMatchObject({ applied: 'Staff Engineer', okta: 'Engineer' });
    await expectZeroWrites(world, config);

    // explain shows the field: the adopted value last applied, both sides, the policy and the decision.
    const explained = await world.cli('explain', 'ann@acme.com', '--json', '--config', config);
    expect(explained.code).toBe(0);
    expect((JSON.parse(explained.stdout) as { drift: unknown[] }).drift).toContainEqual({
      field: 'job_title',
      policy: 'adopt',
      okta: 'Engineer',
      dialpad: 'Staff Engineer',
      applied: 'Staff Engineer',
      decision: 'adopted',
    });
    expect((JSON.parse(explained.stdout) as { drift: unknown[] }).drift).toContainEqual(
      expect.objectContaining({ field: 'office', decision: 'in_step', officeNames: { okta: 'London', dialpad: 'London', applied: 'London' } }),
    );
    const text = await world.cli('explain', 'ann@acme.com', '--config', config);
    expect(text.stdout).toMatch(/job_title\s+"Staff Engineer"\s+"Engineer"\s+"Staff Engineer"\s+adopt\s+adopted/);
    expect(text.stdout).toMatch(/office\s+"London" \(\d+\)\s+"London" \(\d+\)\s+"London" \(\d+\)\s+revert\s+in step/);

    // Okta's title changes: the adopted one gives way.
    world.okta.updateProfile(ann, { title: 'Principal' });
    const followed = await apply(world, config);
    expect(followed.code).toBe(0);
    expect(followed.writes).toEqual([{ service: 'dialpad', method: 'PATCH', path: `/api/v2/users/${dialpadUserId}` }]);
    expect(followed.drift).toEqual([expect.objectContaining({ field: 'job_title', dialpad: 'Staff Engineer', okta: 'Principal', applied: 'Staff Engineer', decision: 'okta_changed' })]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Principal');
    await expectZeroWrites(world, config);
    const after = await apply(world, config);
    expect(after.drift).toEqual([]);
  });
});

describe('drift through a plan file', () => {
  it('apply plan.json records the adoptions of the users it applies: Okta still wins on its next change', async () => {
    const { world } = given();
    const config = world.configFile('drift:\n  job_title: adopt\n');
    const { ann, dialpadUserId } = await annCreated(world, config);
    await editTitleInDialpad(world, dialpadUserId, 'Staff Engineer');
    // Ann also has work in the file: her last name changed in Okta.
    world.okta.updateProfile(ann, { lastName: 'Lee-Park' });

    const file = join(dirname(world.database), 'plan.json');
    expect((await world.cli('reconcile', '--out', file, '--config', config)).code).toBe(0);
    world.clearRequests();
    expect((await world.cli('apply', file, '--config', config)).code).toBe(0);
    expect(world.writeRequests()).toEqual([{ service: 'dialpad', method: 'PATCH', path: `/api/v2/users/${dialpadUserId}` }]);
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ lastName: 'Lee-Park', jobTitle: 'Staff Engineer' });
    const recorded = await world.withStore((store) => store.appliedValues.forUsers([dialpadUserId]));
    expect(recorded.get(dialpadUserId)).toMatchObject({ job_title: { applied: 'Staff Engineer', okta: 'Engineer' }, last_name: { applied: 'Lee-Park', okta: 'Lee-Park' } });
    await expectZeroWrites(world, config);

    world.okta.updateProfile(ann, { title: 'Principal' });
    const followed = await apply(world, config);
    expect(followed.drift.map((d) => d.decision)).toEqual(['okta_changed']);
    expect(world.dialpadUserByEmail('ann@acme.com')?.jobTitle).toBe('Principal');
  });
});
