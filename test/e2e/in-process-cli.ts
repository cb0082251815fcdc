// The CLI run in this process (faster than a child: no second load of the Okta SDK), its output captured.
import { runCli } from '../../src/cli/program.js';
import { CaptureStream } from '../capture-stream.js';

/** What one CLI run left: its exit code and everything it wrote to stdout and stderr. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `dialsync ARGS` in-process with exactly `env` (nothing of process.env) and returns its exit code and output. */
export async function runCliInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const stdout = new CaptureStream();
  const stderr = new CaptureStream();
  const code = await runCli(args, { env, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
