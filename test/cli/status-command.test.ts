// `dialsync status` against the sandbox: what it prints comes from the store alone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDuration, type StatusReport } from '../../src/cli/commands/status-command.js';
import { SYSTEM_LOG_CHECKPOINT } from '../../src/okta/system-log.js';
import { Store } from '../../src/store/store.js';
import { hire, seedOffices, World } from '../e2e/world.js';

let world: World;

beforeEach(async () => {
  world = await new World().start();
  seedOffices(world.dialpad);
});

afterEach(async () => {
  await world.stop();
});

async function status(...args: string[]): Promise<StatusReport> {
  const run = await world.cli('status', '--json', ...args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as StatusReport;
}

async function recordFailures(runIds: string[], failure: { userKey: string; email: string; action: string; message: string }): Promise<void> {
  const store = await Store.open(world.database);
  try {
    for (const runId of runIds) await store.userErrors.record({ ...failure, oktaUserId: null, runId });
  } finally {
    await store.close();
  }
}

describe('dialsync status', () => {
  it('on a fresh store says there is nothing yet', async () => {
    const run = await world.cli('status');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No runs yet');
    expect(run.stdout).toContain('Failing users: none');
    expect(run.stdout).toContain('Incremental checkpoint: no checkpoint yet');
    expect(run.stdout).toContain('Tenant: not pinned yet');
    expect(await status()).toEqual({ runs: [], failingUsers: [], quarantineAfter: 3, quarantined: [], checkpoint: null, daemonReadiness: null, tenantPins: [] });
  });

  it('lists the last runs newest first, with kind, mode, duration, counts and outcome', async () => {
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'London' });
    hire(world.okta, { login: 'dan@acme.com', firstName: 'Dan', lastName: 'Moe' }, { licenseType: 'dialpad_platinum' });
    expect((await world.reconcile()).code).toBe(0);
    expect((await world.reconcile('--apply')).code).toBe(0);

    const report = await status();
    expect(report.runs).toHaveLength(2);
    const [applied, dryRun] = report.runs;
    expect(applied).toMatchObject({ kind: 'reconcile', apply: true, outcome: 'succeeded', assignments: 2, skippedUsers: 1, failedActions: 0 });
    // create + write-back for Ann.
    expect(applied?.plannedActions).toBe(2);
    expect(applied?.succeededActions).toBe(2);
    expect(applied?.durationMs).toBeGreaterThanOrEqual(0);
    expect(dryRun).toMatchObject({ kind: 'reconcile', apply: false, outcome: 'succeeded', plannedActions: 2 });

    const text = (await world.cli('status', '--runs', '1')).stdout;
    expect(text).toContain('Last runs (1)');
    expect(text).toMatch(/reconcile\s+apply\s+\d+\.\d s\s+succeeded\s+2\s+2\s+2\s+0\s+1/);
    expect(text).not.toContain('dry run');
  });

  it('shows users currently failing with their reason, and those quarantined after three failing runs; works with broken credentials', async () => {
    await recordFailures(['run-1'], { userKey: 'okta:00u1', email: 'ann@acme.com', action: 'create', message: 'Dialpad refused the create: no Talk license left' });
    await recordFailures(['run-1', 'run-2', 'run-3'], { userKey: 'okta:00u2', email: 'bob@acme.com', action: 'move_office', message: 'office is full' });

    world.extraEnv = { OKTA_API_TOKEN: 'wrong-token', DIALPAD_API_KEY: 'wrong-key' };
    world.clearRequests();
    const report = await status();
    expect(report.failingUsers.map((u) => [u.email, u.consecutiveFailures, u.message])).toEqual(
      expect.arrayContaining([
        ['ann@acme.com', 1, 'Dialpad refused the create: no Talk license left'],
        ['bob@acme.com', 3, 'office is full'],
      ]),
    );
    expect(report.quarantined.map((u) => u.email)).toEqual(['bob@acme.com']);

    const text = (await world.cli('status')).stdout;
    expect(text).toContain('Failing users (2)');
    expect(text).toMatch(/ann@acme\.com\s+create\s+1\s+\S+\s+Dialpad refused the create: no Talk license left/);
    expect(text).toMatch(/Quarantined: failing 3 or more runs in a row.*\(1\)\n {2}bob@acme\.com/);
    // Neither API was contacted.
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
  });

  it('shows the System Log checkpoint of the incremental cycle, and no quarantine when it is turned off', async () => {
    const store = await Store.open(world.database);
    try {
      await store.checkpoints.set(SYSTEM_LOG_CHECKPOINT, 'https://acme.okta.com/api/v1/logs?after=1711234567890_1');
    } finally {
      await store.close();
    }
    await recordFailures(['run-1', 'run-2', 'run-3'], { userKey: 'okta:00u2', email: 'bob@acme.com', action: 'create', message: 'refused' });
    const report = await status();
    expect(report.checkpoint).toEqual({ name: 'okta-system-log', value: 'https://acme.okta.com/api/v1/logs?after=1711234567890_1', updatedAt: expect.any(String) });
    expect((await world.cli('status')).stdout).toContain('Incremental checkpoint (Okta System Log): https://acme.okta.com/api/v1/logs?after=1711234567890_1 (saved ');

    const dir = mkdtempSync(join(tmpdir(), 'dialsync-status-'));
    const file = join(dir, 'dialsync.yaml');
    writeFileSync(file, 'safety:\n  quarantineAfter: 0\n');
    const off = JSON.parse((await world.cli('status', '--json', '--config', file)).stdout) as StatusReport;
    expect(off.quarantined).toEqual([]);
    expect(off.failingUsers).toHaveLength(1);
  });

  it("shows the daemon's last readiness check with its details, and no secret, even one an older version stored", async () => {
    // Opened without a redactor, as a dialsync from before redaction wrote its database.
    const store = await Store.open(world.database);
    try {
      await store.readiness.record('daemon', [{ reason: 'okta_credentials', detail: `Okta answered HTTP 401: SSWS ${world.okta.token} is not valid` }]);
      await store.runs.start('run-old', 'full', true);
      await store.runs.finish('run-old', 'failed', {}, `Dialpad echoed Bearer ${world.dialpad.apiKey}`);
    } finally {
      await store.close();
    }
    const run = await world.cli('status');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Daemon readiness \(checked [^)]+\): unready \(1\)/);
    expect(run.stdout).toMatch(/okta_credentials +Okta answered HTTP 401: SSWS \[redacted\] is not valid/);
    expect(run.stdout).toContain('Bearer [redacted]');
    const report = await status();
    expect(report.daemonReadiness).toMatchObject({ name: 'daemon', ready: false, problems: [{ reason: 'okta_credentials' }] });
    for (const text of [run.stdout, JSON.stringify(report)]) {
      expect(text).not.toContain(world.okta.token);
      expect(text).not.toContain(world.dialpad.apiKey);
    }
  });

  it('refuses a --runs that is not a positive number', async () => {
    const run = await world.cli('status', '--runs', 'zero');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--runs');
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '?'],
    [0, '0.0 s'],
    [1234, '1.2 s'],
    [65_000, '1 min 5 s'],
    [3_725_000, '1 h 2 min'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
