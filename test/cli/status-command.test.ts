// `dialsync status` against the sandbox: what it prints comes from the store alone.
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration, type StatusReport } from '../../src/cli/commands/status-command.js';
import { SYSTEM_LOG_CHECKPOINT } from '../../src/okta/system-log.js';
import { RUN_LOCK } from '../../src/store/leases.js';
import { Store } from '../../src/store/store.js';
import { rawDatabase } from '../store/raw-database.js';
import { hire } from '../e2e/world.js';
import { useWorld } from '../e2e/use-world.js';
import { runCliInProcess, type CliRun } from '../e2e/in-process-cli.js';

const given = useWorld();

async function status(...args: string[]): Promise<StatusReport> {
  const { world } = given();
  const run = await world.cli('status', '--json', ...args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as StatusReport;
}

async function recordFailures(runIds: string[], failure: { userKey: string; email: string; action: string; message: string; cause?: string }): Promise<void> {
  const { world } = given();
  await world.withStore(async (store) => {
    for (const runId of runIds) await store.userErrors.record({ ...failure, oktaUserId: null, runId });
  });
}

/** The CLI run with exactly `env` (world.cli always sets every credential). */
async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  return runCliInProcess(args, { DIALSYNC_LOG_LEVEL: 'warn', ...env });
}

async function createEmptyStore(): Promise<void> {
  const { world } = given();
  await world.withStore(async () => {});
}

