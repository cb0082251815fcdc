// `dialsync reconcile`'s flags that only make sense together: refused as a usage error before anything is read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';

describe('dialsync reconcile flags', () => {
  it('refuses --lock-wait without --apply (a dry run takes no run lock): exit 2 naming both flags, before reading any setting', async () => {
    // No setting at all: the refusal comes before the configuration is loaded, so nothing can be contacted.
    for (const args of [['--lock-wait', '5'], ['--lock-wait', '0', '--json']]) {
      const run = await runCliInProcess(['reconcile', ...args], {});
      expect(run.code, args.join(' ')).toBe(EXIT.config);
      expect(run.stderr).toBe('dialsync reconcile: --lock-wait is only for --apply (a dry run takes no run lock): add --apply or drop --lock-wait\n');
      expect(run.stdout).toBe('');
    }
  });

  it('with --json, a configuration error is a JSON error on stdout too (exit 2, naming the key), as every other error is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-json-config-'));
    const file = join(dir, 'dialsync.yaml');
    writeFileSync(file, 'dialpad:\n  requestsPerSecond: 0\n');
    const env = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: 'okta-token-0123456789', DIALPAD_API_KEY: 'dialpad-key-0123456789' };
    for (const [args, key] of [
      [['--config', file], 'dialpad.requestsPerSecond'],
      [['--config', join(dir, 'missing.yaml')], 'missing.yaml'],
    ] as const) {
      const run = await runCliInProcess(['reconcile', '--json', ...args], { ...env, DIALSYNC_DATABASE: join(dir, 'db.sqlite') });
      expect(run.code).toBe(EXIT.config);
      const error = (JSON.parse(run.stdout) as { error: { message: string; exitCode: number } }).error;
      expect(error.exitCode).toBe(EXIT.config);
      expect(error.message).toMatch(/^configuration error: /);
      expect(error.message).toContain(key);
      expect(run.stderr).toBe(`dialsync: ${error.message}\n`);
      expect(run.stdout).not.toContain('dialpad-key-0123456789');
    }
  });

  it('--help lists the usage error among the exit codes', async () => {
    const help = await runCliInProcess(['reconcile', '--help'], {});
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('2 configuration or usage error (--lock-wait without --apply included)');
  });
});
