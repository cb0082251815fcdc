// The effective configuration with its sources: each setting's value and whether the schema's default, the config
// file or the environment set it; secrets only as set or not set, and never their values anywhere in the rows.
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_SETTINGS, SECRET_SETTINGS } from '../../src/config/environment-settings.js';
import { loadConfig, readRawConfigFile } from '../../src/config/load.js';
import { configFileSchema } from '../../src/config/schema.js';
import { REDACTED } from '../../src/log/redactor.js';
import { effectiveSettings, type SettingRow } from '../../src/config/settings-sources.js';
import { fixtureFile } from './config-fixture.js';

const TOKEN = '00okta-token-0123456789abcdefghij';
const KEY = 'dialpad-key-0123456789abcdefghij';
const HOOK = 'hook-secret-0123456789abcdefghij';
const DB_PASSWORD = 's3cret-db-password';

const keyFile = fixtureFile(`${KEY}\n`, 'dialpad-key.txt');
const file = fixtureFile(
  [
    'okta:',
    '  appId: 0oaFROMFILE',
    '  pageSize: 200',
    'dialpad:',
    `  apiKeyFile: ${keyFile}`,
    'licenses:',
    '  aliases:',
    '    Voice Pro: talk',
    'daemon:',
    '  port: 9090',
    '  hooks:',
    '    enabled: true',
    '    headerName: X-Hook-Secret',
    'licenseCaps:',
    '  talk: 200',
    'logLevel: debug',
    'scope:',
    '  exclude: [{name: contractors, clauses: [{attribute: userType, operator: equals, value: Contractor}]}]',
    '',
  ].join('\n'),
);
const env: NodeJS.ProcessEnv = {
  OKTA_ORG_URL: 'https://acme.okta.com/',
  OKTA_APP_ID: '0oaFROMENV',
  OKTA_API_TOKEN: TOKEN,
  DIALSYNC_HOOK_SECRET: HOOK,
  DIALSYNC_DATABASE: `postgres://dialsync:${DB_PASSWORD}@db.internal:5432/dialsync`,
  DIALSYNC_LOG_LEVEL: ' ',
};

function settingsOf(configFile: string | undefined, environment: NodeJS.ProcessEnv): SettingRow[] {
  const config = loadConfig({ file: configFile, env: environment });
  return effectiveSettings({ file: configFile ? readRawConfigFile(configFile) : {}, env: environment, config });
}

const rows = settingsOf(file, env);
const row = (key: string): SettingRow | undefined => rows.find((r) => r.key === key);

