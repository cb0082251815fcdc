// The dialsync command line. runCli is the whole CLI as a function (tests call it in-process); main.ts only wires
// it to the process. Each command lives in commands/ and registers itself here.
import { Command, CommanderError } from 'commander';
import { registerApplyCommand } from './commands/apply-command.js';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerReconcileCommand } from './commands/reconcile-command.js';
import { registerReleaseCommand } from './commands/release-command.js';
import { registerRepinCommand } from './commands/repin-command.js';
import { registerStatusCommand } from './commands/status-command.js';
import { registerExplainCommand } from './commands/explain-command.js';
import { registerDaemonCommand } from './commands/daemon-command.js';
import { registerConfigCommand } from './commands/config-command.js';
import { registerApproveCommand, registerDismissCommand } from './commands/decision-commands.js';
import { registerHeldCommand } from './commands/held-command.js';
import { registerTokenCommand } from './commands/token-command.js';
import { registerSessionCommand } from './commands/session-command.js';
import { Redactor } from '../log/redactor.js';
import { EXIT } from './exit-codes.js';
import { redactedOutput } from './redacted-io.js';
import type { CliIo } from './runtime.js';

export type { CliIo } from './runtime.js';

/** What `dialsync --version` prints. */
export const VERSION = '0.1.0';

/**
 * Runs one dialsync command (argv without the node and script paths) and resolves with its exit code (see
 * exit-codes.ts; a usage error is 2, an unexpected error 4). Everything it prints passes through one redactor,
 * which learns each secret as the config is loaded and each one minted later (an OAuth access token). Never
 * throws, and never sets process.exitCode itself (main.ts does).
 */
export async function runCli(argv: string[], outerIo: CliIo): Promise<number> {
  const redactor = outerIo.redactor ?? new Redactor();
  const io: CliIo = {
    env: outerIo.env,
    stdout: redactedOutput(outerIo.stdout, redactor),
    stderr: redactedOutput(outerIo.stderr, redactor),
    redactor,
  };
  let exitCode: number = EXIT.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('dialsync')
    .description('Keeps Dialpad users in step with the users assigned to an Okta app, and writes each Dialpad number back to Okta.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');

  registerReconcileCommand(program, io, setExitCode);
  registerApplyCommand(program, io, setExitCode);
  registerMigrateCommand(program, io, setExitCode);
  registerReleaseCommand(program, io, setExitCode);
  registerRepinCommand(program, io, setExitCode);
  registerStatusCommand(program, io, setExitCode);
  registerExplainCommand(program, io, setExitCode);
  registerDaemonCommand(program, io, setExitCode);
  registerConfigCommand(program, io, setExitCode);
  registerHeldCommand(program, io, setExitCode);
  registerApproveCommand(program, io, setExitCode);
  registerDismissCommand(program, io, setExitCode);
  registerTokenCommand(program, io, setExitCode);
  registerSessionCommand(program, io, setExitCode);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors with 1, which we report as 2.
      return error.exitCode === 0 ? EXIT.ok : EXIT.config;
    }
    // A bug: still printed through the redactor, not by Node's handler for an uncaught error.
    io.stderr.write(`dialsync: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.runFailed;
  }
  if (argv.length === 0) program.outputHelp();
  return exitCode;
}
