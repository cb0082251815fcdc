import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadStoreConfig } from '../../src/config/load.js';
import { Redactor } from '../../src/log/redactor.js';
import { configErrorOf, fixtureDir, fixtureFile, requiredEnv } from './config-fixture.js';

describe('loadConfig', () => {
  it('takes everything from the environment with documented defaults', () => {
    const config = loadConfig({ env: requiredEnv });
    expect(config.okta).toMatchObject({ orgUrl: 'https://acme.okta.com', appId: '0oaAPP', auth: { kind: 'token', token: 'okta-token' }, pageSize: 500 });
    expect(config.dialpad).toMatchObject({ baseUrl: 'https://dialpad.com', apiKey: 'dp-key', requestsPerSecond: 15 });
    expect(config.okta.rateLimitShare).toBe(0.5);
    expect(config.database).toBe('./data/dialsync.sqlite');
    expect(config.rules.policy).toBe('sync');
    expect(config.rules.writeBack.attribute).toBe('dialpadPhone');
  });

  it('warns, without refusing, about a secret too short to be real', () => {
    const config = loadConfig({ env: { ...requiredEnv, OKTA_API_TOKEN: 'y', DIALPAD_API_KEY: 'x', DIALSYNC_HOOK_SECRET: 'a-hook-secret-of-32-characters!!' } });
    expect(config.dialpad.apiKey).toBe('x');
    expect(config.warnings).toEqual([
      'DIALPAD_API_KEY is only 1 character long: unlikely to be a real credential (check it was copied whole)',
      'OKTA_API_TOKEN is only 1 character long: unlikely to be a real credential (check it was copied whole)',
    ]);
    const real = { ...requiredEnv, OKTA_API_TOKEN: '00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd', DIALPAD_API_KEY: 'dp-key-0123456789abcdef' };
    expect(loadConfig({ env: real }).warnings).toEqual([]);
  });

  it.each([
    [20, false],
    [20.5, true],
    [95, true],
  ])("accepts dialpad.requestsPerSecond: %s, warning above Dialpad's documented 20/s: %s", (rps, warned) => {
    const real = { ...requiredEnv, OKTA_API_TOKEN: '00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd', DIALPAD_API_KEY: 'dp-key-0123456789abcdef' };
    const config = loadConfig({ file: fixtureFile(`dialpad:\n  requestsPerSecond: ${rps}\n`, `rps-${rps}.yaml`), env: real });
    expect(config.dialpad.requestsPerSecond).toBe(rps);
    const expected = `dialpad.requestsPerSecond is ${rps}, above Dialpad's documented limit of 20 requests per second per company, shared with every other integration (https://developers.dialpad.com/docs/rate-limits)`;
    expect(config.warnings.filter((w) => w.startsWith(expected))).toHaveLength(warned ? 1 : 0);
    expect(config.warnings).toHaveLength(warned ? 1 : 0);
  });

  it.each([
    [1, null],
    [0.5, 'dialpad.requestsPerSecond is 0.5: one Dialpad request every 2 s, so reading 10,000 Dialpad users (100 pages) alone takes about 3 minutes; runs will seem to hang'],
    [0.001, 'dialpad.requestsPerSecond is 0.001: one Dialpad request every 1000 s, so reading 10,000 Dialpad users (100 pages) alone takes about 28 hours; runs will seem to hang'],
  ])('accepts dialpad.requestsPerSecond: %s, warning below 1/s how slow a run becomes: %s', (rps, warning) => {
    const real = { ...requiredEnv, OKTA_API_TOKEN: '00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd', DIALPAD_API_KEY: 'dp-key-0123456789abcdef' };
    const config = loadConfig({ file: fixtureFile(`dialpad:\n  requestsPerSecond: ${rps}\n`, `rps-slow-${rps}.yaml`), env: real });
    expect(config.dialpad.requestsPerSecond).toBe(rps);
    expect(config.warnings).toEqual(warning === null ? [] : [warning]);
  });

  it('lets the environment win over the file, and the file over the defaults', () => {
    const path = fixtureFile('okta:\n  orgUrl: https://file.okta.com\n  appId: 0oaFILE\ndialpad:\n  requestsPerSecond: 10\npolicy: upsert-only\noffices:\n  byCountry: {US: New York}\nlicenses:\n  aliases: {" Voice ": talk}\n', 'ok.yaml');
    const config = loadConfig({ file: path, env: { ...requiredEnv, OKTA_ORG_URL: 'https://env.okta.com/' } });
    expect(config.okta.orgUrl).toBe('https://env.okta.com');
    expect(config.okta.appId).toBe('0oaAPP');
    expect(config.dialpad.requestsPerSecond).toBe(10);
    expect(config.rules.policy).toBe('upsert-only');
    expect(config.rules.countryOffices).toEqual({ us: 'New York' });
    expect(config.rules.licenseAliases.voice).toBe('talk');
  });

  it('reads secrets from files', () => {
    const keyFile = fixtureFile('from-file\n', 'dialpad.key');
    const config = loadConfig({ env: { ...requiredEnv, DIALPAD_API_KEY: '', DIALPAD_API_KEY_FILE: keyFile } });
    expect(config.dialpad.apiKey).toBe('from-file');
  });

  it('builds service-app credentials from a client id and a private key file', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = fixtureFile(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'okta.pem');
    const config = loadConfig({ env: { ...requiredEnv, OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaSVC', OKTA_PRIVATE_KEY_FILE: pem } });
    expect(config.okta.auth).toMatchObject({ kind: 'privateKey', clientId: '0oaSVC' });
    expect(config.okta.auth).toMatchObject({ scopes: expect.not.arrayContaining(['okta.groups.read']) as unknown });
  });

  it('asks the service app for okta.groups.read too when scope.groups is set', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = fixtureFile(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'okta-groups.pem');
    const file = fixtureFile('scope:\n  groups: [Dialpad pilot]\n');
    const config = loadConfig({ file, env: { ...requiredEnv, OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaSVC', OKTA_PRIVATE_KEY_FILE: pem } });
    expect(config.okta.auth).toMatchObject({ scopes: ['okta.apps.read', 'okta.apps.manage', 'okta.users.read', 'okta.users.manage', 'okta.logs.read', 'okta.groups.read'] });
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
    expect(configErrorOf(() => loadConfig({ env: { ...requiredEnv, ...envPatch } })).key).toBe(key);
  });

  it.each([
    ['an unknown key', 'okta:\n  orgURL: https://x.okta.com\n', 'okta.orgURL'],
    ['an unknown top-level key', 'polcy: sync\n', 'polcy'],
    ['a bad policy', 'policy: everything\n', 'policy'],
    ['a negative concurrency', 'concurrency: -1\n', 'concurrency'],
    ['a Dialpad rate of 0', 'dialpad:\n  requestsPerSecond: 0\n', 'dialpad.requestsPerSecond'],
    ['an Okta rate-limit share of 0', 'okta:\n  rateLimitShare: 0\n', 'okta.rateLimitShare'],
    ['an Okta rate-limit share above 1', 'okta:\n  rateLimitShare: 1.5\n', 'okta.rateLimitShare'],
    ['an unknown license', 'licenses:\n  default: platinum\n', 'licenses.default'],
    ['a bad country code', 'offices:\n  byCountry: {USA: NYC}\n', 'offices.byCountry.USA'],
    ['YAML that does not parse', 'okta: [\n', '--config'],
    ['a scope clause without its value', 'scope:\n  exclude:\n    - clauses:\n        - {attribute: userType, operator: isEmpty}\n        - {attribute: userType, operator: equals}\n', 'scope.exclude[0].clauses[1].value'],
    ['a scope oneOf with no values', 'scope:\n  include:\n    - clauses: [{attribute: userType, operator: oneOf, values: []}]\n', 'scope.include[0].clauses[0].values'],
    ['a scope regular expression that does not compile', 'scope:\n  exclude:\n    - clauses: [{attribute: login, operator: matches, value: "(svc"}]\n', 'scope.exclude[0].clauses[0].value'],
    ['a scope filter without clauses', 'scope:\n  exclude:\n    - {name: nobody, clauses: []}\n', 'scope.exclude[0].clauses'],
    ['isEmpty with a value', 'scope:\n  exclude:\n    - clauses: [{attribute: department, operator: isEmpty, value: x}]\n', 'scope.exclude[0].clauses[0].value'],
    ['isNotEmpty with values', 'scope:\n  include:\n    - clauses: [{attribute: department, operator: isNotEmpty, values: [x]}]\n', 'scope.include[0].clauses[0].values'],
    ['oneOf with value instead of values', 'scope:\n  include:\n    - clauses: [{attribute: city, operator: oneOf, value: Berlin}]\n', 'scope.include[0].clauses[0].value'],
    ['equals with values instead of value', 'scope:\n  exclude:\n    - clauses: [{attribute: userType, operator: equals, values: [Contractor]}]\n', 'scope.exclude[0].clauses[0].values'],
    ['a misspelt clauses key', 'scope:\n  exclude:\n    - name: contractors\n      clause: [{attribute: userType, operator: equals, value: Contractor}]\n', 'scope.exclude[0].clause'],
    ['drift.license disagreeing with the deprecated licenses.drift', 'licenses:\n  drift: apply\ndrift:\n  license: report\n', 'drift.license'],
  ])('a file with %s names %s', (_name, text, key) => {
    const path = fixtureFile(text, `bad-${key.replace(/[[\]]/g, '_')}.yaml`);
    expect(configErrorOf(() => loadConfig({ file: path, env: requiredEnv })).key).toBe(key);
  });

  it.each([
    ['isEmpty with a value', 'isEmpty', 'value: x', 'operator isEmpty takes no value'],
    ['oneOf with value', 'oneOf', 'value: Berlin', 'operator oneOf takes values (a list), not value'],
    ['clause misspelt', null, null, 'unknown key'],
  ])('the message for %s says what is wrong', (_name, operator, extra, message) => {
    const text =
      operator === null
        ? 'scope:\n  exclude:\n    - clause: [{attribute: a, operator: isEmpty}]\n'
        : `scope:\n  exclude:\n    - clauses: [{attribute: a, operator: ${operator}, ${extra}}]\n`;
    const path = fixtureFile(text, `bad-message-${String(operator)}.yaml`);
    expect(configErrorOf(() => loadConfig({ file: path, env: requiredEnv })).message).toContain(message);
  });

  it('takes a number or boolean value as text: attributes are compared as text', () => {
    const path = fixtureFile(
      'scope:\n  exclude:\n    - clauses:\n        - {attribute: employeeNumber, operator: equals, value: 5}\n        - {attribute: isContractor, operator: oneOf, values: [true, 7]}\n',
      'scope-numbers.yaml',
    );
    const clauses = loadConfig({ file: path, env: requiredEnv }).rules.scope.exclude[0]?.clauses;
    expect(clauses?.map((clause) => [clause.value, clause.values])).toEqual([
      ['5', undefined],
      [undefined, ['true', '7']],
    ]);
  });

  it.each([
    ['licenses.drift apply alone', 'licenses:\n  drift: apply\n', 'revert'],
    ['licenses.drift report alone', 'licenses:\n  drift: report\n', 'report'],
    ['drift.license alone', 'drift:\n  license: adopt\n', 'adopt'],
    ['both, agreeing', 'licenses:\n  drift: apply\ndrift:\n  license: revert\n', 'revert'],
    ['neither', '', 'report'],
  ])('reads the license drift policy from %s', (_name, text, policy) => {
    const path = fixtureFile(text, `license-drift-${policy}-${text.length}.yaml`);
    expect(loadConfig({ file: path, env: requiredEnv }).rules.drift.license).toBe(policy);
  });

  it('names an unreadable config file', () => {
    expect(configErrorOf(() => loadConfig({ file: join(fixtureDir, 'missing.yaml'), env: requiredEnv })).key).toBe('--config');
  });

  it('never puts a secret in a message', () => {
    const error = configErrorOf(() => loadConfig({ env: { ...requiredEnv, OKTA_CLIENT_ID: '0oa' } }));
    expect(error.message).not.toContain('okta-token');
  });
});

// Bad-input catalogue: config cases the tests above do not cover (each stops with exit 2 naming the key).
describe('loadConfig bad input', () => {
  it.each([
    ['an unreadable okta.privateKeyFile', 'okta:\n  clientId: 0oaSVC\n  privateKeyFile: /nonexistent/okta.pem\n', { OKTA_API_TOKEN: '' }, 'okta.privateKeyFile'],
    ['an unreadable OKTA_PRIVATE_KEY_FILE', '', { OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaSVC', OKTA_PRIVATE_KEY_FILE: join(fixtureDir, 'no-such.pem') }, 'OKTA_PRIVATE_KEY_FILE'],
    ['a private key file that is a directory', '', { OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaSVC', OKTA_PRIVATE_KEY_FILE: fixtureDir }, 'OKTA_PRIVATE_KEY_FILE'],
    ['a YAML list at the top level', '- okta\n- dialpad\n', {}, '--config'],
    ['a single value at the top level', 'just words\n', {}, '--config'],
    ['a bad cron schedule', 'daemon:\n  schedule: "every hour"\n', {}, 'daemon.schedule'],
    ['a cron schedule with a 61st minute', 'daemon:\n  schedule: "61 * * * *"\n', {}, 'daemon.schedule'],
    ['a bad time zone', 'daemon:\n  timezone: Mars/Olympus_Mons\n', {}, 'daemon.timezone'],
    ['a negative mass-suspend count', 'safety:\n  massSuspend:\n    count: -1\n', {}, 'safety.massSuspend.count'],
    ['a negative mass-delete percent', 'safety:\n  massDelete:\n    percent: -5\n', {}, 'safety.massDelete.percent'],
    ['a negative quarantine threshold', 'safety:\n  quarantineAfter: -2\n', {}, 'safety.quarantineAfter'],
    ['a negative license cap', 'licenseCaps:\n  talk: -10\n', {}, 'licenseCaps.talk'],
  ])('a file with %s names %s', (_name, text, envPatch, key) => {
    const path = fixtureFile(text, `bad-input-${key.replace(/\W/g, '_')}-${text.length}.yaml`);
    expect(configErrorOf(() => loadConfig({ file: path, env: { ...requiredEnv, ...envPatch } })).key).toBe(key);
  });

  it.each([
    ['dialpad.apiKey', 'dialpad:\n  apiKey: dp-secret-value\n', 'DIALPAD_API_KEY'],
    ['okta.apiToken', 'okta:\n  apiToken: okta-secret-value\n', 'OKTA_API_TOKEN'],
    ['okta.privateKey', 'okta:\n  privateKey: "-----BEGIN PRIVATE KEY-----"\n', 'OKTA_PRIVATE_KEY'],
    ['daemon.hooks.secret', 'daemon:\n  hooks:\n    secret: hook-secret-value\n', 'environment'],
  ])('a secret in the file (%s) is refused, naming the key and where it belongs, without echoing it', (key, text, home) => {
    const path = fixtureFile(text, `secret-${key}.yaml`);
    const error = configErrorOf(() => loadConfig({ file: path, env: requiredEnv }));
    expect(error.key).toBe(key);
    expect(error.message).toContain('secrets do not belong in the config file');
    expect(error.message).toContain(home);
    expect(error.message).not.toMatch(/secret-value|BEGIN PRIVATE KEY/);
  });

  it('a license alias that merely looks like a secret name is data, not a secret', () => {
    const path = fixtureFile('licenses:\n  aliases: {"Voice token": talk}\n', 'alias-token.yaml');
    expect(loadConfig({ file: path, env: requiredEnv }).rules.licenseAliases['voice token']).toBe('talk');
  });

  it.each([
    ['an empty file', ''],
    ['a file with only comments', '# nothing configured yet\n'],
  ])('%s gives the defaults', (_name, text) => {
    const path = fixtureFile(text, `empty-${text.length}.yaml`);
    const config = loadConfig({ file: path, env: requiredEnv });
    expect(config.rules.policy).toBe('sync');
    expect(config.dialpad.requestsPerSecond).toBe(15);
    expect(config.concurrency).toBe(16);
  });
});

describe('loadStoreConfig (status, release)', () => {
  it('needs no credential, and reads the database, log level and safety as loadConfig does', () => {
    expect(loadStoreConfig({ env: {} })).toMatchObject({ database: './data/dialsync.sqlite', logLevel: 'info', safety: { quarantineAfter: 3 } });
    const path = fixtureFile('database: /var/lib/dialsync/db.sqlite\nlogLevel: debug\nsafety:\n  quarantineAfter: 7\n', 'store-only.yaml');
    expect(loadStoreConfig({ file: path, env: {} })).toMatchObject({ database: '/var/lib/dialsync/db.sqlite', logLevel: 'debug', safety: { quarantineAfter: 7 } });
    expect(loadStoreConfig({ file: path, env: { DIALSYNC_DATABASE: '/tmp/x.sqlite' } }).database).toBe('/tmp/x.sqlite');
    const full = loadConfig({ file: path, env: requiredEnv });
    expect(loadStoreConfig({ file: path, env: requiredEnv })).toMatchObject({ database: full.database, logLevel: full.logLevel, safety: full.safety });
  });

  it('ignores malformed or unreadable credentials but still registers what it can read with the redactor', () => {
    const token = fixtureFile('okta-secret-token with a space\n', 'bad-token');
    const redactor = new Redactor();
    const config = loadStoreConfig({ env: { OKTA_API_TOKEN_FILE: token, DIALPAD_API_KEY_FILE: join(fixtureDir, 'missing'), OKTA_PRIVATE_KEY: 'not a key' }, redactor });
    expect(config.database).toBe('./data/dialsync.sqlite');
    expect(redactor.redact('echo okta-secret-token with a space')).not.toContain('okta-secret-token');
  });

  it('still refuses a setting it reads or a bad config file, naming the key', () => {
    expect(configErrorOf(() => loadStoreConfig({ env: { DIALSYNC_LOG_LEVEL: 'loud' } })).key).toBe('DIALSYNC_LOG_LEVEL');
    expect(configErrorOf(() => loadStoreConfig({ file: fixtureFile('databse: x\n', 'typo.yaml'), env: {} })).key).toBe('databse');
    expect(configErrorOf(() => loadStoreConfig({ file: fixtureFile('dialpad:\n  apiKey: x\n', 'secret.yaml'), env: {} })).key).toContain('apiKey');
  });
});
