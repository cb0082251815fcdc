// Approvals end to end against the sandbox: the mass-change guard holds 12 suspends of 100 managed users, `dialsync
// held` lists them, `dialsync approve` lets exactly those through in the next run (and nothing new), an approval past
// its expiry lets nothing through, `dialsync dismiss` keeps them held, and the audit trail has each step.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { reconcile as reconcileRun, type ReconcileReport } from '../../src/reconcile/reconcile.js';
import type { HeldAction } from '../../src/store/held-actions.js';
import { buildGateways, buildReconcileDeps, openStore } from '../../src/wiring/build.js';
import { useWorld } from './use-world.js';
import { hire } from './world.js';

const given = useWorld();
const HOUR_MS = 3_600_000;

/** 100 users assigned in Okta and created in Dialpad by an applied run; then the first `leaving` are unassigned. */
async function hundredManagedAndLeavers(leaving: number): Promise<{ logins: string[]; leavers: string[] }> {
  const { world } = given();
  const logins = Array.from({ length: 100 }, (_, i) => {
    const login = `user${String(i).padStart(3, '0')}@acme.com`;
    hire(world.okta, { login, firstName: 'User', lastName: `Number${i}` }, { officeName: 'New York' });
    return login;
  });
  expect((await world.reconcile('--apply')).code).toBe(0);
  const leavers = logins.slice(0, leaving);
  for (const login of leavers) unassign(login);
  return { logins, leavers };
}

function unassign(login: string): void {
  const { world } = given();
  const user = world.okta.listUsers().find((u) => u.profile.login === login);
  if (!user) throw new Error(`no Okta user ${login}`);
  world.okta.unassignUser(user.id);
}

function suspended(): string[] {
  const { world } = given();
  return world.dialpad
    .users()
    .filter((u) => u.state === 'suspended')
    .map((u) => u.emails[0] ?? '')
    .sort();
}

function suspendRequests(): number {
  const { world } = given();
  return world.dialpad.requests.filter((r) => r.method === 'PATCH' && (r.body as { state?: string } | undefined)?.state === 'suspended').length;
}

async function heldNow(): Promise<HeldAction[]> {
  const { world } = given();
  const run = await world.cli('held', '--json');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { held: HeldAction[] }).held;
}

async function auditActions(): Promise<string[]> {
  const { world } = given();
  return world.withStore(async (store) => (await store.audit.list({ limit: 1_000 })).map((e) => `${e.action} ${e.target ?? ''}`).reverse());
}

/** A full run in this process (applying unless `apply` is false), with the run's clock at `now`. */
async function runAt(now: Date, apply = true): Promise<ReconcileReport> {
  const { world } = given();
  const config = loadConfig({ env: world.env() });
  const logger = silentLogger();
  const store = await openStore(config);
  try {
    return await reconcileRun({ ...buildReconcileDeps(config, { gateways: buildGateways(config, logger), store, logger }), now: () => now }, { apply });
  } finally {
    await store.close();
  }
}

