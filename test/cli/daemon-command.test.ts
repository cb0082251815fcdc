// `dialsync daemon --help`: what a service manager or an operator reads to act on its exit.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';

describe('dialsync daemon --help', () => {
  it('lists the exit codes: 0 a clean stop, 2 configuration, 4 could not start (port in use, database)', async () => {
    const help = await runCliInProcess(['daemon', '--help'], {});
    expect(help.code).toBe(EXIT.ok);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Exit codes: 0 stopped cleanly (SIGTERM or SIGINT), 2 configuration error, 4 could not start (the port is in use, or the database could not be opened).');
  });
});
