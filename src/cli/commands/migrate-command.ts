import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { withRuntime, type CliIo } from '../runtime.js';

export function registerMigrateCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('migrate')
    .description('Create or upgrade the database schema (reconcile also does this at start).')
    .option('-c, --config <file>', 'YAML config file')
    .action(async (flags: { config?: string }) => {
      setExitCode(
        await withRuntime(io, flags.config, false, async ({ config }) => {
          io.stdout.write(`Database ${config.database} is up to date.\n`);
          return EXIT.ok;
        }),
      );
    });
}
