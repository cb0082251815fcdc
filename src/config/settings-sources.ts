// The effective configuration as rows a person reads: every setting of the schema with its value and where that
// value came from (the schema's default, the config file, or the environment), and every secret as set or not
// set, never its value. `dialsync config` prints it; the console's settings page shows it.
import { z } from 'zod';
import type { Redactor } from '../log/redactor.js';
import { ENVIRONMENT_SETTINGS, SECRET_SETTINGS, environmentValue, type SecretSetting } from './environment-settings.js';
import type { Config, StoreConfig } from './load.js';
import { oktaScopesAskedFor } from './okta-scopes.js';
import { isPostgresDsn, looksLikeMistypedDsn, maskDsnPassword } from './postgres-dsn.js';
import { configDefaults, configFileSchema } from './schema.js';

/** Where a setting's value came from: the environment wins over the file, the file over the schema's default. */
export type SettingSource = 'default' | 'file' | 'environment';

/** One setting of the effective configuration. */
export interface SettingRow {
  /** The dotted config-file key, e.g. daemon.port; a secret's key names it (okta.apiToken) but is not a file key. */
  key: string;
  /**
   * The value in effect: a list as its items, a map (licenses.aliases, licenseCaps) as compact JSON text, an unset
   * optional setting as null, a PostgreSQL DSN with its password masked; a secret's value is 'set' or 'not set'.
   */
  value: string | number | boolean | null | string[];
  source: SettingSource;
  /** True for a secret: `value` then says only whether it is set. */
  secret: boolean;
  /** The setting's one-sentence meaning, from the schema (config/schema.ts) or SECRET_SETTINGS. */
  description: string;
}

/** What effectiveSettings reads. */
export interface EffectiveSettingsArgs {
  /** The config file as written (load.ts readRawConfigFile), or {} without one: tells a value the file set from a default. */
  file: unknown;
  /** The environment the config was loaded from (OKTA_*, DIALPAD_*, DIALSYNC_*). */
  env: NodeJS.ProcessEnv;
  /**
   * The loaded configuration: a value the service normalized (an org URL without its trailing slash, a header name
   * lower-cased) is shown as it uses it. The store-only config of the commands that need no credentials will do.
   */
  config: Config | StoreConfig;
}

/**
 * Every setting of the effective configuration, in the schema's order (config/schema.ts), each secret of
 * SECRET_SETTINGS beside the key naming its file: value, source and description. Secrets show 'set' or 'not set'
 * and nothing of their value; a DSN's password is masked, and any value holding a secret `config.redactor` knows
 * is redacted. Pure; throws nothing (a file the schema refuses counts as setting the keys it holds, with the
 * defaults' values: loading the config would have refused it first).
 */
export function effectiveSettings({ file, env, config }: EffectiveSettingsArgs): SettingRow[] {
  const parsed = configFileSchema.safeParse(file ?? {});
  const fromFile: unknown = parsed.success ? parsed.data : configDefaults();
  const rows = schemaLeaves(configFileSchema, []).map(({ path, description }): SettingRow => {
    const key = path.join('.');
    const variable = ENVIRONMENT_SETTINGS.find((setting) => setting.key === key)?.variable;
    const fromEnv = variable === undefined ? undefined : environmentValue(env, variable);
    const source: SettingSource = fromEnv !== undefined ? 'environment' : valueAt(file, path) !== undefined ? 'file' : 'default';
    const value = shownValue(key, key === 'okta.scopes' ? scopesAskedFor(fromFile) : (inConfig(config, path) ?? fromEnv ?? valueAt(fromFile, path)));
    // A second guard: a value holding a secret the loader read (none should) shows it redacted.
    return { key, value: redacted(value, config.redactor), source, secret: false, description };
  });
  for (const secret of SECRET_SETTINGS) rows.splice(secretPosition(rows, secret), 0, secretRow(secret, file, env));
  return rows;
}

