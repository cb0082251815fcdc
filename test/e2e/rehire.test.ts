// Re-hires against the sandbox: a person whose old Okta account let go of its Dialpad user comes back under a
// new Okta account with the same email. The same Dialpad user (same id, same number) must serve the new account;
// when the old account still holds it, the run says what the admin can do and exits 7.
import { describe, expect, it } from 'vitest';
import { startDaemon } from '../daemon/harness.js';
import { hire, type ReconcileJson } from './world.js';
import { useWorld } from './use-world.js';

const TOM = 'tom.tate@example.com';
const TALK_NY = { officeName: 'New York', licenseType: 'dialpad_talk' } as const;

const given = useWorld();

/** Tom (Okta user A) and 8 colleagues, synced: A is linked to Dialpad user D. */
async function syncedOrg(): Promise<{ a: string; d: string; number: string }> {
  const { world } = given();
  const a = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
  for (let i = 1; i <= 8; i += 1) hire(world.okta, { login: `colleague${i}@example.com`, firstName: 'Col', lastName: `League${i}` }, TALK_NY);
  const first = await world.reconcile('--apply');
  expect(first.code).toBe(0);
  const d = world.dialpadUserByEmail(TOM);
  if (!d?.phoneNumbers[0]) throw new Error('Tom was not created with a number');
  expect(await linkOf(a)).toEqual({ oktaUserId: a, dialpadUserId: d.id, origin: 'created' });
  return { a, d: d.id, number: d.phoneNumbers[0] };
}

/** Deactivates A, lets a run suspend D, and frees A's login (an admin renames the old account to reuse it). */
async function leaves(a: string, d: string, how: 'deactivate' | 'delete' | 'unassign'): Promise<void> {
  const { world } = given();
  if (how === 'deactivate') world.okta.setStatus(a, 'DEPROVISIONED');
  else if (how === 'delete') world.okta.deleteUser(a);
  else world.okta.unassignUser(a);
  const run = await world.reconcile('--apply');
  expect(run.code).toBe(0);
  expect(world.dialpad.user(d)?.state).toBe('suspended');
  if (how !== 'delete') world.okta.updateProfile(a, { login: 'tom.tate.2019@example.com' });
}

function linkOf(oktaUserId: string) {
  const { world } = given();
  return world.withStore((store) => store.links.byOktaUserId(oktaUserId));
}

function relinkOf(report: ReconcileJson, oktaUserId: string) {
  return report.plan.users.find((u) => u.oktaUserId === oktaUserId)?.actions.find((a) => a.kind === 'relink');
}

function liveHoldersOf(email: string) {
  const { world } = given();
  return world.dialpad.users().filter((u) => u.state !== 'deleted' && u.emails.some((e) => e.toLowerCase() === email));
}

