// `dialsync session list|end`: the admin console's sessions, from the database only. A role comes from the Okta
// groups at sign-in and lasts the session, so someone removed from the admin group keeps their session until it
// expires (sessionIdleMinutes, sessionMaxHours); `session end` ends it now.
import type { Command } from 'commander';
import type { ConsoleSession } from '../../store/console-sessions.js';
import { cliActor } from '../cli-actor.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../plan-table.js';
import { withStoreRuntime, type CliIo } from '../runtime.js';

interface SessionFlags {
  config?: string;
  json: boolean;
}

/** A session as listed: never its id (the table holds only a hash of it anyway). */
interface ListedSession {
  email: string;
  role: string;
  signedInAt: string;
  lastSeenAt: string;
}

/**
 * `dialsync session list [--json]` (email, role, signed in, last seen) and `dialsync session end <email> | --all`
 * (deletes the sessions; audited session_end as `cli:<user>@<host>`, target the email or `all`). Exit 2 when no
 * session matches, for an email together with --all or neither, or with no database yet. Needs no credentials
 * (withStoreRuntime).
 */
export function registerSessionCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const session = program
    .command('session')
    .description("Manage the admin console's sessions: list who is signed in, end sessions now.")
    .addHelpText(
      'after',
      '\nA role is read from the Okta groups at sign-in: removing someone from a group takes effect at their next sign-in,\n' +
        'or now with `dialsync session end <email>`.\nReads and writes only the database: needs no credentials.\n' +
        'Exit codes: 0 done, 2 usage error, no session matches, or there is no database yet.',
    );

  session
    .command('list')
    .description('List the console sessions: email, role, signed in, last seen.')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the sessions as JSON on stdout', false)
    .action(async (flags: SessionFlags) => {
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ store }) => {
          const sessions = (await store.consoleSessions.list()).map(listed);
          io.stdout.write(flags.json ? `${JSON.stringify({ count: sessions.length, sessions }, null, 2)}\n` : renderSessions(sessions));
          return EXIT.ok;
        }),
      );
    });

  session
    .command('end')
    .description('End the console sessions of one email (or every session with --all): they must sign in again.')
    .argument('[email]', 'the email the sessions signed in with (case-insensitive)')
    .option('--all', 'end every console session', false)
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the sessions ended as JSON on stdout', false)
    .addHelpText('after', '\nExit codes: 0 ended, 2 no session matches, an email and --all together or neither, or no database yet.')
    .action(async (email: string | undefined, flags: SessionFlags & { all: boolean }) => {
      if ((email === undefined) === !flags.all) {
        io.stderr.write('dialsync session end: give an email or --all (not both)\n');
        setExitCode(EXIT.config);
        return;
      }
      const target = flags.all ? 'all' : (email ?? '');
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ store }) => {
          const ended = (await store.consoleSessions.end(target)).map(listed);
          if (ended.length === 0) {
            io.stderr.write(flags.all ? 'dialsync: there are no console sessions\n' : `dialsync: no console session is signed in as "${target}" (\`dialsync session list\` lists them)\n`);
            return EXIT.config;
          }
          await store.audit.record({ actor: cliActor(io.env), action: 'session_end', target, detail: { sessions: ended.length, emails: [...new Set(ended.map((s) => s.email))] } });
          io.stdout.write(
            flags.json ? `${JSON.stringify({ count: ended.length, sessions: ended }, null, 2)}\n` : `Ended ${ended.length} console session${ended.length === 1 ? '' : 's'} (${[...new Set(ended.map((s) => s.email))].join(', ')}).\n`,
          );
          return EXIT.ok;
        }),
      );
    });
}

/** The sessions as a table, or a sentence when there are none. */
export function renderSessions(sessions: readonly ListedSession[]): string {
  if (sessions.length === 0) return 'No console sessions.\n';
  const rows = table(
    ['EMAIL', 'ROLE', 'SIGNED IN', 'LAST SEEN'],
    sessions.map((s) => [s.email, s.role, s.signedInAt, s.lastSeenAt]),
  );
  return `${[`Console sessions (${sessions.length})`, ...rows].join('\n')}\n`;
}

function listed(session: ConsoleSession): ListedSession {
  return { email: session.email, role: session.role, signedInAt: session.createdAt, lastSeenAt: session.lastSeenAt };
}