describe('approving what the mass-change guard held', () => {
  it('held lists the 12; approve lets exactly them through in the next run; a second run sends no suspend', async () => {
    const { world } = given();
    const { leavers } = await hundredManagedAndLeavers(12);
    const first = await world.reconcile('--apply');
    expect(first.code).toBe(5);
    expect(suspended()).toEqual([]);

    const held = await heldNow();
    expect(held.map((h) => [h.email, h.kind, h.gate, h.decision, h.runId])).toEqual(leavers.map((email) => [email, 'suspend', 'mass-change', null, first.report.runId]));
    const table = await world.cli('held');
    expect(table.stdout).toMatch(/EMAIL\s+ACTION\s+GATE\s+HELD SINCE\s+RUN\s+DECISION/);
    expect(table.stdout).toMatch(/user000@acme\.com\s+suspend\s+mass-change\s+\S+\s+\S+\s+pending/);

    const approve = await world.cli('approve', '--all');
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('Approved 12 held actions.');
    expect((await heldNow()).every((h) => h.decision === 'approved' && h.decidedBy?.startsWith('cli:') && h.expiresAt !== null)).toBe(true);

    world.clearRequests();
    const second = await world.reconcile('--apply');
    expect(second.code).toBe(0);
    expect(suspended()).toEqual(leavers);
    expect(suspendRequests()).toBe(12);
    const reasons = second.report.plan.users.flatMap((u) => u.actions.filter((a) => a.kind === 'suspend').map((a) => a.reason));
    expect(reasons).toHaveLength(12);
    for (const reason of reasons) expect(reason).toMatch(/^approved by cli:\S+ past the mass-change guard: /);
    expect(await heldNow()).toEqual([]);

    // The run's record: each suspend done with its approver, and the run's counts.
    await world.withStore(async (store) => {
      const actions = await store.runActions.forRun(second.report.runId, { limit: 100, offset: 0, outcome: 'done' });
      const suspends = actions.actions.filter((a) => a.kind === 'suspend');
      expect(suspends.map((a) => a.email).sort()).toEqual(leavers);
      expect(suspends.every((a) => a.approvedBy?.startsWith('cli:'))).toBe(true);
      expect(await store.runs.get(first.report.runId)).toMatchObject({ heldActions: 12, unmanagedUsers: 0, dialpadThrottled: 0, oktaThrottled: 0 });
      expect(await store.runs.get(second.report.runId)).toMatchObject({ heldActions: 0 });
      const firstHeld = await store.runActions.forRun(first.report.runId, { limit: 100, offset: 0, outcome: 'held' });
      expect(firstHeld.actions.map((a) => [a.email, a.kind, a.gate])).toEqual(leavers.map((email) => [email, 'suspend', 'mass-change']));
    });

    world.clearRequests();
    expect((await world.reconcile('--apply')).code).toBe(0);
    expect(suspendRequests()).toBe(0);

    expect(await auditActions()).toEqual([...leavers.map((email) => `approve ${email}`), ...leavers.map((email) => `approval_applied ${email}`)]);
  });

  it('a 13th user unassigned after the approval is held again, alone', async () => {
    const { world, offices } = given();
    const { logins, leavers } = await hundredManagedAndLeavers(12);
    // Someone dialsync never owned: counted as unmanaged with the run.
    world.dialpad.addUser({ email: 'contractor@elsewhere.com', firstName: 'Con', lastName: 'Tractor', officeId: offices.newYork });
    expect((await world.reconcile('--apply')).code).toBe(5);
    expect((await world.cli('approve', ...leavers)).code).toBe(0);

    const thirteenth = logins[12] ?? '';
    unassign(thirteenth);
    const run = await world.reconcile('--apply');
    expect(run.code).toBe(5);
    expect(suspended()).toEqual(leavers);
    expect(world.dialpadUserByEmail(thirteenth)?.state).toBe('active');
    expect((await heldNow()).map((h) => [h.email, h.decision])).toEqual([[thirteenth, null]]);
    await world.withStore(async (store) => expect(await store.runs.get(run.report.runId)).toMatchObject({ heldActions: 1, unmanagedUsers: 1 }));
  });

  it('an approval past its expiry lets nothing through, is marked expired and audited, and the 12 are held again', async () => {
    const { world } = given();
    const { leavers } = await hundredManagedAndLeavers(12);
    expect((await world.reconcile('--apply')).code).toBe(5);
    expect((await world.cli('approve', '--all')).code).toBe(0);
    const expiresAt = new Date((await heldNow())[0]?.expiresAt ?? '');

    const later = new Date(expiresAt.getTime() + HOUR_MS);
    // A dry run after the expiry does not count the approval, but writes nothing about it.
    const dry = await runAt(later, false);
    expect(dry.held.map((h) => [h.gate, h.users])).toEqual([['mass-change', 12]]);
    expect((await heldNow()).every((h) => h.decision === 'approved')).toBe(true);
    expect((await auditActions()).filter((a) => a.startsWith('approval_expired'))).toEqual([]);

    const report = await runAt(later);
    expect(report.held.map((h) => [h.gate, h.users])).toEqual([['mass-change', 12]]);
    expect(suspended()).toEqual([]);
    expect((await heldNow()).map((h) => [h.email, h.decision, h.expiresAt])).toEqual(leavers.map((email) => [email, null, null]));
    const audit = await auditActions();
    expect(audit.filter((a) => a.startsWith('approval_expired'))).toEqual(leavers.map((email) => `approval_expired ${email}`));
    expect(audit.filter((a) => a.startsWith('approval_applied'))).toEqual([]);
  });

  it('dismiss keeps them held, recorded; a later approval still lets them through', async () => {
    const { world } = given();
    const { leavers } = await hundredManagedAndLeavers(12);
    expect((await world.reconcile('--apply')).code).toBe(5);
    const dismiss = await world.cli('dismiss', '--all');
    expect(dismiss.code).toBe(0);

    expect((await world.reconcile('--apply')).code).toBe(5);
    expect(suspended()).toEqual([]);
    expect((await heldNow()).every((h) => h.decision === 'dismissed')).toBe(true);

    expect((await world.cli('approve', leavers[0] ?? '', '--kind', 'suspend')).code).toBe(0);
    expect((await world.reconcile('--apply')).code).toBe(5);
    expect(suspended()).toEqual([leavers[0]]);
    expect(await auditActions()).toEqual([...leavers.map((email) => `dismiss ${email}`), `approve ${leavers[0]}`, `approval_applied ${leavers[0]}`]);
  });
});
