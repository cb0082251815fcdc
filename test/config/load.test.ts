import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'dialsync-config-'));
const baseEnv = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: 'okta-token', DIALPAD_API_KEY: 'dp-key' };

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('takes everything from the environment with documented defaults', () => {
    const config = loadConfig({ env: baseEnv });
    expect(config.okta).toMatchObject({ orgUrl: 'https://acme.okta.com', appId: '0oaAPP', auth: { kind: 'token', token: 'okta-token' }, pageSize: 500 });
    expect(config.dialpad).toMatchObject({ baseUrl: 'https://dialpad.com', apiKey: 'dp-key', requestsPerSecond: 15 });
    expect(config.database).toBe('./data/dialsync.sqlite');
    expect(config.rules.policy).toBe('sync');
    expect(config.rules.writeBack.attribute).toBe('dialpadPhone');
  });

  it('lets the environment win over the file, and the file over the defaults', () => {
    const path = file('ok.yaml', 'okta:\n  orgUrl: https://file.okta.com\n  appId: 0oaFILE\ndialpad:\n  requestsPerSecond: 10\npolicy: upsert-only\noffices:\n  byCountry: {US: New York}\nlicenses:\n  aliases: {" Voice ": talk}\n');
    const config = loadConfig({ file: path, env: { ...baseEnv, OKTA_ORG_URL: 'https://env.okta.com/' } });
    expect(config.okta.orgUrl).toBe('https://env.okta.com');
    expect(config.okta.appId).toBe('0oaAPP');
    expect(config.dialpad.requestsPerSecond).toBe(10);
    expect(config.rules.policy).toBe('upsert-only');
    expect(config.rules.countryOffices).toEqual({ us: 'New York' });
    expect(config.rules.licenseAliases.voice).toBe('talk');
  });

  it('reads secrets from files', () => {
    const keyFile = file('dialpad.key', 'from-file\n');
    const config = loadConfig({ env: { ...baseEnv, DIALPAD_API_KEY: '', DIALPAD_API_KEY_FILE: keyFile } });
    expect(config.dialpad.apiKey).toBe('from-file');
  });

  it('builds service-app credentials from a client id and a private key file', () => {
    const pem = file('okta.pem', '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    const config = loadConfig({ env: { ...baseEnv, OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaSVC', OKTA_PRIVATE_KEY_FILE: pem } });
    expect(config.okta.auth).toMatchObject({ kind: 'privateKey', clientId: '0oaSVC' });
  });

  it.each([
    ['missing org URL', {}, { OKTA_ORG_URL: '' }, 'OKTA_ORG_URL'],
    ['org URL that is not a URL', {}, { OKTA_ORG_URL: 'acme' }, 'OKTA_ORG_URL'],
    ['missing app id', {}, { OKTA_APP_ID: '' }, 'OKTA_APP_ID'],
    ['no Okta credentials', {}, { OKTA_API_TOKEN: '' }, 'OKTA_API_TOKEN'],
    ['client id without a key', {}, { OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oa' }, 'OKTA_PRIVATE_KEY'],
    ['token and client id', {}, { OKTA_CLIENT_ID: '0oa' }, 'OKTA_CLIENT_ID'],
    ['missing Dialpad key', {}, { DIALPAD_API_KEY: '' }, 'DIALPAD_API_KEY'],
    ['unreadable key file', {}, { DIALPAD_API_KEY: '', DIALPAD_API_KEY_FILE: '/nonexistent/key' }, 'DIALPAD_API_KEY_FILE'],
    ['bad Dialpad URL', {}, { DIALPAD_BASE_URL: 'ftp://dialpad.com' }, 'DIALPAD_BASE_URL'],
    ['bad log level', {}, { DIALSYNC_LOG_LEVEL: 'loud' }, 'DIALSYNC_LOG_LEVEL'],
  ])('%s names %s', (_name, _file, envPatch, key) => {
    expect(errorOf(() => loadConfig({ env: { ...baseEnv, ...envPatch } })).key).toBe(key);
  });

  it.each([
    ['an unknown key', 'okta:\n  orgURL: https://x.okta.com\n', 'okta.orgURL'],
    ['an unknown top-level key', 'polcy: sync\n', 'polcy'],
    ['a bad policy', 'policy: everything\n', 'policy'],
    ['a negative concurrency', 'concurrency: -1\n', 'concurrency'],
    ['a rate above Dialpad\'s limit', 'dialpad:\n  requestsPerSecond: 50\n', 'dialpad.requestsPerSecond'],
    ['an unknown license', 'licenses:\n  default: platinum\n', 'licenses.default'],
    ['a bad country code', 'offices:\n  byCountry: {USA: NYC}\n', 'offices.byCountry.USA'],
    ['YAML that does not parse', 'okta: [\n', '--config'],
  ])('a file with %s names %s', (_name, text, key) => {
    const path = file(`bad-${key}.yaml`, text);
    expect(errorOf(() => loadConfig({ file: path, env: baseEnv })).key).toBe(key);
  });

  it('names an unreadable config file', () => {
    expect(errorOf(() => loadConfig({ file: join(dir, 'missing.yaml'), env: baseEnv })).key).toBe('--config');
  });

  it('never puts a secret in a message', () => {
    const error = errorOf(() => loadConfig({ env: { ...baseEnv, OKTA_CLIENT_ID: '0oa' } }));
    expect(error.message).not.toContain('okta-token');
  });
});
