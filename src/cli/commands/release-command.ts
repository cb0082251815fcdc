// `dialsync release`: lifts quarantines, reading and writing only the database.
import type { Command } from 'commander';
import type { UserError } from '../../store/user-errors.js';
import { cliActor } from '../cli-actor.js';
import { EXIT } from '../exit-codes.js';
import { withStoreRuntime, type CliIo } from '../runtime.js';

interface ReleaseFlags {
  config?: string;
  json: boolean;
  all: boolean;
  cause?: string;
}

/**
 * `dialsync release EMAIL | --all | --cause CODE`: lifts quarantines; the next run tries those users again (their
 * count of failing runs starts from 0). Exactly one of the three; exit 2 when none or several are given, or when an
 * EMAIL or CODE matches no recorded failure, or there is no database yet. Needs no credentials (withStoreRuntime).
 */
export function registerReleaseCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('release')
    .description('Take quarantined users out of quarantine: the next run tries their actions again.')
    .argument('[email]', "one user's email, as `dialsync status` lists it")
    .option('--all', 'release every user with a failing run counted', false)
    .option('--cause <code>', 'release every user whose last failure had this cause code (e.g. okta.E0000001, dialpad.bad_request)')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the released users as JSON on stdout', false)
    .addHelpText(
      'after',
      '\nGive exactly one of EMAIL, --all, --cause CODE. Each user released is recorded in the audit trail as cli:<user>@<host>. Cause codes are shown in brackets with each failing and quarantined user in `dialsync status`, and in `dialsync reconcile` and `dialsync explain`. Reads only the database: needs no credentials.\nExit codes: 0 released (or --all found nobody), 2 usage error, no failure is recorded for this email or cause, or there is no database yet.',
    )
    .action(async (email: string | undefined, flags: ReleaseFlags) => {
      const selectors = [email !== undefined, flags.all, flags.cause !== undefined].filter(Boolean).length;
      if (selectors !== 1) {
        io.stderr.write('dialsync release: give exactly one of EMAIL, --all or --cause CODE (see `dialsync release --help`)\n');
        setExitCode(EXIT.config);
        return;
      }
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ config, store }) => {
          const threshold = config.safety.quarantineAfter;
          const released = flags.all
            ? await store.userErrors.releaseAll()
            : flags.cause !== undefined
              ? await store.userErrors.releaseCause(flags.cause.trim())
              : await store.userErrors.release(email ?? '');
          const selector = flags.all ? { all: true } : flags.cause !== undefined ? { cause: flags.cause.trim() } : { email };
          await store.audit.recordEach(
            released.map((user) => ({ actor: cliActor(io.env), action: 'release' as const, target: user.email ?? user.userKey, detail: { userKey: user.userKey, cause: user.cause, ...selector } })),
          );
          if (flags.json) io.stdout.write(`${JSON.stringify({ count: released.length, released }, null, 2)}\n`);
          if (released.length === 0) {
            const what = flags.all ? 'no user has a failing run counted' : flags.cause !== undefined ? `no failure is recorded with cause ${flags.cause}` : `no failure is recorded for ${email}`;
            io.stderr.write(`dialsync: ${what}: nothing to release (\`dialsync status\` lists quarantined users)\n`);
            return flags.all ? EXIT.ok : EXIT.config;
          }
          if (!flags.json) io.stdout.write(describeReleased(released, threshold));
          return EXIT.ok;
        }),
      );
    });
}

function describeReleased(released: readonly UserError[], threshold: number): string {
  const lines = released.map(
    (user) => `Released ${user.email ?? user.userKey}: the next run tries it again. Last error: ${user.action}: ${user.message}${user.cause ? ` [${user.cause}]` : ''}`,
  );
  lines.push(`Released ${released.length} user${released.length === 1 ? '' : 's'} (each is quarantined again after ${threshold} more failing runs of its own).`);
  return `${lines.join('\n')}\n`;
}
