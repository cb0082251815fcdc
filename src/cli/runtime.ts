// What every command that touches the store shares: config, logger, store, and failures mapped to exit codes.
import { describeError } from '../errors/describe-error.js';
import { statSync } from 'node:fs';
import { ConfigError, loadConfig, loadStoreConfig, type Config, type LoadConfigOptions, type StoreConfig } from '../config/load.js';
import { isPostgresDsn } from '../config/postgres-dsn.js';
import { DialpadError } from '../dialpad/errors.js';
import { createLogger, type Logger } from '../log/logger.js';
import type { Redactor } from '../log/redactor.js';
import { OktaError } from '../okta/errors.js';
import { ScopeGroupError } from '../okta/scope-group-error.js';
import { LockHeldError } from '../lease/run-lease.js';
import { UserNotFoundError } from '../reconcile/read-sides.js';
import { TenantMismatchError } from '../reconcile/tenant-guard.js';
import { PlanFileRefusedError } from '../plan-file/plan-file.js';
import { LeaseLostError } from '../errors/lease-lost.js';
import type { Store } from '../store/store.js';
import { describeDatabase, hasDialsyncSchema } from '../store/database.js';
import { openStore } from '../wiring/build.js';
import { AccessCheckError } from './access-check.js';
import { EXIT } from './exit-codes.js';

/** The process's environment and output streams, as runCli takes them (tests pass their own). */
export interface CliIo {
  /** Where the config's environment variables are read (DIALSYNC_*, OKTA_*, DIALPAD_*). */
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The redactor stdout and stderr pass through (runCli makes one); the config registers its secrets with it. */
  redactor?: Redactor;
}

/** What a command that contacts the APIs gets: the loaded config, a logger on stderr, and the open store. */
export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
}

/**
 * Loads the config (with `options.load`: loadConfig by default, loadDaemonConfig for the daemon), opens the store (creating it when missing), runs `body` and closes the store. Resolves with
 * `body`'s exit code, or with the code of what went wrong: EXIT.config for a ConfigError, EXIT.runFailed when the
 * store cannot be opened, exitCodeFor(error) when `body` throws (the message printed, redacted, and with --json
 * also as `{ error: { message, exitCode } }` on stdout). `options.beforeStore` is the command's own look at the
 * loaded config before the store is opened (or created): the exit code it returns (or resolves with) ends the command, with the store
 * never opened; null goes on. Throws only what loading the config throws besides a ConfigError.
 */
export async function withRuntime(
  io: CliIo,
  configFile: string | undefined,
  json: boolean,
  body: (runtime: Runtime) => Promise<number>,
  options: { beforeStore?: (config: Config) => number | null | Promise<number | null>; load?: (options: LoadConfigOptions) => Config } = {},
): Promise<number> {
  const { load = loadConfig, beforeStore } = options;
  const runOptions = { existingDatabase: false, ...(beforeStore ? { beforeStore } : {}) };
  return runWith(io, json, () => load({ file: configFile, env: io.env, ...(io.redactor ? { redactor: io.redactor } : {}) }), runOptions, body);
}

/** What the commands that read only the database get: no credentials, no API clients. */
export interface StoreRuntime {
  config: StoreConfig;
  logger: Logger;
  store: Store;
}

/**
 * withRuntime for the commands that work on the database only (`status`, `release`, `migrate --from`): neither
 * requires nor reads a credential, and creates no database: when none is at the configured path it says so and
 * returns EXIT.config. `options.databaseProblem` is the command's own check of the configured database, made
 * before it is opened: what it returns is printed and ends the command with EXIT.config.
 */
export async function withStoreRuntime(
  io: CliIo,
  configFile: string | undefined,
  json: boolean,
  body: (runtime: StoreRuntime) => Promise<number>,
  options: { databaseProblem?: (database: string) => string | null } = {},
): Promise<number> {
  const load = () => loadStoreConfig({ file: configFile, env: io.env, ...(io.redactor ? { redactor: io.redactor } : {}) });
  return runWith(io, json, load, { existingDatabase: true, ...options }, body);
}

