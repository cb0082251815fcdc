import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { withRuntime, type CliIo } from '../runtime.js';

/** `dialsync release EMAIL`: lifts a user's quarantine; the next run tries it again (its count starts from 0). */
export function registerReleaseCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('release')
    .description('Take a quarantined user out of quarantine: the next run tries its actions again.')
    .argument('<email>', 'the user\'s email, as `dialsync status` lists it')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the released users as JSON on stdout', false)
    .addHelpText('after', '\nExit codes: 0 released, 2 no failure is recorded for this email.')
    .action(async (email: string, flags: { config?: string; json: boolean }) => {
      setExitCode(
        await withRuntime(io, flags.config, flags.json, async ({ config, store }) => {
          const threshold = config.safety.quarantineAfter;
          const released = await store.userErrors.release(email);
          if (flags.json) {
            io.stdout.write(`${JSON.stringify({ released }, null, 2)}\n`);
          }
          if (released.length === 0) {
            io.stderr.write(`dialsync: no failure is recorded for ${email}: nothing to release (\`dialsync status\` lists quarantined users)\n`);
            return EXIT.config;
          }
          if (!flags.json) {
            for (const user of released) {
              io.stdout.write(`Released ${user.email ?? user.userKey}: the next run tries it again (quarantined again after ${threshold} more failing runs). Last error: ${user.action}: ${user.message}\n`);
            }
          }
          return EXIT.ok;
        }),
      );
    });
}
