// `dialsync daemon --help`: what a service manager or an operator reads to act on its exit.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';

/** The four settings every command needs, none of them a real credential. */
const CREDENTIALS = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: 'okta-token-0123456789', DIALPAD_API_KEY: 'dialpad-key-0123456789' };

/** A config file with `yaml` in a new temporary folder: the folder and the file's path. */
function configIn(prefix: string, yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'dialsync.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

describe('dialsync daemon --help', () => {
  it('lists the exit codes: 0 a clean stop, 2 configuration, 4 could not start (port in use, database)', async () => {
    const help = await runCliInProcess(['daemon', '--help'], {});
    expect(help.code).toBe(EXIT.ok);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Exit codes: 0 stopped cleanly (SIGTERM or SIGINT), 2 configuration error, 4 could not start (the port is in use, or the database could not be opened).');
  });
});

describe('dialsync daemon on a port in use', () => {
  it('exits 4, and its shutdown line says it could not start (not that a signal stopped it)', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const address = busy.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const { dir, file } = configIn('dialsync-busy-port-', `daemon:\n  host: 127.0.0.1\n  port: ${port}\n`);
      const env = { ...CREDENTIALS, DIALSYNC_LOG_LEVEL: 'info', DIALSYNC_DATABASE: join(dir, 'db.sqlite') };
      const result = await runCliInProcess(['daemon', '--config', file], env);
      expect(result.code).toBe(EXIT.runFailed);
      expect(`${result.stdout}${result.stderr}`).toContain('EADDRINUSE');
      const shutdown = result.stdout.split('\n').find((line) => line.includes('dialsync daemon shutting down'));
      expect(shutdown).toContain('"reason":"could not start"');
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});

describe('dialsync daemon with the console enabled', () => {
  const env = { ...CREDENTIALS, DIALSYNC_LOG_LEVEL: 'warn' };

  it('exits 2 naming what sign-in lacks, before it contacts or opens anything', async () => {
    const { dir, file } = configIn('dialsync-console-', 'console:\n  enabled: true\n  publicUrl: https://dialsync.example.com\n  issuer: https://acme.okta.com/oauth2/default\n  clientId: 0oaCONSOLE\n');
    const noGroup = await runCliInProcess(['daemon', '--config', file], { ...env, DIALSYNC_DATABASE: join(dir, 'db.sqlite') });
    expect(noGroup.code).toBe(EXIT.config);
    expect(noGroup.stderr).toContain('console.adminGroup');

    writeFileSync(file, 'console:\n  enabled: true\n  publicUrl: https://dialsync.example.com\n  issuer: https://acme.okta.com/oauth2/default\n  clientId: 0oaCONSOLE\n  adminGroup: dialsync-admins\n');
    const shortSecret = await runCliInProcess(['daemon', '--config', file], { ...env, DIALSYNC_DATABASE: join(dir, 'db.sqlite'), DIALSYNC_CONSOLE_CLIENT_SECRET: 'client-secret-0123456789', DIALSYNC_CONSOLE_SESSION_SECRET: 'too-short-session-secret' });
    expect(shortSecret.code).toBe(EXIT.config);
    expect(shortSecret.stderr).toContain('DIALSYNC_CONSOLE_SESSION_SECRET');
    expect(shortSecret.stderr).not.toContain('too-short-session-secret');
    expect(existsSync(join(dir, 'db.sqlite'))).toBe(false);
  });
});

describe('one config file with event hooks enabled, shared by the daemon and the other commands', () => {
  const env = { ...CREDENTIALS, DIALSYNC_LOG_LEVEL: 'warn' };

  it('the daemon, which serves the hooks, exits 2 naming DIALSYNC_HOOK_SECRET; a command that loads the credentials does not need it', async () => {
    const { dir, file } = configIn('dialsync-hooks-', 'daemon:\n  hooks:\n    enabled: true\n');
    const database = join(dir, 'db.sqlite');

    const daemon = await runCliInProcess(['daemon', '--config', file], { ...env, DIALSYNC_DATABASE: database });
    expect(daemon.code).toBe(EXIT.config);
    expect(daemon.stderr).toContain('DIALSYNC_HOOK_SECRET');
    expect(existsSync(database)).toBe(false);

    // `dialsync migrate` loads the config and the credentials as `reconcile` does (withRuntime) without contacting the APIs.
    const migrate = await runCliInProcess(['migrate', '--config', file], { ...env, DIALSYNC_DATABASE: database });
    expect(migrate.stderr).not.toContain('DIALSYNC_HOOK_SECRET');
    expect(migrate.code).toBe(EXIT.ok);
    expect(existsSync(database)).toBe(true);
  });
});