describe('dialsync status', () => {
  it('on a fresh store says there is nothing yet', async () => {
    const { world } = given();
    await createEmptyStore();
    const run = await world.cli('status');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No runs yet');
    expect(run.stdout).toContain('Failing users: none');
    expect(run.stdout).toContain('Incremental checkpoint: no checkpoint yet');
    expect(run.stdout).toContain('Tenant: not pinned yet');
    expect(run.stdout).toContain('Run lock: never taken');
    expect(await status()).toEqual({ runs: [], failingUsers: [], quarantineAfter: 3, quarantined: [], checkpoint: null, daemonReadiness: null, replicas: [], runLock: null, tenantPins: [] });
  });

  it('lists the last runs newest first, with kind, mode, duration, counts and outcome', async () => {
    const { world } = given();
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
    const { world } = given();
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
    const { world } = given();
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

  it('lists each daemon replica that checked in the last hour with its role and readiness, the leader named by the run lock', async () => {
    const { world } = given();
    const store = await Store.open(world.database);
    try {
      await store.readiness.record('daemon@dialsync-7f9c-a:1', []);
      await store.readiness.record('daemon@dialsync-7f9c-b:1', [{ reason: 'dialpad_unreachable', detail: 'connect ETIMEDOUT' }]);
      await store.leases.tryAcquire(RUN_LOCK, { id: 'replica-a', host: 'dialsync-7f9c-a', pid: 1, kind: 'daemon' }, 60_000);
    } finally {
      await store.close();
    }
    const run = await world.cli('status');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Daemon replicas (checked in the last hour: 2)');
    expect(run.stdout).toMatch(/dialsync-7f9c-a:1 +leader +\S+ +ready/);
    expect(run.stdout).toMatch(/dialsync-7f9c-b:1 +follower +\S+ +unready: dialpad_unreachable/);
    expect(run.stdout).toMatch(/dialpad_unreachable +connect ETIMEDOUT/);
    const report = await status();
    expect(report.replicas.map((replica) => [replica.name, replica.leader, replica.ready]).sort()).toEqual([
      ['daemon@dialsync-7f9c-a:1', true, true],
      ['daemon@dialsync-7f9c-b:1', false, false],
    ]);
  });

  it('says a released run lock was released (not "until 1970"), and an expired one until when it was held', async () => {
    const { world } = given();
    const holder = { id: 'replica-a', host: 'dialsync-7f9c-a', pid: 7, kind: 'daemon' as const };
    const store = await Store.open(world.database);
    try {
      const attempt = await store.leases.tryAcquire(RUN_LOCK, holder, 60_000);
      if (!attempt.acquired) throw new Error('lease not acquired');
      await store.leases.release(attempt.fence);
    } finally {
      await store.close();
    }
    const released = await world.cli('status');
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toMatch(/^Run lock: free \(released by the dialsync daemon on dialsync-7f9c-a \(pid 7\), token 1, last renewed \d{4}-\d\d-\d\dT[\d:.]+Z\)$/m);
    expect(released.stdout).not.toContain('1970');
    // Held, then never renewed nor released (the holder died): it expired at a time of its own.
    const again = await Store.open(world.database);
    try {
      const attempt = await again.leases.tryAcquire(RUN_LOCK, holder, 60_000);
      if (!attempt.acquired) throw new Error('lease not acquired');
      const at = Date.parse('2026-01-02T03:04:05.000Z');
      await rawDatabase(again)('leases').where({ name: RUN_LOCK }).update({ acquired_at_ms: at - 60_000, renewed_at_ms: at - 15_000, expires_at_ms: at });
    } finally {
      await again.close();
    }
    const expired = await world.cli('status');
    expect(expired.stdout).toContain('Run lock: free (last held by the dialsync daemon on dialsync-7f9c-a (pid 7), token 2, until 2026-01-02T03:04:05.000Z)');
  });

  it("shows the daemon's last readiness check with its details, and no secret, even one an older version stored", async () => {
    const { world } = given();
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

  it('shows the cause code in brackets for failing and quarantined users, and in --json', async () => {
    const { world } = given();
    await recordFailures(['run-1'], { userKey: 'okta:00u1', email: 'ann@acme.com', action: 'create', message: 'no Talk license left', cause: 'dialpad.license_unavailable' });
    await recordFailures(['run-1', 'run-2', 'run-3'], { userKey: 'okta:00u2', email: 'bob@acme.com', action: 'move_office', message: 'office is full', cause: 'dialpad.bad_request' });
    await recordFailures(['run-1'], { userKey: 'okta:00u3', email: 'cy@acme.com', action: 'update', message: 'old failure' });

    const text = (await world.cli('status')).stdout;
    expect(text).toMatch(/ann@acme\.com\s+create\s+1\s+\S+\s+no Talk license left \[dialpad\.license_unavailable\]/);
    expect(text).toMatch(/bob@acme\.com\s+move_office\s+3\s+\S+\s+office is full \[dialpad\.bad_request\]/);
    // A failure recorded before cause codes were kept shows no empty brackets.
    expect(text).toMatch(/cy@acme\.com\s+update\s+1\s+\S+\s+old failure\n/);
    expect(text).toMatch(/Quarantined: .*\(1\)\n {2}bob@acme\.com \[dialpad\.bad_request\]\n/);
    expect(text).toContain('release --cause CODE');

    const report = await status();
    expect(report.failingUsers.map((u) => [u.email, u.cause])).toEqual(
      expect.arrayContaining([
        ['ann@acme.com', 'dialpad.license_unavailable'],
        ['bob@acme.com', 'dialpad.bad_request'],
        ['cy@acme.com', null],
      ]),
    );
    expect(report.quarantined.map((u) => [u.email, u.cause])).toEqual([['bob@acme.com', 'dialpad.bad_request']]);
  });

  it('no longer lists a released user as failing or quarantined, until it fails again', async () => {
    const { world } = given();
    await recordFailures(['run-1', 'run-2', 'run-3'], { userKey: 'okta:00u2', email: 'bob@acme.com', action: 'move_office', message: 'office is full', cause: 'dialpad.bad_request' });
    await recordFailures(['run-1'], { userKey: 'okta:00u1', email: 'ann@acme.com', action: 'create', message: 'refused', cause: 'dialpad.bad_request' });
    const released = await world.cli('release', 'bob@acme.com');
    expect(released.code, released.stderr).toBe(0);

    const report = await status();
    expect(report.failingUsers.map((u) => u.email)).toEqual(['ann@acme.com']);
    expect(report.quarantined).toEqual([]);
    const text = (await world.cli('status')).stdout;
    expect(text).not.toContain('bob@acme.com');
    expect(text).toContain('Failing users (1)');

    expect((await world.cli('release', '--all')).code).toBe(0);
    expect((await world.cli('status')).stdout).toContain('Failing users: none');

    await recordFailures(['run-4'], { userKey: 'okta:00u2', email: 'bob@acme.com', action: 'move_office', message: 'office is full', cause: 'dialpad.bad_request' });
    expect((await status()).failingUsers.map((u) => [u.email, u.consecutiveFailures])).toEqual([['bob@acme.com', 1]]);
  });

  it('needs only the database setting: no credential is required or read (status and release)', async () => {
    const { world } = given();
    await recordFailures(['run-1', 'run-2', 'run-3'], { userKey: 'okta:00u2', email: 'bob@acme.com', action: 'move_office', message: 'office is full', cause: 'dialpad.bad_request' });
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-status-'));
    const badToken = join(dir, 'okta-token');
    writeFileSync(badToken, 'two\nlines\n');
    const database = { DIALSYNC_DATABASE: world.database };
    const envs: NodeJS.ProcessEnv[] = [
      database,
      { ...database, OKTA_ORG_URL: world.okta.url, OKTA_APP_ID: world.okta.appId },
      { ...database, OKTA_ORG_URL: world.okta.url, OKTA_APP_ID: world.okta.appId, OKTA_API_TOKEN_FILE: badToken, DIALPAD_API_KEY: 'key' },
      { ...database, OKTA_API_TOKEN_FILE: join(dir, 'missing'), DIALPAD_API_KEY_FILE: join(dir, 'missing') },
    ];
    for (const env of envs) {
      const run = await cliWith(env, 'status', '--json');
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as StatusReport).quarantined.map((u) => u.email)).toEqual(['bob@acme.com']);
    }
    // The database named in the config file alone.
    const file = join(dir, 'dialsync.yaml');
    writeFileSync(file, `database: ${world.database}\nsafety:\n  quarantineAfter: 5\n`);
    const fromFile = await cliWith({}, 'status', '--json', '--config', file);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ quarantineAfter: 5, quarantined: [] });

    // A secret it is given is still blanked out of what an older version stored, though nothing else is configured.
    const store = await Store.open(world.database);
    try {
      await store.runs.start('run-old', 'full', true);
      await store.runs.finish('run-old', 'failed', {}, `Okta echoed SSWS ${world.okta.token}`);
    } finally {
      await store.close();
    }
    const redacted = await cliWith({ ...database, OKTA_API_TOKEN: world.okta.token }, 'status');
    expect(redacted.code, redacted.stderr).toBe(0);
    expect(redacted.stdout).toContain('SSWS [redacted]');
    expect(redacted.stdout).not.toContain(world.okta.token);

    const released = await cliWith({ ...database, OKTA_API_TOKEN_FILE: badToken }, 'release', 'bob@acme.com');
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain('Released bob@acme.com');
    expect((await cliWith(database, 'release', '--all')).code).toBe(0);
  });

  it('still refuses a bad setting it reads or a bad config file (exit 2, naming the key)', async () => {
    const { world } = given();
    await createEmptyStore();
    const badLevel = await cliWith({ DIALSYNC_DATABASE: world.database, DIALSYNC_LOG_LEVEL: 'loud' }, 'status');
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toContain('DIALSYNC_LOG_LEVEL');
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-status-'));
    const file = join(dir, 'dialsync.yaml');
    writeFileSync(file, `database: ${world.database}\nsafety:\n  quarantineAftr: 5\n`);
    for (const command of [['status'], ['release', '--all'], ['reconcile'], ['reconcile', '--apply'], ['explain', 'ann@acme.com'], ['migrate']]) {
      const run = await cliWith({}, ...command, '--config', file);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('safety.quarantineAftr');
    }
  });

  it('says there is no database yet, creating neither it nor its directory (status and release)', async () => {
    const { world } = given();
    const dir = join(mkdtempSync(join(tmpdir(), 'dialsync-status-')), 'not-yet');
    const database = join(dir, 'dialsync.sqlite');
    world.extraEnv = { DIALSYNC_DATABASE: database };
    for (const command of [['status'], ['release', '--all'], ['release', 'bob@acme.com']]) {
      const run = await world.cli(...command);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`no database at ${database} yet`);
    }
    const json = await world.cli('status', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { message: expect.stringContaining('no database at') as string, exitCode: 2 } });
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a database path that is a folder, leaving the folder as it was (the commands that open or create it too)', async () => {
    const { world } = given();
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-status-'));
    chmodSync(dir, 0o755);
    world.extraEnv = { DIALSYNC_DATABASE: dir };
    for (const command of [['status'], ['release', '--all'], ['reconcile'], ['reconcile', '--apply'], ['explain', 'ann@acme.com'], ['migrate']]) {
      const run = await world.cli(...command);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${dir} is not a database file`);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });

  it('refuses a database path that runs through a regular file (exit 2 naming the setting, not a stack trace)', async () => {
    const { world } = given();
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-status-'));
    const marker = join(dir, 'marker');
    writeFileSync(marker, 'not a folder');
    world.extraEnv = { DIALSYNC_DATABASE: join(marker, 'dialsync.sqlite') };
    for (const command of [['status'], ['reconcile'], ['migrate']]) {
      const run = await world.cli(...command);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${join(marker, 'dialsync.sqlite')} cannot be used as the database (ENOTDIR) (DIALSYNC_DATABASE or database: in the config file says where it is)`);
      expect(run.stderr).not.toContain('    at ');
    }
  });

  it('--help names everything it shows', async () => {
    const { world } = given();
    const help = await world.cli('status', '--help');
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const part of ['last runs', 'failing', 'quarantined', 'cause code', 'incremental checkpoint', 'readiness', 'tenant pin', 'no credentials']) expect(text).toContain(part);
    expect(text).toContain('Exit codes: 0 status shown, 2 configuration or usage error, or there is no database yet, 4 the database could not be opened or read.');
  });

  it('refuses a --runs that is not a positive number', async () => {
    const { world } = given();
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
