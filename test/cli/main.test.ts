// The built entry point as a shell pipeline runs it: a reader that closes the pipe early (`dialsync ... | head`)
// does not crash the command.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useBuiltCli } from '../e2e/built-cli.js';

const builtCli = useBuiltCli();

describe('dialsync as the left side of a pipe', () => {
  it('exits as it would when the reader has gone (EPIPE): no crash, no stack trace', async () => {
    const cli = builtCli();
    const child = spawn(process.execPath, [cli.main, '--help'], { cwd: cli.dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes before the command has written anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 60_000);
});
