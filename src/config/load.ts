// Builds the effective configuration: defaults, then the YAML file, then the environment (which wins).
// Nothing is contacted here; every problem is a ConfigError naming the key or variable to fix.
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { rulesFromConfig } from '../plan/rules/default-rules.js';
import type { Rules } from '../plan/types.js';
import type { Safety } from '../plan/safety/safety.js';
import { Redactor } from '../log/redactor.js';
import type { OktaSettings } from '../okta/client.js';
import { cronExpressionProblem } from './cron-expression.js';
import { environmentValue, secretSetting, type SecretVariable, type SettingVariable } from './environment-settings.js';
import { dsnSecretsAsWritten, isPostgresDsn, looksLikeKeywordValueDsn, looksLikeMistypedDsn, maskDsnPassword, parsePostgresDsn, PostgresDsnError, type SslMode } from './postgres-dsn.js';
import { oktaScopesAskedFor } from './okta-scopes.js';
import { configDefaults, configFileSchema, findSecretKey, LOG_LEVELS, type ConfigFile } from './schema.js';

/**
 * A setting that cannot be used: missing, malformed, unknown, or a secret where none belongs. The message starts
 * with the key or variable to fix (`okta.pageSize: ...`) and never holds a secret's value; the CLI prints it and
 * exits 2 (configuration or usage error) before anything is contacted. Told apart by `code`, never by the text.
 */
