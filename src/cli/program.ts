// The dialsync command line. runCli is the whole CLI as a function (tests call it in-process); main.ts only wires
// it to the process.
import { Command, CommanderError, Option } from 'commander';
import { describeError } from '../apply/describe-error.js';
import { ConfigError, loadConfig, type Config } from '../config/load.js';
import { DialpadError } from '../dialpad/errors.js';
import { createLogger, type Logger } from '../log/logger.js';
import { OktaError } from '../okta/errors.js';
import { reconcile } from '../reconcile/reconcile.js';
import { UserNotFoundError } from '../reconcile/read-sides.js';
import { Store } from '../store/store.js';
import { AccessCheckError, checkAccess, createGateways } from './connect.js';
import { EXIT } from './exit-codes.js';
import { renderPlan, renderResult } from './plan-table.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('dialsync')
    .description('Keeps Dialpad users in step with the users assigned to an Okta app, and writes each Dialpad number back to Okta.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('reconcile')
    .description('Read Okta and Dialpad, print the plan, and (with --apply) carry it out. Without --apply nothing is changed.')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it)')
    .option('--apply', 'carry out the plan (default: dry run, nothing is changed)', false)
    .option('--json', 'print the plan and the result as JSON on stdout', false)
    .option('--user <email>', 'limit the run to one user (Okta login or email)')
    .addOption(new Option('--policy <policy>', 'override the policy for this run').choices(['sync', 'upsert-only', 'create-only']))
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 some users failed, 2 configuration or usage error, 3 credentials or access refused, 4 the run failed.\nConfiguration: see the README (OKTA_ORG_URL, OKTA_APP_ID, OKTA_API_TOKEN, DIALPAD_API_KEY, ...).',
    )
    .action(async (options: { config?: string; apply: boolean; json: boolean; user?: string; policy?: Config['rules']['policy'] }) => {
      exitCode = await withRuntime(io, options.config, options.json, async ({ config, logger, store }) => {
        if (options.policy) config.rules.policy = options.policy;
        const gateways = createGateways(config, logger);
        await checkAccess(gateways);
        const report = await reconcile(
          { ...gateways, store, rules: config.rules, logger, concurrency: config.concurrency, oktaConcurrency: config.okta.concurrency },
          { apply: options.apply, onlyEmail: options.user },
        );
        if (options.json) {
          io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          io.stdout.write(`${renderPlan(report)}\n`);
          if (report.result) io.stdout.write(`\n${renderResult(report.result)}\n`);
          else io.stdout.write('\nDry run: nothing was changed. Run `dialsync reconcile --apply` to carry out this plan.\n');
        }
        return report.result && report.result.failedUsers.length > 0 ? EXIT.usersFailed : EXIT.ok;
      });
    });

  program
    .command('migrate')
    .description('Create or upgrade the database schema (reconcile also does this at start).')
    .option('-c, --config <file>', 'YAML config file')
    .action(async (options: { config?: string }) => {
      exitCode = await withRuntime(io, options.config, false, async ({ config }) => {
        io.stdout.write(`Database ${config.database} is up to date.\n`);
        return EXIT.ok;
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors with 1, which we report as 2.
      return error.exitCode === 0 ? EXIT.ok : EXIT.config;
    }
    throw error;
  }
  if (argv.length === 0) {
    program.outputHelp();
  }
  return exitCode;
}

const VERSION = '0.1.0';

interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
}

/** Loads the config, opens the store, runs the command and maps failures to exit codes. */
async function withRuntime(io: CliIo, configFile: string | undefined, json: boolean, body: (runtime: Runtime) => Promise<number>): Promise<number> {
  let config: Config;
  try {
    config = loadConfig({ file: configFile, env: io.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`dialsync: configuration error: ${error.message}\n`);
      return EXIT.config;
    }
    throw error;
  }
  // On a terminal the tables say what happened; per-action log lines are for services and files.
  const level = io.env.DIALSYNC_LOG_LEVEL || !io.stderr.isTTY ? config.logLevel : 'warn';
  const logger = createLogger(level, io.stderr);
  let store: Store;
  try {
    store = await Store.open(config.database);
  } catch (error) {
    io.stderr.write(`dialsync: ${describeError(error)}\n`);
    return EXIT.runFailed;
  }
  try {
    return await body({ config, logger, store });
  } catch (error) {
    const code = exitCodeFor(error);
    const message = describeError(error);
    logger.error({ err: { message, code: (error as { code?: unknown }).code } }, 'dialsync failed');
    if (json) io.stdout.write(`${JSON.stringify({ error: { message, exitCode: code } })}\n`);
    io.stderr.write(`dialsync: ${message}\n`);
    return code;
  } finally {
    await store.close();
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UserNotFoundError) return EXIT.config;
  if (error instanceof AccessCheckError) return EXIT.access;
  if (error instanceof OktaError && ['unauthorized', 'forbidden', 'app_not_found'].includes(error.code)) return EXIT.access;
  if (error instanceof DialpadError && ['unauthorized', 'forbidden'].includes(error.code)) return EXIT.access;
  return EXIT.runFailed;
}
