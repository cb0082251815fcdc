// Tenant pinning against the sandboxes: a database manages one Dialpad company and one Okta org and app. Pointed at
// another one (same office names, nobody in it), a run stops before any write with exit 3 and names both; an admin's
// `dialsync repin` lets it through and is kept in the run history.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../src/cli/commands/status-command.js';
import type { RepinReport } from '../../../src/cli/commands/repin-command.js';
import { loadConfig } from '../../../src/config/load.js';
import { buildDaemon } from '../../../src/daemon/build-daemon.js';
import { createLogger } from '../../../src/log/logger.js';
import { DialpadSandbox } from '../../../sandbox/dialpad/sandbox.js';
import { OktaSandbox } from '../../../sandbox/okta/sandbox.js';
import { Store } from '../../../src/store/store.js';
import { CaptureStream } from '../../capture-stream.js';
import { hire, seedOffices } from '../world.js';
import { useWorld } from '../use-world.js';
import { rawDatabase } from '../../store/raw-database.js';

const FIRST_COMPANY = '4700000000000000001';
const OTHER_COMPANY = '4700000000000000002';

const given = useWorld();
/** Sandboxes a test starts besides the world's; stopped after it. */
let extra: { stop(): Promise<void> }[];

beforeEach(() => {
  const { world } = given();
  // Twelve users over the three offices, as in the report that led to pinning.
  const offices = ['New York', 'San Francisco', 'London'];
  for (let i = 1; i <= 12; i += 1) hire(world.okta, { login: `user${i}@acme.com`, firstName: 'User', lastName: `Number${i}` }, { officeName: offices[i % 3] ?? 'New York' });
  extra = [];
});

afterEach(async () => {
  for (const sandbox of extra) await sandbox.stop();
});

/** The first apply: everyone created in the first company and their numbers written back; the database pinned. */
async function initialApply(): Promise<void> {
  const { world } = given();
  const first = await world.reconcile('--apply');
  expect(first.code, first.stderr).toBe(0);
  expect(world.dialpad.users()).toHaveLength(12);
}

/** Another Dialpad company with the same offices and nobody in it. */
async function otherCompany(): Promise<DialpadSandbox> {
  const other = new DialpadSandbox({ company: { id: OTHER_COMPANY, name: 'Other Corp' } });
  await other.start();
  extra.push(other);
  seedOffices(other);
  return other;
}

function pointDialpadAt(dialpad: DialpadSandbox): void {
  const { world } = given();
  world.extraEnv = { ...world.extraEnv, DIALPAD_BASE_URL: dialpad.url, DIALPAD_API_KEY: dialpad.apiKey };
}

function withStore<T>(read: (store: Store) => Promise<T>): Promise<T> {
  return given().world.withStore(read);
}

/** What must not move when a run is refused: the links and every Okta user's dialpadPhone. */
async function managedState() {
  const { world } = given();
  const links = await withStore((store) => store.links.all());
  const phones = Object.fromEntries(world.okta.listUsers().map((user) => [String(user.profile.login), user.profile.dialpadPhone ?? null]));
  return { links, phones };
}