export class ConfigError extends Error {
  readonly code = 'config';
  constructor(
    /** The config key (okta.orgUrl) or environment variable (OKTA_API_TOKEN) to fix. */
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** How the Dialpad client is built (config `dialpad:`; each setting's meaning is in config/schema.ts). */
export interface DialpadSettings {
  /** The API origin without a trailing slash, e.g. https://dialpad.com. */
  baseUrl: string;
  /** Secret: the company admin API key (DIALPAD_API_KEY, or the file named by DIALPAD_API_KEY_FILE or dialpad.apiKeyFile). */
  apiKey: string;
  /** Requests started per second. */
  requestsPerSecond: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Milliseconds per attempt. */
  timeoutMs: number;
}

/**
 * The effective configuration of a run or the daemon: the schema's defaults, then the config file, then the
 * environment (which wins). Built by loadConfig; every secret in it is known to `redactor`.
 */
export interface Config {
  /** The Okta org and app, the credential (secret: `auth`), retries, timeout, rate-limit share; users per page and requests at once. */
  okta: OktaSettings & { pageSize: number; concurrency: number };
  dialpad: DialpadSettings;
  /** Path of the SQLite database, or a PostgreSQL DSN (postgres://...; its password is a secret). */
  database: string;
  /** How PostgreSQL is reached when `database` is a DSN (ignored for SQLite). */
  postgres: PostgresSettings;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Users applied at once. */
  concurrency: number;
  /** What the planner applies: mapping, office, license, number, lifecycle and write-back rules, policy. */
  rules: Rules;
  daemon: DaemonSettings;
  /** Mass-change guard, source health gate, quarantine, license caps and seat check. */
  safety: Safety;
  /** The database-wide run lock (config `lock:`). */
  lock: LockSettings;
  /** How long run history is kept (config `history:`). */
  history: HistorySettings;
  /** Plan files (config `planFile:`): `dialsync apply` refuses one older than maxAgeHours (hours). */
  planFile: { maxAgeHours: number };
  /** The admin console (config `console:`): off, or everything its sign-in needs. */
  console: ConsoleSettings;
  /**
   * Knows every secret read above (and, once registered, those minted at run time): every log line, CLI output
   * and error text stored in the database passes through it.
   */
  redactor: Redactor;
  /** What the loader accepted but doubts (a secret too short to be real), for the CLI to log as warnings. */
  warnings: string[];
}

/**
 * The admin console (config `console:`; each setting's meaning is in config/schema.ts): `{ enabled: false }`, or
 * every setting its Okta sign-in needs, checked present. Secrets: `clientSecret` (DIALSYNC_CONSOLE_CLIENT_SECRET or
 * its _FILE) and `sessionSecret` (DIALSYNC_CONSOLE_SESSION_SECRET or its _FILE, at least MIN_SESSION_SECRET
 * characters: it signs the session and CSRF cookies).
 */
export type ConsoleSettings =
  | { enabled: false }
  | {
      enabled: true;
      /** Origin (and path, if any) admins open, without a trailing slash. */
      publicUrl: string;
      /** The Okta authorization server's issuer URL, without a trailing slash. */
      issuer: string;
      clientId: string;
      clientSecret: string;
      sessionSecret: string;
      adminGroup: string;
      viewerGroup: string | null;
      groupsClaim: string;
      sessionIdleMinutes: number;
      sessionMaxHours: number;
    };

/** Shortest session secret accepted: 32 characters, so the HMAC key has at least 128 bits even as hex. */
export const MIN_SESSION_SECRET = 32;

/** The database-wide run lock (config `lock:`; each setting's meaning is in config/schema.ts). */
export interface LockSettings {
  /** Seconds the lease lasts unless renewed. */
  ttlSeconds: number;
  /** Seconds between renewals (at most a third of ttlSeconds). */
  renewIntervalSeconds: number;
  /** Seconds a one-shot reconcile --apply waits for a lock another process holds; 0 refuses at once. */
  waitSeconds: number;
}

/** How long run history is kept (config `history:`; each setting's meaning is in config/schema.ts). */
export interface HistorySettings {
  /** Days a run's actions are kept, counted from the run's start; the runs themselves and the audit stay. */
  retentionDays: number;
}

/**
 * How PostgreSQL is reached (config `postgres:` and the DSN; each setting's meaning is in config/schema.ts). When
 * `database` is a SQLite path these are the defaults and nothing is read.
 */
export interface PostgresSettings {
  /** TLS mode: the setting, else the DSN's sslmode=, else `disable`. */
  sslmode: SslMode;
  /** PEM text of the CA(s) the server's certificate must chain to (read from caFile or the DSN's sslrootcert=); null: Node's CAs. */
  ca: string | null;
  /** Connections at most, per process. */
  poolSize: number;
  /**
   * Secret: the password when the DSN holds none (DIALSYNC_DATABASE_PASSWORD, the file named by
   * DIALSYNC_DATABASE_PASSWORD_FILE or postgres.passwordFile); null: the DSN's, or pg's PGPASSWORD / ~/.pgpass.
   */
  password: string | null;
}

/** dialsync daemon: schedule, incremental polling, HTTP server and Okta event hooks (config `daemon:`). */
export interface DaemonSettings {
  /** Cron expression of the full run, checked to parse. */
  schedule: string;
  /** IANA time zone the schedule is read in, checked to exist. */
  timezone: string;
  /** Seconds between System Log polls; 0: no incremental polling. */
  pollIntervalSeconds: number;
  host: string;
  port: number;
  /** HTTP connections open at once. */
  maxConnections: number;
  /** Seconds of failing runs after which /readyz turns unready. */
  readyzMaxFailingSeconds: number;
  /** Seconds between credential checks. */
  accessCheckIntervalSeconds: number;
  /**
   * Okta event hooks: `headerName` lower-cased, `batchDelaySeconds` and `queuePollSeconds` in seconds; `secret` (a secret, from
   * DIALSYNC_HOOK_SECRET or its _FILE) is null when not set; loadDaemonConfig requires it when `enabled`.
   */
  hooks: { enabled: boolean; path: string; headerName: string; batchDelaySeconds: number; queuePollSeconds: number; secret: string | null };
}

/** What loadConfig and loadStoreConfig read. */
export interface LoadConfigOptions {
  /** Path of the YAML config file (`--config`); without one, the schema's defaults stand in for it. */
  file?: string | undefined;
  /** The environment (process.env): OKTA_*, DIALPAD_*, DIALSYNC_* win over the file. */
  env: NodeJS.ProcessEnv;
  /** Where the secrets read are registered (the CLI passes the one its output goes through); a new one if left out. */
  redactor?: Redactor;
}

/**
 * The effective configuration: the schema's defaults (config/schema.ts), then `file`, then `env`, which wins.
 * Reads the config file and any secret files named; nothing is contacted, and a credential that cannot be
 * well-formed (a token with a line break, a private key that does not parse) is refused here rather than sent.
 * Every secret read is registered with `redactor` before any check of it can fail. `warnings` lists what was
 * accepted but doubted (a secret shorter than SHORT_SECRET characters, a Dialpad rate above Dialpad's documented limit).
 * @throws ConfigError naming the key or variable to fix: a required setting missing (OKTA_ORG_URL, OKTA_APP_ID,
 *   an Okta credential, DIALPAD_API_KEY), a file that cannot be read or is not YAML settings, a secret in the
 *   file, an unknown key or bad value, a bad cron expression or time zone, a malformed credential.
 */
export function loadConfig({ file, env, redactor = new Redactor() }: LoadConfigOptions): Config {
  const secrets = new SecretReader(env, redactor);
  const fromFile = file ? readConfigFile(file) : configDefaults();
  const { okta, dialpad } = fromFile;

  const orgUrl = envUrl(env, 'OKTA_ORG_URL') ?? okta.orgUrl;
  if (!orgUrl) throw new ConfigError('OKTA_ORG_URL', 'the Okta org URL is required (or okta.orgUrl in the config file)');
  const appId = environmentValue(env, 'OKTA_APP_ID') ?? okta.appId;
  if (!appId) throw new ConfigError('OKTA_APP_ID', 'the id of the Dialpad app in Okta is required (or okta.appId in the config file)');

  const dialpadApiKey = secrets.token('DIALPAD_API_KEY', { path: dialpad.apiKeyFile });
  if (!dialpadApiKey) throw new ConfigError('DIALPAD_API_KEY', 'a Dialpad API key is required (or DIALPAD_API_KEY_FILE, or dialpad.apiKeyFile)');

  const store = storeSettings(env, fromFile, secrets);

  const config: Omit<Config, 'warnings'> = {
    okta: {
      orgUrl: orgUrl.replace(/\/+$/, ''),
      appId,
      auth: oktaAuth(env, okta, secrets, fromFile.scope.groups),
      maxRetries: okta.maxRetries,
      requestTimeoutMs: okta.requestTimeoutMs,
      rateLimitShare: okta.rateLimitShare,
      pageSize: okta.pageSize,
      concurrency: okta.concurrency,
    },
    dialpad: {
      baseUrl: (envUrl(env, 'DIALPAD_BASE_URL') ?? dialpad.baseUrl).replace(/\/+$/, ''),
      apiKey: dialpadApiKey,
      requestsPerSecond: dialpad.requestsPerSecond,
      maxRetries: dialpad.maxRetries,
      timeoutMs: dialpad.timeoutMs,
    },
    database: store.database,
    postgres: store.postgres,
    logLevel: store.logLevel,
    concurrency: fromFile.concurrency,
    rules: rulesFromConfig(fromFile),
    daemon: daemonFrom(fromFile, secrets),
    safety: store.safety,
    lock: fromFile.lock,
    history: fromFile.history,
    planFile: fromFile.planFile,
    console: consoleFrom(fromFile, secrets),
    redactor,
  };
  const rateWarning = dialpadRateWarning(config.dialpad.requestsPerSecond);
  return { ...config, warnings: [...shortSecretWarnings(config), ...(rateWarning === null ? [] : [rateWarning])] };
}

/**
 * Dialpad's documented limit: 20 requests per second per company, shared by every integration of the company
 * (https://developers.dialpad.com/docs/rate-limits).
 */
export const DIALPAD_DOCUMENTED_REQUESTS_PER_SECOND = 20;

/** Below this many Dialpad requests per second, a full run of a company of any size takes hours: warned about. */
export const SLOW_DIALPAD_REQUESTS_PER_SECOND = 1;

/**
 * The warning for a dialpad.requestsPerSecond above Dialpad's documented limit, else null: allowed (Dialpad may
 * have raised the company's limit, or a test rig scales it), but by default it only spends 429s. Also for one below
 * SLOW_DIALPAD_REQUESTS_PER_SECOND: allowed (a company whose budget other integrations spend), but a full run then
 * reads 100 users a page at that pace, and a run may seem to hang. Logged at start (with the config's other
 * warnings) and printed by `dialsync config`.
 */
export function dialpadRateWarning(requestsPerSecond: number): string | null {
  if (requestsPerSecond < SLOW_DIALPAD_REQUESTS_PER_SECOND) {
    const minutes = 100 / requestsPerSecond / 60;
    return `dialpad.requestsPerSecond is ${requestsPerSecond}: one Dialpad request every ${Number((1 / requestsPerSecond).toPrecision(3))} s, so reading 10,000 Dialpad users (100 pages) alone takes about ${minutes < 120 ? `${Math.round(minutes)} minutes` : `${Math.round(minutes / 60)} hours`}; runs will seem to hang`;
  }
  if (requestsPerSecond <= DIALPAD_DOCUMENTED_REQUESTS_PER_SECOND) return null;
  return `dialpad.requestsPerSecond is ${requestsPerSecond}, above Dialpad's documented limit of ${DIALPAD_DOCUMENTED_REQUESTS_PER_SECOND} requests per second per company, shared with every other integration (https://developers.dialpad.com/docs/rate-limits): right only if Dialpad raised your company's limit; dialsync backs off on 429s either way`;
}

/**
 * loadConfig for the daemon, the one command that serves event hooks: the same Config, and with
 * daemon.hooks.enabled the hook secret is required. The other commands read the same file without it, so one config
 * file serves the daemon and the CronJobs or terminals that run `dialsync reconcile`.
 * @throws ConfigError as loadConfig, and naming DIALSYNC_HOOK_SECRET when hooks are enabled and no secret is set.
 */
export function loadDaemonConfig(options: LoadConfigOptions): Config {
  const config = loadConfig(options);
  if (config.daemon.hooks.enabled && !config.daemon.hooks.secret) {
    throw new ConfigError('DIALSYNC_HOOK_SECRET', 'daemon.hooks.enabled is true, so the event hook secret is required (DIALSYNC_HOOK_SECRET or DIALSYNC_HOOK_SECRET_FILE)');
  }
  return config;
}

/** Real Okta API tokens (42 characters), Dialpad API keys and hook secrets are far longer than this. */
const SHORT_SECRET = 16;

/**
 * A warning for each secret shorter than SHORT_SECRET characters: most likely a placeholder or a mistyped value
 * (the APIs will refuse it), and short values are redacted only as whole tokens (log/redactor.ts). Not refused:
 * tests and the sandboxes use short values.
 */
function shortSecretWarnings(config: Omit<Config, 'warnings'>): string[] {
  const secrets: [string, string | null][] = [
    ['DIALPAD_API_KEY', config.dialpad.apiKey],
    ['OKTA_API_TOKEN', config.okta.auth.kind === 'token' ? config.okta.auth.token : null],
    ['DIALSYNC_HOOK_SECRET', config.daemon.hooks.secret],
    ['DIALSYNC_CONSOLE_CLIENT_SECRET', config.console.enabled ? config.console.clientSecret : null],
  ];
  return secrets.flatMap(([name, value]) => {
    if (value === null || value.length >= SHORT_SECRET) return [];
    const what = name === 'DIALSYNC_HOOK_SECRET' ? 'hook secret' : 'credential';
    return [`${name} is only ${value.length} character${value.length === 1 ? '' : 's'} long: unlikely to be a real ${what} (check it was copied whole)`];
  });
}

/** What the commands that read only the database (`status`, `release`) need: a part of Config. */
export type StoreConfig = Pick<Config, 'database' | 'postgres' | 'logLevel' | 'safety' | 'redactor' | 'warnings'>;

/**
 * The settings of the commands that read only the database: the database path, log level and safety settings,
 * from the config file and the environment as loadConfig reads them. No credential is required or checked (not even
 * a malformed one: each that can be read is only registered with `redactor`), so these commands answer when the
 * credentials are missing or broken.
 * @throws ConfigError naming the key to fix, for the config file or the settings read here.
 */
export function loadStoreConfig({ file, env, redactor = new Redactor() }: LoadConfigOptions): StoreConfig {
  const fromFile = file ? readConfigFile(file) : configDefaults();
  const secrets = new SecretReader(env, redactor);
  registerSecretsLeniently(env, fromFile, secrets);
  // The credentials are not used here, so a short one is not worth a warning.
  return { ...storeSettings(env, fromFile, secrets), redactor, warnings: [] };
}

/**
 * Registers with the redactor every secret that can be read, ignoring any that is missing or malformed: what an
 * older version stored in the database is still blanked out, and a broken credential does not stop the command.
 */
function registerSecretsLeniently(env: NodeJS.ProcessEnv, file: ConfigFile, secrets: SecretReader): void {
  const { okta } = file;
  const reads = [
    () => secrets.token('OKTA_API_TOKEN', { path: okta.apiTokenFile }),
    () => secrets.privateKey('OKTA_PRIVATE_KEY', { path: okta.privateKeyFile }),
    () => secrets.token('DIALPAD_API_KEY', { path: file.dialpad.apiKeyFile }),
    () => secrets.token('DIALSYNC_HOOK_SECRET'),
    () => secrets.token('DIALSYNC_CONSOLE_CLIENT_SECRET'),
    () => secrets.token('DIALSYNC_CONSOLE_SESSION_SECRET'),
  ];
  for (const read of reads) {
    try {
      read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
}

function storeSettings(env: NodeJS.ProcessEnv, fromFile: ConfigFile, secrets: SecretReader): Omit<StoreConfig, 'redactor' | 'warnings'> {
  const logLevel = environmentValue(env, 'DIALSYNC_LOG_LEVEL') ?? fromFile.logLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('DIALSYNC_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const fromEnv = environmentValue(env, 'DIALSYNC_DATABASE');
  const database = fromEnv ?? fromFile.database;
  const key = fromEnv ? 'DIALSYNC_DATABASE' : 'database';
  if (looksLikeKeywordValueDsn(database)) {
    // libpq's other spelling of a connection (`host=db user=app password=...`): as a path it would be a SQLite file
    // named with the password. Shown with every password masked, and registered first in case it turns up anyway.
    secrets.registerDsnSecrets(database);
    throw new ConfigError(
      key,
      `${maskDsnPassword(database.trim())} is a keyword/value connection string, which dialsync does not take: give a postgres:// URL (postgres://user:password@host:5432/dbname?sslmode=...) or the path of a SQLite file`,
    );
  }
  if (looksLikeMistypedDsn(database)) {
    // Registered first: the refusal below names the key, never the value.
    secrets.registerDsnSecrets(database.replace(/^[^/]*\/\//, 'postgres://'));
    throw new ConfigError(
      key,
      'looks like a URL but is not a postgres:// or postgresql:// DSN (check the scheme and its "://"); a SQLite database is given as a file path',
    );
  }
  return {
    database,
    postgres: postgresSettings(env, fromFile, secrets, database, fromEnv ? 'DIALSYNC_DATABASE' : 'database'),
    logLevel: logLevel as Config['logLevel'],
    safety: safetyFrom(fromFile),
  };
}

/**
 * The PostgreSQL settings for `database` (named by `key` in messages): the DSN checked and its password registered
 * with the redactor, the TLS mode and CA resolved, the password read from a setting when the DSN holds none. A
 * SQLite path gets the defaults and nothing is read. PGPASSWORD, which pg itself falls back to, is registered too.
 */
function postgresSettings(env: NodeJS.ProcessEnv, fromFile: ConfigFile, secrets: SecretReader, database: string, key: string): PostgresSettings {
  const { postgres } = fromFile;
  const settings: PostgresSettings = { sslmode: postgres.sslmode ?? 'disable', ca: null, poolSize: postgres.poolSize, password: null };
  if (!isPostgresDsn(database)) return settings;
  let dsn;
  try {
    dsn = parsePostgresDsn(database);
  } catch (error) {
    if (error instanceof PostgresDsnError) throw new ConfigError(key, error.message);
    throw error;
  } finally {
    // Before any check can fail: the password is never printed, even in a refusal.
    secrets.registerDsnSecrets(database);
  }
  if (env.PGPASSWORD) secrets.registerValue(env.PGPASSWORD);
  if (postgres.sslmode && dsn.sslmode && postgres.sslmode !== dsn.sslmode) {
    throw new ConfigError('postgres.sslmode', `is ${postgres.sslmode} but the DSN says sslmode=${dsn.sslmode}: set one of them`);
  }
  settings.sslmode = postgres.sslmode ?? dsn.sslmode ?? 'disable';
  const caFile = postgres.caFile ?? dsn.sslrootcert;
  if (caFile) {
    const caKey = postgres.caFile ? 'postgres.caFile' : key;
    if (settings.sslmode === 'disable') throw new ConfigError(caKey, `a CA file (${caFile}) is set but sslmode is disable: set sslmode to verify-full (or verify-ca, require)`);
    settings.ca = readCaFile(caKey, caFile);
  }
  const password = secrets.token('DIALSYNC_DATABASE_PASSWORD', { path: postgres.passwordFile });
  if (password !== undefined && dsn.password !== null) {
    throw new ConfigError(key, 'the DSN holds a password and one is also set (DIALSYNC_DATABASE_PASSWORD, its _FILE, or postgres.passwordFile): keep one');
  }
  settings.password = password ?? null;
  return settings;
}

/** The PEM text of a CA file, read once at start. @throws ConfigError when it cannot be read or holds no certificate. */
function readCaFile(key: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(key, `cannot read the CA file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(key, `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return text;
}

function safetyFrom(file: ConfigFile): Safety {
  return { ...file.safety, licenseCaps: file.licenseCaps };
}

/**
 * Whether Intl knows the time zone. UTC, the default, is always valid and is not looked up: the look-up loads
 * ICU's time-zone data, about 6 MB of resident memory in every process that reads the config (reconcile too).
 */
function isTimeZone(timezone: string): boolean {
  if (timezone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function daemonFrom(file: ConfigFile, secrets: SecretReader): DaemonSettings {
  const { daemon } = file;
  const { schedule, timezone, hooks } = daemon;
  const cronProblem = cronExpressionProblem(schedule);
  if (cronProblem) throw new ConfigError('daemon.schedule', `"${schedule}" is not a valid cron expression (${cronProblem})`);
  if (!isTimeZone(timezone)) {
    throw new ConfigError('daemon.timezone', `"${timezone}" is not an IANA time zone (e.g. UTC, Europe/Paris)`);
  }
  const { enabled } = hooks;
  // Required only where hooks are served (loadDaemonConfig): one config file serves the daemon and the CronJobs.
  const secret = secrets.token('DIALSYNC_HOOK_SECRET') ?? null;
  return {
    schedule,
    timezone,
    pollIntervalSeconds: daemon.pollIntervalSeconds,
    host: daemon.host,
    port: daemon.port,
    maxConnections: daemon.maxConnections,
    readyzMaxFailingSeconds: daemon.readyzMaxFailingSeconds,
    accessCheckIntervalSeconds: daemon.accessCheckIntervalSeconds,
    hooks: {
      enabled,
      path: hooks.path,
      headerName: hooks.headerName.toLowerCase(),
      batchDelaySeconds: hooks.batchDelaySeconds,
      queuePollSeconds: hooks.queuePollSeconds,
      secret,
    },
  };
}

/**
 * The console's settings: both secrets are read (and so registered with the redactor) whether or not it is enabled;
 * when enabled, every setting its sign-in needs must be there.
 */
function consoleFrom(file: ConfigFile, secrets: SecretReader): ConsoleSettings {
  const settings = file.console;
  const clientSecret = secrets.token('DIALSYNC_CONSOLE_CLIENT_SECRET');
  const sessionSecret = secrets.token('DIALSYNC_CONSOLE_SESSION_SECRET');
  if (!settings.enabled) return { enabled: false };
  const required = (key: string, value: string | null, what: string): string => {
    if (value === null) throw new ConfigError(key, `console.enabled is true, so ${what} is required`);
    return value;
  };
  const publicUrl = required('console.publicUrl', settings.publicUrl, 'the address admins open (e.g. https://dialsync.example.com)');
  const issuer = required('console.issuer', settings.issuer, 'the Okta authorization server URL (e.g. https://acme.okta.com/oauth2/default)');
  const clientId = required('console.clientId', settings.clientId, "the Okta web app's client id");
  const adminGroup = required('console.adminGroup', settings.adminGroup, 'the Okta group whose members sign in as admins');
  checkConsoleRoot(publicUrl);
  if (settings.sessionIdleMinutes > settings.sessionMaxHours * 60) {
    throw new ConfigError(
      'console.sessionIdleMinutes',
      `must not be longer than console.sessionMaxHours (${settings.sessionIdleMinutes} minutes is more than ${settings.sessionMaxHours} hours): every session ends at sessionMaxHours anyway`,
    );
  }
  if (settings.viewerGroup !== null && settings.viewerGroup === adminGroup) {
    throw new ConfigError('console.viewerGroup', 'must differ from console.adminGroup (its members would sign in as admins); leave it null for admins only');
  }
  if (!clientSecret) {
    throw new ConfigError('DIALSYNC_CONSOLE_CLIENT_SECRET', "console.enabled is true, so the Okta web app's client secret is required (DIALSYNC_CONSOLE_CLIENT_SECRET or DIALSYNC_CONSOLE_CLIENT_SECRET_FILE)");
  }
  if (!sessionSecret) {
    throw new ConfigError('DIALSYNC_CONSOLE_SESSION_SECRET', 'console.enabled is true, so a session signing secret is required (DIALSYNC_CONSOLE_SESSION_SECRET or DIALSYNC_CONSOLE_SESSION_SECRET_FILE)');
  }
  if (sessionSecret.length < MIN_SESSION_SECRET) {
    throw new ConfigError('DIALSYNC_CONSOLE_SESSION_SECRET', `must be at least ${MIN_SESSION_SECRET} characters long (e.g. openssl rand -hex 32)`);
  }
  return {
    enabled: true,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    issuer: issuer.replace(/\/+$/, ''),
    clientId,
    clientSecret,
    sessionSecret,
    adminGroup,
    viewerGroup: settings.viewerGroup,
    groupsClaim: settings.groupsClaim,
    sessionIdleMinutes: settings.sessionIdleMinutes,
    sessionMaxHours: settings.sessionMaxHours,
  };
}

/**
 * Refuses a console.publicUrl with a path other than `/`, a query or a fragment: the console's routes, cookies
 * (Path=/, the __Host- prefix) and redirects are all at the root of its host.
 * @throws ConfigError naming console.publicUrl.
 */
function checkConsoleRoot(publicUrl: string): void {
  const url = new URL(publicUrl);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || publicUrl.includes('?') || publicUrl.includes('#')) {
    throw new ConfigError('console.publicUrl', `must be the root of its host, with no path, query or fragment (e.g. ${url.origin}): the console is served at /, not under a path`);
  }
}

function readConfigFile(file: string): ConfigFile {
  const raw = readRawConfigFile(file);
  const secret = findSecretKey(raw);
  if (secret) {
    throw new ConfigError(secret.key, `secrets do not belong in the config file: remove it and use ${secret.home}`);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) throw configErrorFromZod(parsed.error);
  return parsed.data;
}

/**
 * The config file as written: its YAML parsed, not yet checked against the schema (an empty file is `{}`). What
 * the settings view (config/settings-sources.ts) reads to tell a value the file sets from a default.
 * @throws ConfigError (key `--config`) when the file cannot be read, is not YAML, or is not a map of settings.
 */
export function readRawConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('--config', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError('--config', `${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const shape = Array.isArray(raw) ? 'a list' : `a single ${typeof raw} value`;
    throw new ConfigError('--config', `${file} must hold settings as "key: value" lines at the top level, not ${shape}`);
  }
  return raw as Record<string, unknown>;
}

function configErrorFromZod(error: z.ZodError): ConfigError {
  // An unknown key first: a misspelt `clause:` also leaves `clauses` missing, and the spelling is the one to fix.
  const issue = error.issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return new ConfigError('config', 'invalid configuration');
  // A list item as YAML readers say it: scope.exclude[0].clauses[1].value.
  const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part)));
  const keyOf = (parts: string[]): string => parts.filter(Boolean).join('.').replaceAll('.[', '[');
  if (issue.code === 'unrecognized_keys') {
    const key = keyOf([...path, issue.keys[0] ?? '']);
    return new ConfigError(key, 'unknown key (check its spelling and nesting)');
  }
  return new ConfigError(keyOf(path) || 'config', issue.message);
}

function oktaAuth(env: NodeJS.ProcessEnv, okta: ConfigFile['okta'], secrets: SecretReader, scopeGroups: readonly string[]): OktaSettings['auth'] {
  const token = secrets.token('OKTA_API_TOKEN', { path: okta.apiTokenFile });
  const clientId = environmentValue(env, 'OKTA_CLIENT_ID') ?? okta.clientId;
  if (token && clientId) {
    throw new ConfigError('OKTA_CLIENT_ID', 'set either an API token (OKTA_API_TOKEN) or a service app (OKTA_CLIENT_ID + private key), not both');
  }
  if (token) return { kind: 'token', token };
  if (!clientId) {
    throw new ConfigError('OKTA_API_TOKEN', 'Okta credentials are required: OKTA_API_TOKEN, or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE');
  }
  const privateKey = secrets.privateKey('OKTA_PRIVATE_KEY', { path: okta.privateKeyFile });
  if (!privateKey) throw new ConfigError('OKTA_PRIVATE_KEY', 'OKTA_CLIENT_ID is set, so a private key is required (OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE)');
  return {
    kind: 'privateKey',
    clientId,
    privateKey,
    ...(okta.keyId ? { keyId: okta.keyId } : {}),
    scopes: oktaScopesAskedFor(okta.scopes, scopeGroups),
  };
}

function envUrl(env: NodeJS.ProcessEnv, name: SettingVariable): string | undefined {
  const value = environmentValue(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(name, 'must be an http(s) URL');
  return value;
}

/** The file the secret's config-file key (SECRET_SETTINGS fileKey) names, when the file sets it. */
interface SecretFileKey {
  path: string | undefined;
}

/**
 * Reads secrets from NAME, the file named by NAME_FILE, or a config-file key naming a file (SECRET_SETTINGS says
 * which); checks that each can be well-formed, and registers each with the redactor (before checking it, so even a
 * refused value is never printed). One trailing newline (LF or CRLF) is dropped, as editors and `echo` add one; nothing else is trimmed.
 */
class SecretReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly redactor: Redactor,
  ) {}

  /** An opaque token (API token, API key, hook secret): refused when it holds whitespace or a control character. */
  token(variable: SecretVariable, fileKey?: SecretFileKey): string | undefined {
    const found = this.read(variable, fileKey);
    if (found === undefined) return undefined;
    const bad = /[\s\p{Cc}]/u.exec(found.value);
    if (bad) {
      const what = bad[0] === '\n' || bad[0] === '\r' ? 'a line break' : /\s/u.test(bad[0]) ? 'whitespace' : 'a control character';
      throw new ConfigError(found.key, `the secret${found.path ? ` in ${found.path}` : ''} contains ${what} (at character ${bad.index + 1}); it must be the bare value${found.path ? ', optionally followed by one newline' : ''}`);
    }
    return found.value;
  }

  /**
   * A private key, PEM (PKCS#1, PKCS#8 or SEC1) or a JWK as JSON text: refused unless node:crypto parses it as an
   * RSA or EC private key, the kinds the Okta SDK signs its client assertion with (src/jwt.js of the SDK). The
   * key's private JWK members are registered too, so the key is redacted in either spelling.
   */
  privateKey(variable: SecretVariable, fileKey?: SecretFileKey): string | undefined {
    const found = this.read(variable, fileKey);
    if (found === undefined) return undefined;
    const where = found.path ? ` in ${found.path}` : '';
    let key: KeyObject;
    try {
      const jwk = parseJwk(found.value);
      key = jwk === undefined ? createPrivateKey(found.value) : createPrivateKey({ key: jwk, format: 'jwk' });
    } catch {
      // A PEM pasted into a variable often arrives with its line breaks written as the two characters \n.
      const hint = found.value.includes('\\n') && !found.value.includes('\n') ? ' (it holds "\\n" where line breaks belong: use OKTA_PRIVATE_KEY_FILE, or real line breaks)' : '';
      throw new ConfigError(found.key, `the value${where} is not a private key: expected a PEM block (-----BEGIN PRIVATE KEY----- ...) or a private JWK as JSON${hint}`);
    }
    const exported = key.export({ format: 'jwk' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
      const value = exported[member];
      if (typeof value === 'string') this.redactor.register(value);
    }
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
      throw new ConfigError(found.key, `the private key${where} is of type ${key.asymmetricKeyType ?? 'unknown'}; Okta service apps need an RSA or EC key`);
    }
    return found.value;
  }

  /**
   * Registers every secret a database setting holds (dsnSecretsAsWritten: a DSN's user info password, its
   * `password=`/`sslpassword=`/... query values, a keyword/value string's password), each as written and decoded
   * (as a URL parser decodes a query value too: `+` a space); never throws.
   */
  registerDsnSecrets(database: string): void {
    for (const raw of dsnSecretsAsWritten(database)) {
      this.redactor.register(raw);
      for (const spelling of [raw, raw.replace(/\+/g, ' ')]) {
        try {
          this.redactor.register(decodeURIComponent(spelling));
        } catch {
          // A malformed encoding: the raw spelling is registered, which is what any message would quote.
        }
      }
    }
  }

  /** Registers a secret value read elsewhere (PGPASSWORD, which pg reads itself). */
  registerValue(value: string): void {
    this.redactor.register(value);
  }

  private read(variable: SecretVariable, fileKey?: SecretFileKey): { key: string; value: string; path?: string } | undefined {
    const { variable: name, fileVariable: fileName, fileKey: fileKeyName } = secretSetting(variable);
    const direct = this.env[name];
    const file = this.env[fileName]?.trim();
    if (direct && file) throw new ConfigError(name, `set ${name} or ${fileName}, not both`);
    if (direct) return { key: name, value: this.accept(name, direct) };
    if (file) return { key: fileName, path: file, value: this.accept(fileName, readSecretFile(fileName, file), file) };
    if (fileKeyName && fileKey?.path) return { key: fileKeyName, path: fileKey.path, value: this.accept(fileKeyName, readSecretFile(fileKeyName, fileKey.path), fileKey.path) };
    return undefined;
  }

  private accept(key: string, raw: string, path?: string): string {
    this.redactor.register(raw);
    const value = raw.replace(/\r?\n$/, '');
    this.redactor.register(value);
    if (value === '') throw new ConfigError(key, path ? `${path} is empty` : 'is empty');
    return value;
  }
}

/** The JWK in `text` when it is JSON text (the Okta SDK tells the two spellings apart the same way), else undefined. */
function parseJwk(text: string): JsonWebKey | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not a JWK object');
  return parsed as JsonWebKey;
}

function readSecretFile(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(key, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