describe('effectiveSettings', () => {
  it.each<[string, SettingRow['value'], SettingRow['source']]>([
    // The environment wins over the file; the value is the one the service uses (no trailing slash).
    ['okta.orgUrl', 'https://acme.okta.com', 'environment'],
    ['okta.appId', '0oaFROMENV', 'environment'],
    ['okta.pageSize', 200, 'file'],
    ['okta.maxRetries', 3, 'default'],
    ['okta.keyId', null, 'default'],
    ['okta.scopes', ['okta.apps.read', 'okta.apps.manage', 'okta.users.read', 'okta.users.manage', 'okta.logs.read'], 'default'],
    ['dialpad.baseUrl', 'https://dialpad.com', 'default'],
    // A secret file's path is not secret; its content is.
    ['dialpad.apiKeyFile', keyFile, 'file'],
    ['database', 'postgres://dialsync:***@db.internal:5432/dialsync', 'environment'],
    // A blank variable does not win over the file.
    ['logLevel', 'debug', 'file'],
    ['licenses.aliases', '{"Voice Pro":"talk"}', 'file'],
    ['licenses.withoutNumber', ['lite_support_agents'], 'default'],
    ['licenseCaps', '{"talk":200}', 'file'],
    ['offices.byCountry', '{}', 'default'],
    ['safety.massSuspend.count', 10, 'default'],
    ['daemon.port', 9090, 'file'],
    ['daemon.hooks.enabled', true, 'file'],
    ['daemon.hooks.headerName', 'x-hook-secret', 'file'],
    ['lock.ttlSeconds', 15, 'default'],
    // Scoping filters are objects in a list: one JSON value, not "[object Object]".
    ['scope.exclude', '[{"name":"contractors","clauses":[{"attribute":"userType","operator":"equals","value":"Contractor","ignoreCase":false}]}]', 'file'],
    ['scope.include', [], 'default'],
  ])('%s is %j from the %s', (key, value, source) => {
    expect(row(key)).toMatchObject({ key, value, source, secret: false });
  });

  it.each<[string, 'set' | 'not set', SettingRow['source']]>([
    ['okta.apiToken', 'set', 'environment'],
    ['okta.privateKey', 'not set', 'default'],
    ['dialpad.apiKey', 'set', 'file'],
    ['postgres.password', 'not set', 'default'],
    ['daemon.hooks.secret', 'set', 'environment'],
  ])('the secret %s is %s (%s)', (key, value, source) => {
    expect(row(key)).toMatchObject({ key, value, source, secret: true });
  });

  it('okta.scopes shows the scopes asked for: okta.groups.read added when scope.groups is set, as the loader asks', () => {
    const withGroups = fixtureFile('scope:\n  groups: [Dialpad pilot]\n', 'scope-groups.yaml');
    const shown = settingsOf(withGroups, { ...env, DIALPAD_API_KEY: KEY }).find((r) => r.key === 'okta.scopes');
    expect(shown?.value).toEqual(['okta.apps.read', 'okta.apps.manage', 'okta.users.read', 'okta.users.manage', 'okta.logs.read', 'okta.groups.read']);
    const listed = fixtureFile('okta:\n  scopes: [okta.apps.read, okta.groups.read]\nscope:\n  groups: [00g1]\n', 'scope-groups-listed.yaml');
    expect(settingsOf(listed, { ...env, DIALPAD_API_KEY: KEY }).find((r) => r.key === 'okta.scopes')?.value).toEqual(['okta.apps.read', 'okta.groups.read']);
  });

  it('shows no secret: neither the credentials, the key file content nor the DSN password appear in any row', () => {
    const text = JSON.stringify(rows);
    for (const secret of [TOKEN, KEY, HOOK, DB_PASSWORD]) expect(text).not.toContain(secret);
  });

  it.each([
    ['postgres://dialsync@db.internal/dialsync?sslpassword=ssl-key-pass-42', 'postgres://dialsync@db.internal/dialsync?sslpassword=***', 'ssl-key-pass-42'],
    ['host=db user=app password=kw-pass-42', 'host=db user=app password=***', 'kw-pass-42'],
  ])('the database row masks every secret the value holds (%s), even one the loader would refuse', (database, shown, secret) => {
    const config = { ...loadConfig({ env: { ...env, DIALPAD_API_KEY: KEY } }), database };
    const settings = effectiveSettings({ file: {}, env: { ...env, DIALSYNC_DATABASE: database }, config });
    expect(settings.find((r) => r.key === 'database')).toMatchObject({ value: shown, source: 'environment' });
    expect(JSON.stringify(settings)).not.toContain(secret);
  });

  it('a value that holds a secret the loader read (a hook path with the hook secret in it) shows it redacted', () => {
    const inPath = settingsOf(fixtureFile(`daemon:\n  hooks:\n    path: /hooks/${HOOK}\n`), { ...env, DIALPAD_API_KEY: KEY });
    expect(inPath.find((r) => r.key === 'daemon.hooks.path')).toMatchObject({ value: `/hooks/${REDACTED}`, source: 'file' });
    expect(JSON.stringify(inPath)).not.toContain(HOOK);
  });

  it('a secret read from its _FILE variable is set, from the environment', () => {
    const passwordFile = fixtureFile(`${DB_PASSWORD}\n`, 'db-password.txt');
    const withFile = settingsOf(undefined, {
      ...env,
      DIALSYNC_DATABASE: 'postgres://dialsync@db.internal:5432/dialsync',
      DIALSYNC_DATABASE_PASSWORD_FILE: passwordFile,
      DIALPAD_API_KEY: KEY,
    });
    expect(withFile.find((r) => r.key === 'postgres.password')).toMatchObject({ value: 'set', source: 'environment', secret: true });
    expect(withFile.find((r) => r.key === 'dialpad.apiKey')).toMatchObject({ value: 'set', source: 'environment' });
    expect(JSON.stringify(withFile)).not.toContain(DB_PASSWORD);
  });

  it('lists every setting of the schema once, each secret beside the key naming its file, each with a description', () => {
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining([...defaultKeys(configFileSchema.parse({}), []), ...ENVIRONMENT_SETTINGS.map((s) => s.key), ...SECRET_SETTINGS.map((s) => s.key)]));
    expect(keys.indexOf('dialpad.apiKey')).toBe(keys.indexOf('dialpad.apiKeyFile') + 1);
    expect(keys.indexOf('daemon.hooks.secret')).toBe(keys.indexOf('daemon.hooks.queuePollSeconds') + 1);
    expect(rows.filter((r) => r.description.trim() === '').map((r) => r.key)).toEqual([]);
  });

  it('without a config file: every non-secret setting not in the environment is the default', () => {
    const bare = settingsOf(undefined, { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: TOKEN, DIALPAD_API_KEY: KEY });
    const fromEnv = bare.filter((r) => r.source !== 'default').map((r) => r.key);
    expect(fromEnv.sort()).toEqual(['dialpad.apiKey', 'okta.apiToken', 'okta.appId', 'okta.orgUrl']);
    expect(bare.find((r) => r.key === 'database')).toMatchObject({ value: './data/dialsync.sqlite', source: 'default' });
  });
});

/** The dotted keys of the defaults: nested objects walked, a list or a map (license aliases, caps, countries) one key. */
function defaultKeys(value: unknown, path: string[]): string[] {
  const isMap = ['licenses.aliases', 'offices.byCountry', 'licenseCaps'].includes(path.join('.'));
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isMap) return [path.join('.')];
  return Object.entries(value).flatMap(([name, child]) => defaultKeys(child, [...path, name]));
}
