// Builds the effective configuration: defaults, then the YAML file, then the environment (which wins).
// Nothing is contacted here; every problem is a ConfigError naming the key or variable to fix.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { defaultRules } from '../plan/default-rules.js';
import type { Rules } from '../plan/types.js';
import type { OktaSettings } from '../okta/client.js';
import { configFileSchema, LOG_LEVELS, type ConfigFile } from './schema.js';

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

export interface DialpadSettings {
  baseUrl: string;
  apiKey: string;
  requestsPerSecond: number;
  maxRetries: number;
  timeoutMs: number;
}

export interface Config {
  okta: OktaSettings & { pageSize: number; concurrency: number };
  dialpad: DialpadSettings;
  database: string;
  logLevel: (typeof LOG_LEVELS)[number];
  concurrency: number;
  rules: Rules;
}

export const DEFAULT_OKTA_SCOPES = ['okta.apps.read', 'okta.apps.manage', 'okta.users.read', 'okta.users.manage'];

export interface LoadConfigOptions {
  file?: string | undefined;
  env: NodeJS.ProcessEnv;
}

export function loadConfig({ file, env }: LoadConfigOptions): Config {
  const fromFile = file ? readConfigFile(file) : {};
  const okta = fromFile.okta ?? {};
  const dialpad = fromFile.dialpad ?? {};

  const orgUrl = envUrl(env, 'OKTA_ORG_URL') ?? okta.orgUrl;
  if (!orgUrl) throw new ConfigError('OKTA_ORG_URL', 'the Okta org URL is required (or okta.orgUrl in the config file)');
  const appId = envValue(env, 'OKTA_APP_ID') ?? okta.appId;
  if (!appId) throw new ConfigError('OKTA_APP_ID', 'the id of the Dialpad app in Okta is required (or okta.appId in the config file)');

  const dialpadApiKey =
    secretFromEnvOrFile(env, 'DIALPAD_API_KEY', 'DIALPAD_API_KEY_FILE') ??
    (dialpad.apiKeyFile ? readSecretFile('dialpad.apiKeyFile', dialpad.apiKeyFile) : undefined);
  if (!dialpadApiKey) throw new ConfigError('DIALPAD_API_KEY', 'a Dialpad API key is required (or DIALPAD_API_KEY_FILE, or dialpad.apiKeyFile)');

  const logLevel = envValue(env, 'DIALSYNC_LOG_LEVEL') ?? fromFile.logLevel ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('DIALSYNC_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  return {
    okta: {
      orgUrl: orgUrl.replace(/\/+$/, ''),
      appId,
      auth: oktaAuth(env, okta),
      maxRetries: okta.maxRetries ?? 3,
      requestTimeoutMs: okta.requestTimeoutMs ?? 30_000,
      pageSize: okta.pageSize ?? 500,
      concurrency: okta.concurrency ?? 4,
    },
    dialpad: {
      baseUrl: (envUrl(env, 'DIALPAD_BASE_URL') ?? dialpad.baseUrl ?? 'https://dialpad.com').replace(/\/+$/, ''),
      apiKey: dialpadApiKey,
      requestsPerSecond: dialpad.requestsPerSecond ?? 15,
      maxRetries: dialpad.maxRetries ?? 4,
      timeoutMs: dialpad.timeoutMs ?? 30_000,
    },
    database: envValue(env, 'DIALSYNC_DATABASE') ?? fromFile.database ?? './data/dialsync.sqlite',
    logLevel: logLevel as Config['logLevel'],
    concurrency: fromFile.concurrency ?? 8,
    rules: rulesFrom(fromFile),
  };
}

function readConfigFile(file: string): ConfigFile {
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
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) throw configErrorFromZod(parsed.error);
  return parsed.data;
}

function configErrorFromZod(error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  if (!issue) return new ConfigError('config', 'invalid configuration');
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = [...path, issue.keys[0] ?? ''].filter(Boolean).join('.');
    return new ConfigError(key, 'unknown key (check its spelling and nesting)');
  }
  return new ConfigError(path.join('.') || 'config', issue.message);
}

function oktaAuth(env: NodeJS.ProcessEnv, okta: NonNullable<ConfigFile['okta']>): OktaSettings['auth'] {
  const token =
    secretFromEnvOrFile(env, 'OKTA_API_TOKEN', 'OKTA_API_TOKEN_FILE') ??
    (okta.apiTokenFile ? readSecretFile('okta.apiTokenFile', okta.apiTokenFile) : undefined);
  const clientId = envValue(env, 'OKTA_CLIENT_ID') ?? okta.clientId;
  if (token && clientId) {
    throw new ConfigError('OKTA_CLIENT_ID', 'set either an API token (OKTA_API_TOKEN) or a service app (OKTA_CLIENT_ID + private key), not both');
  }
  if (token) return { kind: 'token', token };
  if (!clientId) {
    throw new ConfigError('OKTA_API_TOKEN', 'Okta credentials are required: OKTA_API_TOKEN, or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE');
  }
  const privateKey =
    secretFromEnvOrFile(env, 'OKTA_PRIVATE_KEY', 'OKTA_PRIVATE_KEY_FILE') ??
    (okta.privateKeyFile ? readSecretFile('okta.privateKeyFile', okta.privateKeyFile) : undefined);
  if (!privateKey) throw new ConfigError('OKTA_PRIVATE_KEY', 'OKTA_CLIENT_ID is set, so a private key is required (OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE)');
  return {
    kind: 'privateKey',
    clientId,
    privateKey,
    ...(okta.keyId ? { keyId: okta.keyId } : {}),
    scopes: okta.scopes ?? DEFAULT_OKTA_SCOPES,
  };
}

function rulesFrom(file: ConfigFile): Rules {
  const base = defaultRules();
  const aliases = { ...base.licenseAliases };
  for (const [value, license] of Object.entries(file.licenses?.aliases ?? {})) aliases[value.trim().toLowerCase()] = license;
  const countryOffices: Record<string, string> = {};
  for (const [country, office] of Object.entries(file.offices?.byCountry ?? {})) countryOffices[country.toLowerCase()] = office;
  return {
    ...base,
    mapping: { ...base.mapping, ...file.mapping },
    inScopeStatuses: file.scope?.statuses ?? base.inScopeStatuses,
    licenseAliases: aliases,
    defaultLicense: file.licenses?.default ?? base.defaultLicense,
    licenseDrift: file.licenses?.drift ?? base.licenseDrift,
    noNumberLicenses: file.licenses?.withoutNumber ?? base.noNumberLicenses,
    countryOffices,
    defaultOffice: file.offices?.default ?? base.defaultOffice,
    onDeactivated: file.lifecycle?.onDeactivated ?? base.onDeactivated,
    onOktaSuspended: file.lifecycle?.onOktaSuspended ?? base.onOktaSuspended,
    writeBack: { ...base.writeBack, ...file.writeBack },
    policy: file.policy ?? base.policy,
  };
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function envUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = envValue(env, name);
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

/** A secret from NAME, else from the file named by FILE_NAME. Setting both is ambiguous. */
function secretFromEnvOrFile(env: NodeJS.ProcessEnv, name: string, fileName: string): string | undefined {
  const direct = envValue(env, name);
  const file = envValue(env, fileName);
  if (direct && file) throw new ConfigError(name, `set ${name} or ${fileName}, not both`);
  if (direct) return direct;
  return file ? readSecretFile(fileName, file) : undefined;
}

function readSecretFile(key: string, path: string): string {
  let value: string;
  try {
    value = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(key, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!value) throw new ConfigError(key, `${path} is empty`);
  return value;
}
