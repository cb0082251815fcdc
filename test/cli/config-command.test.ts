// `dialsync config`: the effective configuration as a table or JSON, with no credentials and no database needed,
// and no secret printed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigReport } from '../../src/cli/commands/config-command.js';
import { REDACTED } from '../../src/log/redactor.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';
import { fixtureDir, fixtureFile } from '../config/config-fixture.js';

const TOKEN = '00okta-token-0123456789abcdefghij';
const HOOK = 'hook-secret-0123456789abcdefghij';
const DB_PASSWORD = 's3cret-db-password';
const database = join(fixtureDir, 'never-created.sqlite');
const file = fixtureFile(`database: ${database}\ndaemon:\n  port: 9090\nlicenses:\n  aliases:\n    Voice Pro: talk\n`);
const env = { OKTA_API_TOKEN: TOKEN, DIALSYNC_HOOK_SECRET: HOOK, OKTA_ORG_URL: 'https://acme.okta.com' };

describe('dialsync config', () => {
  it('prints each setting with its value and source, secrets as set or not set, without credentials or a database', async () => {
    const run = await runCliInProcess(['config', '--config', file], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {2}KEY\s+SOURCE\s+VALUE$/m);
    expect(run.stdout).toMatch(/^ {2}daemon\.port\s+file\s+9090$/m);
    expect(run.stdout).toMatch(/^ {2}okta\.orgUrl\s+environment\s+https:\/\/acme\.okta\.com$/m);
    expect(run.stdout).toMatch(/^ {2}okta\.maxRetries\s+default\s+3$/m);
    expect(run.stdout).toMatch(/^ {2}okta\.appId\s+default\s+\(none\)$/m);
    expect(run.stdout).toMatch(/^ {2}licenses\.aliases\s+file\s+\{"Voice Pro":"talk"\}$/m);
    expect(run.stdout).toMatch(/^ {2}okta\.apiToken\s+environment\s+set$/m);
    expect(run.stdout).toMatch(/^ {2}daemon\.hooks\.secret\s+environment\s+set$/m);
    expect(run.stdout).toMatch(/^ {2}dialpad\.apiKey\s+default\s+not set$/m);
    // Not printed, not even redacted: the values never reach the output.
    for (const text of [TOKEN, HOOK, REDACTED]) expect(run.stdout + run.stderr).not.toContain(text);
    expect(existsSync(database)).toBe(false);
  });

  it('--json: every row with its description; a DSN with its password masked', async () => {
    const run = await runCliInProcess(['config', '--json'], { ...env, DIALSYNC_DATABASE: `postgres://dialsync:${DB_PASSWORD}@db.internal/dialsync` });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ConfigReport;
    expect(report.settings.find((r) => r.key === 'database')).toMatchObject({ value: 'postgres://dialsync:***@db.internal/dialsync', source: 'environment', secret: false });
    expect(report.settings.find((r) => r.key === 'okta.apiToken')).toMatchObject({ value: 'set', secret: true, description: expect.stringContaining('OKTA_API_TOKEN') });
    expect(report.settings.find((r) => r.key === 'daemon.port')).toMatchObject({ value: 8080, source: 'default', description: 'Port the HTTP server listens on.' });
    for (const text of [TOKEN, HOOK, DB_PASSWORD, REDACTED]) expect(run.stdout + run.stderr).not.toContain(text);
  });

  it("warns on stderr about a Dialpad rate above Dialpad's documented 20/s, and prints it", async () => {
    const run = await runCliInProcess(['config', '--config', fixtureFile('dialpad:\n  requestsPerSecond: 40\n', 'fast.yaml')], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {2}dialpad\.requestsPerSecond\s+file\s+40$/m);
    expect(run.stderr).toContain("dialsync: warning: dialpad.requestsPerSecond is 40, above Dialpad's documented limit of 20 requests per second per company");
    const usual = await runCliInProcess(['config', '--config', file], env);
    expect(usual.stderr).not.toContain('warning');
  });

  it('a config file with a bad setting is a configuration error (exit 2)', async () => {
    const run = await runCliInProcess(['config', '--config', fixtureFile('daemon:\n  port: many\n')], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('dialsync: configuration error: daemon.port:');
  });
});