/** A secret's row: set when its variable, its _FILE variable or its config-file key (a file's path) is set. */
function secretRow(secret: SecretSetting, file: unknown, env: NodeJS.ProcessEnv): SettingRow {
  // As the loader reads it: the variable as it is, the _FILE variable trimmed (config/load.ts SecretReader).
  const fromEnv = Boolean(env[secret.variable]) || Boolean(env[secret.fileVariable]?.trim());
  const fromFile = secret.fileKey !== null && valueAt(file, secret.fileKey.split('.')) !== undefined;
  const source: SettingSource = fromEnv ? 'environment' : fromFile ? 'file' : 'default';
  const how = `${secret.variable} or ${secret.fileVariable}${secret.fileKey ? ` or ${secret.fileKey}` : ''}`;
  return { key: secret.key, value: source === 'default' ? 'not set' : 'set', source, secret: true, description: `${secret.description} (${how})` };
}

/** Where a secret's row goes: after the key naming its file, else after the last row of its section, else last. */
function secretPosition(rows: readonly SettingRow[], secret: SecretSetting): number {
  const fileRow = rows.findIndex((row) => row.key === secret.fileKey);
  if (fileRow >= 0) return fileRow + 1;
  const section = secret.key.slice(0, secret.key.lastIndexOf('.') + 1);
  const last = rows.findLastIndex((row) => row.key.startsWith(section));
  return last >= 0 ? last + 1 : rows.length;
}

/** A setting of the schema: its path and its description (the innermost wrapper's when the outer has none). */
interface SchemaLeaf {
  path: string[];
  description: string;
}

/** The settings under `schema`: each key of a nested object is walked into; a list or a map is one setting. */
function schemaLeaves(schema: z.ZodType, path: string[]): SchemaLeaf[] {
  let inner = schema;
  let description = schema.description;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
    inner = inner.def.innerType as z.ZodType;
    description ??= inner.description;
  }
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([name, child]) => schemaLeaves(child, [...path, name]));
  }
  return [{ path, description: description ?? '' }];
}

/** okta.scopes as the service app asks for them: okta.groups.read added when scope.groups is set (okta-scopes.ts). */
function scopesAskedFor(fromFile: unknown): string[] {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  return oktaScopesAskedFor(list(valueAt(fromFile, ['okta', 'scopes'])), list(valueAt(fromFile, ['scope', 'groups'])));
}

/** The value at `path` in a plain object; undefined when any step is missing. */
function valueAt(value: unknown, path: readonly string[]): unknown {
  let here = value;
  for (const step of path) {
    if (typeof here !== 'object' || here === null || Array.isArray(here) || !Object.hasOwn(here, step)) return undefined;
    here = (here as Record<string, unknown>)[step];
  }
  return here;
}

/**
 * The loaded config's value at the same path, when it holds a plain value there (the service's normalized one);
 * undefined where the config is shaped otherwise (the rules, a secret's object, a map).
 */
function inConfig(config: Config | StoreConfig, path: readonly string[]): unknown {
  const value = valueAt(config, path);
  const plain = (item: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof item);
  return plain(value) || (Array.isArray(value) && value.every(plain)) ? value : undefined;
}

function redacted(value: SettingRow['value'], redactor: Redactor): SettingRow['value'] {
  if (typeof value === 'string') return redactor.redact(value);
  return Array.isArray(value) ? value.map((item) => redactor.redact(item)) : value;
}

/** A value as a row holds it: lists of plain values as strings, maps and lists of objects as compact JSON, a DSN masked. */
function shownValue(key: string, value: unknown): SettingRow['value'] {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return key === 'database' && (isPostgresDsn(value) || looksLikeMistypedDsn(value)) ? maskDsnPassword(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  // A list of objects (scoping filters) reads best as one JSON value; a list of plain values item by item.
  if (Array.isArray(value)) return value.every((item) => typeof item !== 'object' || item === null) ? value.map(String) : JSON.stringify(value);
  return JSON.stringify(value);
}
