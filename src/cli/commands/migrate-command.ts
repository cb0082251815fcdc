// `dialsync migrate`: creates or upgrades the database schema and exits, for deployments that migrate before
// starting the service.
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { withRuntime, type CliIo } from '../runtime.js';

/**
 * Adds `dialsync migrate` to `program`: opens the store, which applies the pending migrations. Reports through
 * `setExitCode`: 0 up to date, 2 configuration error, 4 the database could not be opened or migrated.
 */
export function registerMigrateCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('migrate')
    .description('Create or upgrade the database schema (reconcile also does this at start).')
    .option('-c, --config <file>', 'YAML config file')
    .action(async (flags: { config?: string }) => {
      setExitCode(
        await withRuntime(io, flags.config, false, async ({ store }) => {
          io.stdout.write(`Database ${store.describe()} is up to date.\n`);
          return EXIT.ok;
        }),
      );
    });
}
