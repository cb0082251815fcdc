// The PostgreSQL password never shows in what the commands print: `migrate` names the database with the password
// masked, `status` shows nothing of it, and a refused connection's error holds no password.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { usePostgresDatabases } from '../support/postgres.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';

const credentials = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: 'okta-token-0123456789abcdef', DIALPAD_API_KEY: 'dialpad-key-0123456789abcdef' };
const WRONG_PASSWORD = 'Wr0ng-password-for/this@test';

describe('the PostgreSQL password in CLI output', () => {
  const freshDatabase = usePostgresDatabases();

  it('migrate names the database with the password masked; status shows nothing of it', async () => {
    const dsn = await freshDatabase();
    const password = decodeURIComponent(new URL(dsn).password);
    const migrate = await runCliInProcess(['migrate'], { ...credentials, DIALSYNC_DATABASE: dsn, DIALSYNC_LOG_LEVEL: 'debug' });
    expect(migrate.code, migrate.stderr).toBe(EXIT.ok);
    expect(migrate.stdout).toMatch(/^Database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/dialsync_test_\w+ is up to date(\.|; applied \d+ migrations?:)\n/);
    for (const args of [['status'], ['status', '--json']]) {
      const status = await runCliInProcess(args, { DIALSYNC_DATABASE: dsn, DIALSYNC_LOG_LEVEL: 'debug' });
      expect(status.code, status.stderr).toBe(EXIT.ok);
      expect(status.stdout + status.stderr).not.toContain(password);
    }
    expect(migrate.stdout + migrate.stderr).not.toContain(password);
  });

  it('a wrong password fails the command (exit 4) with an error that holds no password', async () => {
    const url = new URL(await freshDatabase());
    url.password = encodeURIComponent(WRONG_PASSWORD);
    for (const args of [['migrate'], ['status', '--json']]) {
      const run = await runCliInProcess(args, { ...credentials, DIALSYNC_DATABASE: url.toString(), DIALSYNC_LOG_LEVEL: 'debug' });
      expect(run.code).toBe(EXIT.runFailed);
      expect(run.stderr).toMatch(/password authentication failed/);
      for (const spelling of [WRONG_PASSWORD, encodeURIComponent(WRONG_PASSWORD)]) expect(run.stdout + run.stderr).not.toContain(spelling);
    }
  });

  it('a password from DIALSYNC_DATABASE_PASSWORD is used and never printed', async () => {
    const url = new URL(await freshDatabase());
    const password = decodeURIComponent(url.password);
    url.password = '';
    const run = await runCliInProcess(['migrate'], { ...credentials, DIALSYNC_DATABASE: url.toString(), DIALSYNC_DATABASE_PASSWORD: password, DIALSYNC_LOG_LEVEL: 'debug' });
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout + run.stderr).not.toContain(password);
  });
});

describe('the commands that only read, on a PostgreSQL database without dialsync in it', () => {
  const freshDatabase = usePostgresDatabases();

  it('status and release say there is no dialsync database there yet (exit 2) and create no table; nor for a database that does not exist', async () => {
    const empty = await freshDatabase();
    const missing = new URL(empty);
    missing.pathname = '/no_such_database';
    for (const dsn of [empty, missing.toString()]) {
      for (const args of [['status'], ['release', '--all']]) {
        const run = await runCliInProcess(args, { DIALSYNC_DATABASE: dsn });
        expect(run.code, run.stderr).toBe(EXIT.config);
        expect(run.stderr).toMatch(/no dialsync database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+ yet/);
      }
    }
    // Still empty: the next command that creates (reconcile, migrate) finds nothing of dialsync's.
    const migrate = await runCliInProcess(['migrate'], { ...credentials, DIALSYNC_DATABASE: empty });
    expect(migrate.code, migrate.stderr).toBe(EXIT.ok);
    expect((await runCliInProcess(['status'], { DIALSYNC_DATABASE: empty })).code).toBe(EXIT.ok);
  });
});
