// `dialsync reconcile`'s flags that only make sense together: refused as a usage error before anything is read.
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

  it('--help lists the usage error among the exit codes', async () => {
    const help = await runCliInProcess(['reconcile', '--help'], {});
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('2 configuration or usage error (--lock-wait without --apply included)');
  });
});
