// `dialsync token create|list|revoke`: API tokens for the console's /api, managed from the database only. A token
// is printed once, when created; the database keeps its SHA-256 and a prefix to recognise it by.
import { Command, Option } from 'commander';
import { mintApiToken } from '../../console/api-token.js';
import { TokenNameTakenError, type ApiToken } from '../../store/api-tokens.js';
import type { ConsoleRole } from '../../store/console-sessions.js';
import { cliActor } from '../cli-actor.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../plan-table.js';
import { withStoreRuntime, type CliIo } from '../runtime.js';

interface TokenFlags {
  config?: string;
  json: boolean;
}

/** A token's name: letters, digits, `.`, `_` and `-`, 1 to 100 characters, starting with a letter or digit. */
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * `dialsync token create --name NAME [--role admin|viewer]` (prints the token once; default role viewer),
 * `dialsync token list [--json]` (name, role, prefix, created, last used, revoked) and `dialsync token revoke NAME`.
 * Create and revoke are audited (token_create, token_revoke) as `cli:<user>@<host>`. Exit 2 for a bad or taken name,
 * an unknown one to revoke, or no database yet. Needs no credentials (withStoreRuntime).
 */
export function registerTokenCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const token = program
    .command('token')
    .description("Manage API tokens for the admin console's /api (Authorization: Bearer dsk_...).")
    .addHelpText('after', '\nReads and writes only the database: needs no credentials.\nExit codes: 0 done, 2 usage error (a bad, taken or unknown name) or there is no database yet.');

  token
    .command('create')
    .description('Create an API token and print it once (only its hash is stored).')
    .requiredOption('--name <name>', 'a name to list and revoke it by (letters, digits, . _ -)')
    .addOption(new Option('--role <role>', 'what the token may do: viewer reads, admin also approves, dismisses and releases').choices(['viewer', 'admin']).default('viewer'))
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the token and its record as JSON on stdout', false)
    .action(async (flags: TokenFlags & { name: string; role: ConsoleRole }) => {
      if (!TOKEN_NAME.test(flags.name)) {
        io.stderr.write('dialsync token create: --name must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit\n');
        setExitCode(EXIT.config);
        return;
      }
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ store }) => {
          const secret = mintApiToken();
          const actor = cliActor(io.env);
          let created: ApiToken;
          try {
            created = await store.apiTokens.create({ name: flags.name, role: flags.role, token: secret, createdBy: actor });
          } catch (error) {
            if (!(error instanceof TokenNameTakenError)) throw error;
            io.stderr.write(`dialsync: ${error.message}\n`);
            return EXIT.config;
          }
          await store.audit.record({ actor, action: 'token_create', target: created.name, detail: { role: created.role, prefix: created.prefix } });
          if (flags.json) io.stdout.write(`${JSON.stringify({ token: secret, ...created }, null, 2)}\n`);
          else {
            io.stdout.write(
              `Created API token "${created.name}" (${created.role}). It is shown this once: store it now.\n\n${secret}\n\n` +
                'Send it as the header "Authorization: Bearer <token>"; revoke it with `dialsync token revoke ' +
                `${created.name}\`.\n`,
            );
          }
          return EXIT.ok;
        }),
      );
    });

  token
    .command('list')
    .description('List the API tokens: name, role, prefix, created, last used, revoked.')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the tokens as JSON on stdout', false)
    .action(async (flags: TokenFlags) => {
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ store }) => {
          const tokens = await store.apiTokens.list();
          io.stdout.write(flags.json ? `${JSON.stringify({ count: tokens.length, tokens }, null, 2)}\n` : renderTokens(tokens));
          return EXIT.ok;
        }),
      );
    });

  token
    .command('revoke')
    .description('Revoke the active API token with this name: it signs nobody in from now on.')
    .argument('<name>', 'the name the token was created with')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the revoked token as JSON on stdout', false)
    .action(async (name: string, flags: TokenFlags) => {
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ store }) => {
          const revoked = await store.apiTokens.revoke(name);
          if (!revoked) {
            io.stderr.write(`dialsync: no active API token is named "${name}" (\`dialsync token list\` lists them)\n`);
            return EXIT.config;
          }
          await store.audit.record({ actor: cliActor(io.env), action: 'token_revoke', target: revoked.name, detail: { role: revoked.role, prefix: revoked.prefix } });
          io.stdout.write(flags.json ? `${JSON.stringify(revoked, null, 2)}\n` : `Revoked API token "${revoked.name}" (${revoked.prefix}…).\n`);
          return EXIT.ok;
        }),
      );
    });
}

/** The tokens as a table, or a sentence when there are none. */
export function renderTokens(tokens: readonly ApiToken[]): string {
  if (tokens.length === 0) return 'No API tokens. Create one with `dialsync token create --name NAME`.\n';
  const rows = table(
    ['NAME', 'ROLE', 'PREFIX', 'CREATED', 'CREATED BY', 'LAST USED', 'REVOKED'],
    tokens.map((t) => [t.name, t.role, `${t.prefix}…`, t.createdAt, t.createdBy, t.lastUsedAt ?? 'never', t.revokedAt ?? '']),
  );
  return `${[`API tokens (${tokens.length})`, ...rows].join('\n')}\n`;
}