describe('a re-hire under a new Okta account', () => {
  it('old account deactivated: the link passes to the new account, D is reactivated with its number, written back to B', async () => {
    const { world } = given();
    const { a, d, number } = await syncedOrg();
    await leaves(a, d, 'deactivate');
    const usersBefore = world.dialpad.users().length;
    const b = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate-Smith', title: 'Engineer' }, TALK_NY);

    // The dry run shows the relink, naming the old account and why it let go, in the table and in --json.
    const dry = await world.reconcile();
    expect(dry.code).toBe(0);
    expect(relinkOf(dry.report, b)).toMatchObject({ dialpadUserId: d, previousOktaUserId: a, cause: 'deactivated', origin: 'created' });
    expect(relinkOf(dry.report, b)?.reason).toContain(`was linked to Okta user ${a}, which let go of it (Okta user ${a} was deactivated in Okta)`);
    expect(dry.report.plan.skipped).toEqual([]);
    const table = await world.cli('reconcile');
    expect(table.stdout).toMatch(/Relink \(a re-hire takes over the Dialpad user of a previous Okta account\) \(1\)/);
    expect(table.stdout).toContain(`Dialpad user ${d}, from Okta user ${a} (deactivated)`);
    const explained = await world.cli('explain', TOM);
    expect(explained.stdout).toContain(`Re-hire: the next run takes over the link of Dialpad user ${d} from Okta user ${a} (deactivated)`);

    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(report.result?.actions.filter((x) => x.email === TOM).map((x) => [x.kind, x.outcome])).toEqual([
      ['relink', 'done'],
      ['reactivate', 'done'],
      ['update', 'done'],
      ['write_back', 'done'],
    ]);
    expect(world.dialpad.users()).toHaveLength(usersBefore);
    expect(world.dialpad.user(d)).toMatchObject({ state: 'active', lastName: 'Tate-Smith', jobTitle: 'Engineer', phoneNumbers: [number] });
    expect(world.okta.getUser(b)?.profile.dialpadPhone).toBe(number);
    expect(await linkOf(b)).toEqual({ oktaUserId: b, dialpadUserId: d, origin: 'created' });
    expect(await linkOf(a)).toBeNull();

    // Journaled like any write, and confirmed.
    const entries = await world.withStore((store) => store.journal.forRun(report.runId));
    expect(entries.filter((e) => e.action === 'relink')).toEqual([
      expect.objectContaining({ target: 'store', status: 'done', oktaUserId: b, dialpadUserId: d, request: expect.objectContaining({ body: { from: a, to: b, origin: 'created' } }) }),
    ]);

    const again = await world.reconcile('--apply');
    expect(again.code).toBe(0);
    expect(again.report.plan.users).toEqual([]);
    expect(again.report.plan.skipped).toEqual([]);
  });

  it('old account deleted in Okta (404): relink, cause deleted', async () => {
    const { world } = given();
    const { a, d, number } = await syncedOrg();
    await leaves(a, d, 'delete');
    const b = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(relinkOf(report, b)).toMatchObject({ previousOktaUserId: a, cause: 'deleted' });
    expect(world.dialpad.user(d)?.state).toBe('active');
    expect(world.okta.getUser(b)?.profile.dialpadPhone).toBe(number);
    expect(liveHoldersOf(TOM)).toHaveLength(1);
  });

  it('old account merely unassigned, still active in Okta: relink, cause unassigned', async () => {
    const { world } = given();
    const { a, d, number } = await syncedOrg();
    await leaves(a, d, 'unassign');
    expect(world.okta.getUser(a)?.status).toBe('ACTIVE');
    const b = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(relinkOf(report, b)).toMatchObject({ previousOktaUserId: a, cause: 'unassigned' });
    expect(world.dialpad.user(d)?.state).toBe('active');
    expect(world.okta.getUser(b)?.profile.dialpadPhone).toBe(number);
  });

  it('D was deleted in Dialpad meanwhile: a new user is created, and only one holds the email', async () => {
    const { world } = given();
    const { a, d } = await syncedOrg();
    await leaves(a, d, 'deactivate');
    const deleted = await fetch(`${world.dialpad.url}/api/v2/users/${d}`, { method: 'DELETE', headers: { authorization: `Bearer ${world.dialpad.apiKey}` } });
    expect(deleted.status).toBe(200);
    const b = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(relinkOf(report, b)).toBeUndefined();
    const holders = liveHoldersOf(TOM);
    expect(holders).toHaveLength(1);
    expect(holders[0]?.id).not.toBe(d);
    expect(await linkOf(b)).toEqual({ oktaUserId: b, dialpadUserId: holders[0]?.id, origin: 'created' });
    expect(world.okta.getUser(b)?.profile.dialpadPhone).toBe(holders[0]?.phoneNumbers[0]);
  });

  it('old account still active and assigned: the conflict stands, the run says what to do and exits 7; deactivating it lets the link pass', async () => {
    const { world } = given();
    const config = world.configFile('mapping:\n  email: [email, login]\n');
    const a = hire(world.okta, { login: 'tom.old@example.com', email: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
    expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
    const d = world.dialpadUserByEmail(TOM)?.id ?? '';
    const b = hire(world.okta, { login: 'tom.new@example.com', email: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);

    const held = await world.reconcile('--apply', '--config', config);
    expect(held.code).toBe(7);
    expect(held.report.plan.skipped).toEqual([
      expect.objectContaining({
        email: TOM,
        code: 'duplicate_email',
        reason: expect.stringContaining(`unassign Okta user ${a} from the app or deactivate it in Okta; the link then passes to Okta user ${b}`),
      }),
    ]);
    expect(liveHoldersOf(TOM)).toHaveLength(1);
    expect(world.okta.getUser(b)?.profile.dialpadPhone ?? null).toBeNull();
    const text = await world.cli('reconcile', '--config', config);
    expect(text.code).toBe(7);
    expect(text.stdout).toMatch(/Summary: .*1 unprovisioned/);
    expect(text.stdout).toContain(`Unprovisioned: 1 assigned user(s) left without a Dialpad user because their email is held elsewhere. What to do:\n  ${TOM}: unassign Okta user ${a}`);

    world.okta.setStatus(a, 'DEPROVISIONED');
    const passed = await world.reconcile('--apply', '--config', config);
    expect(passed.code).toBe(0);
    expect(relinkOf(passed.report, b)).toMatchObject({ previousOktaUserId: a, cause: 'deactivated' });
    expect(world.dialpad.user(d)?.state).toBe('active');
    expect(passed.report.plan.users.filter((u) => u.oktaUserId === a)).toEqual([]);
  });

  it('two new Okta accounts hold the email: both stay unprovisioned (exit 7), D stays suspended', async () => {
    const { world } = given();
    const config = world.configFile('mapping:\n  email: [email, login]\n');
    const a = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
    for (let i = 1; i <= 3; i += 1) hire(world.okta, { login: `colleague${i}@example.com`, firstName: 'Col', lastName: `League${i}` }, TALK_NY);
    expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
    const d = world.dialpadUserByEmail(TOM)?.id ?? '';
    world.okta.deleteUser(a);
    expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
    hire(world.okta, { login: 'tom.one@example.com', email: TOM, firstName: 'Tom', lastName: 'One' }, TALK_NY);
    hire(world.okta, { login: 'tom.two@example.com', email: TOM, firstName: 'Tom', lastName: 'Two' }, TALK_NY);
    const { code, report } = await world.reconcile('--apply', '--config', config);
    expect(code).toBe(7);
    expect(report.plan.skipped.map((s) => s.code)).toEqual(['duplicate_email', 'duplicate_email']);
    expect(report.plan.users.flatMap((u) => u.actions.map((x) => x.kind))).toEqual([]);
    expect(world.dialpad.user(d)?.state).toBe('suspended');
    expect(liveHoldersOf(TOM)).toHaveLength(1);
  });

  it('reconcile --user (a targeted run) relinks too', async () => {
    const { world } = given();
    const { a, d, number } = await syncedOrg();
    await leaves(a, d, 'deactivate');
    const b = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
    const { code, report } = await world.reconcile('--apply', '--user', TOM);
    expect(code).toBe(0);
    expect(relinkOf(report, b)).toMatchObject({ previousOktaUserId: a, cause: 'deactivated' });
    expect(world.dialpad.user(d)?.state).toBe('active');
    expect(world.okta.getUser(b)?.profile.dialpadPhone).toBe(number);
  });

  it('the System Log path (daemon incremental cycle) relinks, reading the old account by id', async () => {
    const { world } = given();
    const { a, d, number } = await syncedOrg();
    await leaves(a, d, 'deactivate');
    const daemon = await startDaemon(world.asSandboxes(), { runOnStart: false, daemon: { pollIntervalSeconds: 600 } });
    try {
      await daemon.daemon.pollOnce();
      const b = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
      await daemon.daemon.pollOnce();
      const runs = await daemon.store.runs.recent(10);
      expect(runs[0]).toMatchObject({ kind: 'incremental', outcome: 'succeeded' });
      expect(world.dialpad.user(d)?.state).toBe('active');
      expect(world.okta.getUser(b)?.profile.dialpadPhone).toBe(number);
      expect(await daemon.store.links.byOktaUserId(b)).toEqual({ oktaUserId: b, dialpadUserId: d, origin: 'created' });
      expect(liveHoldersOf(TOM)).toHaveLength(1);
    } finally {
      await daemon.stop();
    }
  });
});

describe('a crash during a relink', () => {
  async function crashedRelink(moved: boolean): Promise<{ a: string; b: string; d: string; number: string }> {
    const { world } = given();
    const { a, d, number } = await syncedOrg();
    await leaves(a, d, 'deactivate');
    const b = hire(world.okta, { login: TOM, firstName: 'Tom', lastName: 'Tate' }, TALK_NY);
    // The crashed run journaled the relink and died before (moved: false) or after (true) the link moved.
    await world.withStore(async (store) => {
      await store.runs.start('crashed-run', 'reconcile', true);
      await store.journal.begin({
        runId: 'crashed-run', oktaUserId: b, dialpadUserId: d, email: TOM, action: 'relink', target: 'store',
        request: { method: 'MOVE', path: `links/dialpad/${d}`, body: { from: a, to: b, origin: 'created' } },
      });
      if (moved) await store.links.transfer({ dialpadUserId: d, from: a, to: b, origin: 'created' }, TOM);
    });
    return { a, b, d, number };
  }

  it.each([
    ['after the link moved, before the reactivation: the next run reactivates, no second user', true, ['reactivate', 'write_back']],
    ['before the link moved: the next run relinks', false, ['relink', 'reactivate', 'write_back']],
  ])('%s', async (_name, moved, kinds) => {
    const { world } = given();
    const { b, d, number } = await crashedRelink(moved);
    const usersBefore = world.dialpad.users().length;
    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(report.plan.users.filter((u) => u.oktaUserId === b).flatMap((u) => u.actions.map((x) => x.kind))).toEqual(kinds);
    expect(world.dialpad.users()).toHaveLength(usersBefore);
    expect(world.dialpad.user(d)?.state).toBe('active');
    expect(world.okta.getUser(b)?.profile.dialpadPhone).toBe(number);
    expect(await linkOf(b)).toEqual({ oktaUserId: b, dialpadUserId: d, origin: 'created' });
    expect(await world.withStore((store) => store.journal.unfinished())).toEqual([]);
  });
});