function writesTo(dialpad: DialpadSandbox): string[] {
  return dialpad.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

async function status(): Promise<StatusReport> {
  const { world } = given();
  const run = await world.cli('status', '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as StatusReport;
}

describe('a database pinned to its Dialpad company', () => {
  it('refuses another company (exit 3, both named, nothing written anywhere), and goes on after `repin --dialpad-company`', async () => {
    const { world } = given();
    await initialApply();
    const before = await managedState();
    expect(Object.values(before.phones).filter((phone) => phone !== null)).toHaveLength(12);
    const other = await otherCompany();
    pointDialpadAt(other);
    world.clearRequests();

    const refused = await world.cli('reconcile', '--apply');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`Dialpad company: pinned ${FIRST_COMPANY} (Example Corp), now answering ${OTHER_COMPANY} (Other Corp)`);
    expect(refused.stderr).toContain('dialsync repin --dialpad-company');
    expect(world.writeRequests()).toEqual([]);
    expect(writesTo(other)).toEqual([]);
    // One company read, nothing else: not even the listings.
    expect(other.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/company', 'GET /api/v2/company']);
    expect(other.users()).toEqual([]);
    expect(await managedState()).toEqual(before);
    const [failed] = (await status()).runs;
    expect(failed).toMatchObject({ kind: 'reconcile', apply: true, outcome: 'failed' });
    expect(failed?.error).toContain('tenant mismatch');

    const repin = await world.cli('repin', '--dialpad-company');
    expect(repin.code, repin.stderr).toBe(0);
    expect(repin.stdout).toContain(`Dialpad company: ${FIRST_COMPANY} (Example Corp) → ${OTHER_COMPANY} (Other Corp)`);

    const proceeded = await world.reconcile('--apply');
    expect(proceeded.code, proceeded.stderr).toBe(0);
    expect(other.users().filter((user) => user.state === 'active')).toHaveLength(12);
    const linkedIds = new Set((await withStore((store) => store.links.all())).map((link) => link.dialpadUserId));
    expect(new Set(other.users().map((user) => user.id))).toEqual(linkedIds);

    const report = await status();
    const repinRun = report.runs.find((run) => run.kind === 'repin');
    expect(repinRun).toMatchObject({ apply: true, outcome: 'succeeded' });
    expect(report.tenantPins.map((pin) => [pin.dialpadCompanyId, pin.reason])).toEqual([
      [OTHER_COMPANY, 'repin'],
      [FIRST_COMPANY, 'first_run'],
    ]);
    expect(report.tenantPins[0]?.runId).toBe(repinRun?.id);
    const text = await world.cli('status');
    expect(text.stdout).toContain(`Tenant: Dialpad company ${OTHER_COMPANY} (Other Corp), Okta app ${world.okta.appId}`);
    expect(text.stdout).toContain(`before: Dialpad company ${FIRST_COMPANY} (Example Corp)`);
  });

  it('shows the mismatch in a dry run too, with exit 3', async () => {
    const { world } = given();
    await initialApply();
    pointDialpadAt(await otherCompany());
    const dry = await world.cli('reconcile', '--json');
    expect(dry.code).toBe(3);
    const printed = JSON.parse(dry.stdout) as { error: { message: string; exitCode: number } };
    expect(printed.error.exitCode).toBe(3);
    expect(printed.error.message).toContain(`pinned ${FIRST_COMPANY} (Example Corp), now answering ${OTHER_COMPANY} (Other Corp)`);
  });

  it('keeps its pin after a repin of what already answers (nothing recorded)', async () => {
    const { world } = given();
    await initialApply();
    const run = await world.cli('repin', '--dialpad-company', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as RepinReport).changed).toBe(false);
    expect((await status()).runs.map((r) => r.kind)).toEqual(['reconcile']);
  });

  it('repin needs to be told which part to accept', async () => {
    const { world } = given();
    const run = await world.cli('repin');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--dialpad-company, --okta-app or both');
    const help = await world.cli('repin', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dialpad-company');
    expect(help.stdout).toContain('--okta-app');
  });
});

describe('`dialsync explain` checks the pin as a run does', () => {
  it('exits 3 with the same message as reconcile against another Dialpad company, and pins nothing', async () => {
    const { world } = given();
    await initialApply();
    pointDialpadAt(await otherCompany());
    const run = await world.cli('reconcile');
    expect(run.code).toBe(3);
    const explained = await world.cli('explain', 'user1@acme.com');
    expect(explained.code).toBe(3);
    expect(explained.stdout).not.toContain('Next run');
    expect(explained.stderr).toContain(`Dialpad company: pinned ${FIRST_COMPANY} (Example Corp), now answering ${OTHER_COMPANY} (Other Corp)`);
    const refusal = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('dialsync: '));
    expect(refusal(explained.stderr)).toEqual(refusal(run.stderr));
    expect(refusal(run.stderr)).toHaveLength(1);
    const json = await world.cli('explain', 'user1@acme.com', '--json');
    expect(json.code).toBe(3);
    expect((JSON.parse(json.stdout) as { error: { exitCode: number } }).error.exitCode).toBe(3);
    expect((await status()).tenantPins.map((pin) => pin.dialpadCompanyId)).toEqual([FIRST_COMPANY]);
  });

  it('exits 3 against another app of the pinned org, rather than predicting suspends', async () => {
    const { world } = given();
    await initialApply();
    const pinnedApp = world.okta.appId;
    const otherApp = world.okta.addEmptyApp();
    world.extraEnv = { OKTA_APP_ID: otherApp };
    const explained = await world.cli('explain', 'user1@acme.com');
    expect(explained.code).toBe(3);
    expect(explained.stdout).not.toContain('suspend');
    expect(explained.stderr).toContain(`Okta app: pinned ${pinnedApp}, now answering ${otherApp}`);
    expect(explained.stderr).toContain('dialsync repin --okta-app');
  });

  it('explains as before when the pin matches, and never pins a database that has none', async () => {
    const { world } = given();
    const fresh = await world.cli('explain', 'user1@acme.com');
    expect(fresh.code, fresh.stderr).toBe(0);
    expect((await status()).tenantPins).toEqual([]);
    await initialApply();
    const matched = await world.cli('explain', 'user1@acme.com');
    expect(matched.code, matched.stderr).toBe(0);
    expect(matched.stdout).toContain('Next run: ');
  });
});

describe('a database pinned to its Okta org and app', () => {
  it('refuses another app of the same org, and goes on after `repin --okta-app`', async () => {
    const { world } = given();
    await initialApply();
    const before = await managedState();
    const pinnedApp = world.okta.appId;
    const otherApp = world.okta.addEmptyApp();
    world.extraEnv = { OKTA_APP_ID: otherApp };
    world.clearRequests();

    const refused = await world.cli('reconcile', '--apply');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`Okta app: pinned ${pinnedApp}, now answering ${otherApp}`);
    expect(refused.stderr).toContain('dialsync repin --okta-app');
    expect(world.writeRequests()).toEqual([]);
    expect(await managedState()).toEqual(before);

    expect((await world.cli('repin', '--okta-app')).code).toBe(0);
    // Nobody is assigned to the new app: the source health gate holds the suspends back (exit 5), not the pin.
    const dry = await world.cli('reconcile');
    expect(dry.code, dry.stderr).toBe(5);
  });

  it('takes the pinned org at another URL (the same org id) for the same org, and repin records the URL', async () => {
    const { world } = given();
    await initialApply();
    // The same org (by id) answering at a second address, as at its custom domain; nobody assigned there.
    const sameOrg = new OktaSandbox({ appId: world.okta.appId, orgId: world.okta.orgId });
    await sameOrg.start();
    extra.push(sameOrg);
    world.extraEnv = { OKTA_ORG_URL: sameOrg.url, OKTA_API_TOKEN: sameOrg.token };

    // Past the pin: the source health gate (nobody listed) is what holds the suspends back.
    const dry = await world.cli('reconcile');
    expect(dry.code, dry.stderr).toBe(5);
    expect(sameOrg.requests.map((r) => r.path)).toContain('/.well-known/okta-organization');

    const repin = await world.cli('repin', '--okta-app');
    expect(repin.code, repin.stderr).toBe(0);
    expect(repin.stdout).toContain(`Okta org: ${world.okta.url} (org ${world.okta.orgId}) → ${sameOrg.url} (org ${world.okta.orgId})`);
    sameOrg.clearRequests();
    expect((await world.cli('reconcile')).code).toBe(5);
    // Pinned at this URL now: runs need not read the org id again.
    expect(sameOrg.requests.map((r) => r.path)).not.toContain('/.well-known/okta-organization');
  });

  it('refuses another Okta org with the same app id', async () => {
    const { world } = given();
    await initialApply();
    const before = await managedState();
    const otherOrg = new OktaSandbox({ appId: world.okta.appId });
    await otherOrg.start();
    extra.push(otherOrg);
    world.extraEnv = { OKTA_ORG_URL: otherOrg.url, OKTA_API_TOKEN: otherOrg.token };
    world.clearRequests();

    const refused = await world.cli('reconcile', '--apply');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`Okta org: pinned ${world.okta.url} (org ${world.okta.orgId}), now answering ${otherOrg.url} (org ${otherOrg.orgId})`);
    expect(world.writeRequests()).toEqual([]);
    expect(otherOrg.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await managedState()).toEqual(before);
  });
});