async function runWith<C extends StoreConfig>(
  io: CliIo,
  json: boolean,
  load: () => C,
  options: { existingDatabase: boolean; databaseProblem?: (database: string) => string | null; beforeStore?: (config: C) => number | null | Promise<number | null> },
  body: (runtime: { config: C; logger: Logger; store: Store }) => Promise<number>,
): Promise<number> {
  let config: C;
  try {
    config = load();
  } catch (error) {
    if (error instanceof ConfigError) {
      // No redactor yet: a ConfigError names keys and says what is wrong with them, never a secret's value.
      const message = `configuration error: ${error.message}`;
      if (json) io.stdout.write(`${JSON.stringify({ error: { message, exitCode: EXIT.config } })}\n`);
      io.stderr.write(`dialsync: ${message}\n`);
      return EXIT.config;
    }
    throw error;
  }
  // On a terminal the tables say what happened; per-action log lines are for services and files.
  const level = io.env.DIALSYNC_LOG_LEVEL || !io.stderr.isTTY ? config.logLevel : 'warn';
  const { redactor } = config;
  const logger = createLogger(level, io.stderr, redactor);
  const problem = options.databaseProblem?.(config.database) ?? databasePathProblem(config.database, options.existingDatabase);
  if (problem !== null) {
    const message = redactor.redact(problem);
    if (json) io.stdout.write(`${JSON.stringify({ error: { message, exitCode: EXIT.config } })}\n`);
    io.stderr.write(`dialsync: ${message}\n`);
    return EXIT.config;
  }
  if (options.existingDatabase && !options.databaseProblem && isPostgresDsn(config.database)) {
    // The commands that only read never create dialsync's tables in a database that does not hold them yet.
    let present: boolean;
    try {
      present = await hasDialsyncSchema(config.database, config.postgres);
    } catch (error) {
      const message = redactor.redact(describeError(error));
      if (json) io.stdout.write(`${JSON.stringify({ error: { message, exitCode: exitCodeFor(error) } })}\n`);
      io.stderr.write(`dialsync: ${message}\n`);
      return exitCodeFor(error);
    }
    if (!present) {
      const absent = `no dialsync database at ${describeDatabase(config.database)} yet: the first \`dialsync reconcile\` or \`dialsync migrate\` creates its tables (DIALSYNC_DATABASE or database: in the config file says where it is)`;
      if (json) io.stdout.write(`${JSON.stringify({ error: { message: absent, exitCode: EXIT.config } })}\n`);
      io.stderr.write(`dialsync: ${absent}\n`);
      return EXIT.config;
    }
  }
  for (const warning of config.warnings) logger.warn(warning);
  const stopped = (await options.beforeStore?.(config)) ?? null;
  if (stopped !== null) return stopped;
  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    const message = redactor.redact(describeError(error));
    if (json) io.stdout.write(`${JSON.stringify({ error: { message, exitCode: EXIT.runFailed } })}\n`);
    io.stderr.write(`dialsync: ${message}\n`);
    return EXIT.runFailed;
  }
  try {
    return await body({ config, logger, store });
  } catch (error) {
    const code = exitCodeFor(error);
    const message = redactor.redact(describeError(error));
    logger.error({ err: { message, code: (error as { code?: unknown }).code } }, 'dialsync failed');
    if (json) io.stdout.write(`${JSON.stringify({ error: { message, exitCode: code } })}\n`);
    io.stderr.write(`dialsync: ${message}\n`);
    return code;
  } finally {
    await store.close();
  }
}

/**
 * The exit code for an error that ended a command: 2 (EXIT.config) for a ConfigError, a UserNotFoundError or a
 * ScopeGroupError (a scope.groups entry Okta does not know); 3
 * (EXIT.access) for an AccessCheckError, a TenantMismatchError, or an OktaError or DialpadError refusing the
 * credentials (`unauthorized`, `forbidden`, Okta's `app_not_found`); 8 (EXIT.lockHeld) for a LockHeldError or a
 * LeaseLostError; 10 (EXIT.planFileRefused) for a PlanFileRefusedError; 4 (EXIT.runFailed) for anything else.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UserNotFoundError || error instanceof ScopeGroupError) return EXIT.config;
  if (error instanceof LockHeldError || error instanceof LeaseLostError) return EXIT.lockHeld;
  if (error instanceof AccessCheckError || error instanceof TenantMismatchError) return EXIT.access;
  if (error instanceof PlanFileRefusedError) return EXIT.planFileRefused;
  if (error instanceof OktaError && ['unauthorized', 'forbidden', 'app_not_found'].includes(error.code)) return EXIT.access;
  if (error instanceof DialpadError && ['unauthorized', 'forbidden'].includes(error.code)) return EXIT.access;
  return EXIT.runFailed;
}

/**
 * Why the configured database path cannot be used, or null: a folder (or anything but a regular file) is never
 * opened as the database; a missing file is created, except by the commands that only read it (`existing`).
 */
function databasePathProblem(path: string, existing: boolean): string | null {
  // A PostgreSQL DSN names no file; whether its database can be reached is the store's to find out.
  if (path === ':memory:' || isPostgresDsn(path)) return null;
  const where = '(DIALSYNC_DATABASE or database: in the config file says where it is)';
  let stats;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    // A file where a folder of the path should be (ENOTDIR), a folder that may not be entered (EACCES), ...
    return `${path} cannot be used as the database (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}) ${where}`;
  }
  if (stats !== undefined && !stats.isFile()) return `${path} is not a database file ${where}`;
  if (stats === undefined && existing) return `no database at ${path} yet: the first \`dialsync reconcile\` creates it ${where}`;
  return null;
}