describe('the first runs', () => {
  it('a dry run on an empty database pins nothing; the first apply pins what answers', async () => {
    const { world } = given();
    const dry = await world.cli('reconcile');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`Not pinned yet: the first \`reconcile --apply\` pins this database to Dialpad company ${FIRST_COMPANY} (Example Corp)`);
    expect(await withStore((store) => store.tenantPins.current())).toBeNull();

    const applied = await world.cli('reconcile', '--apply');
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Pinned this database to Dialpad company ${FIRST_COMPANY} (Example Corp), Okta app ${world.okta.appId} at ${world.okta.url}`);
    expect(await withStore((store) => store.tenantPins.current())).toMatchObject({
      dialpadCompanyId: FIRST_COMPANY,
      oktaOrgUrl: world.okta.url,
      oktaOrgId: world.okta.orgId,
      oktaAppId: world.okta.appId,
      reason: 'first_run',
    });
  });

  describe('a database from before pinning (links, no pin)', () => {
    async function forgetPin(): Promise<void> {
      await withStore(async (store) => {
        await rawDatabase(store)('tenant_pins').delete();
      });
    }

    it('is pinned to the company its linked users are found in', async () => {
      const { world } = given();
      await initialApply();
      await forgetPin();
      const applied = await world.reconcile('--apply');
      expect(applied.code, applied.stderr).toBe(0);
      expect(await withStore((store) => store.tenantPins.current())).toMatchObject({ dialpadCompanyId: FIRST_COMPANY, reason: 'existing_store' });
    });

    it('is not pinned to a company none of its linked users are in: exit 3, explained, nothing written; repin pins it', async () => {
      const { world } = given();
      await initialApply();
      await forgetPin();
      const before = await managedState();
      const other = await otherCompany();
      pointDialpadAt(other);
      world.clearRequests();

      const dry = await world.cli('reconcile');
      expect(dry.code).toBe(3);
      expect(dry.stderr).toContain('tenant not proven');
      const refused = await world.cli('reconcile', '--apply');
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`only 0 of 10 linked Dialpad users checked exist in Dialpad company ${OTHER_COMPANY} (Other Corp)`);
      expect(world.writeRequests()).toEqual([]);
      expect(writesTo(other)).toEqual([]);
      expect(await managedState()).toEqual(before);
      expect(await withStore((store) => store.tenantPins.current())).toBeNull();

      const repin = await world.cli('repin', '--dialpad-company', '--okta-app');
      expect(repin.code, repin.stderr).toBe(0);
      expect(repin.stdout).toContain(`Pinned this database to Dialpad company ${OTHER_COMPANY} (Other Corp)`);
      expect((await world.cli('reconcile')).code).toBe(0);
    });
  });
});

describe('the daemon', () => {
  it('refuses to apply to another company: unready with tenant_mismatch, both ids logged, still serving', async () => {
    const { world } = given();
    await initialApply();
    const before = await managedState();
    const other = await otherCompany();
    pointDialpadAt(other);
    world.clearRequests();
    const configFile = join(mkdtempSync(join(tmpdir(), 'dialsync-tenant-')), 'dialsync.yaml');
    writeFileSync(configFile, "daemon:\n  schedule: '0 0 1 1 *'\n  pollIntervalSeconds: 0\n  host: 127.0.0.1\n  port: 0\n");
    const config = loadConfig({ file: configFile, env: world.env() });
    const logs = new CaptureStream();
    const store = await Store.open(world.database);
    const daemon = buildDaemon({ config, store, logger: createLogger('info', logs), runOnStart: false });
    try {
      const address = await daemon.start();
      await daemon.requestFull();
      await daemon.requestFull();

      const verdict = await daemon.ready();
      expect(verdict.ready).toBe(false);
      expect(verdict.reasons).toContain('tenant_mismatch');
      // /readyz shows the code only; the detail (for the log and `dialsync status`) names both companies.
      const detail = verdict.problems.find((problem) => problem.reason === 'tenant_mismatch')?.detail;
      expect(detail).toContain(`pinned ${FIRST_COMPANY} (Example Corp), now answering ${OTHER_COMPANY} (Other Corp)`);
      const logged = logs.text.split('\n').filter((line) => line.includes('"code":"tenant_mismatch"'));
      expect(logged).toHaveLength(2);
      expect(logged[0]).toContain(`"dialpadCompanyId":"${FIRST_COMPANY}"`);
      expect(logged[0]).toContain(`"dialpadCompanyId":"${OTHER_COMPANY}"`);
      const health = await fetch(`http://127.0.0.1:${address.port}/healthz`);
      expect(health.status).toBe(200);
      const readyz = await fetch(`http://127.0.0.1:${address.port}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.text()).toContain('tenant_mismatch');
      expect(world.writeRequests()).toEqual([]);
      expect(writesTo(other)).toEqual([]);
      expect((await store.runs.recent(2)).map((run) => run.outcome)).toEqual(['failed', 'failed']);
    } finally {
      await daemon.stop('test over');
      await store.close();
    }
    expect(await managedState()).toEqual(before);
  });
});
