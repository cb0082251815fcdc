// The database setting as a PostgreSQL DSN, and the postgres: settings: TLS, CA file, pool size, the password from
// a file, and the password kept out of every message.
import { describe, expect, it } from 'vitest';
import { loadConfig, loadStoreConfig } from '../../src/config/load.js';
import { Redactor } from '../../src/log/redactor.js';
import { configErrorOf, fixtureFile, requiredEnv } from './config-fixture.js';

const PASSWORD = 'pg-Secret/with@odd:chars#42';
const DSN = `postgres://dialsync:${encodeURIComponent(PASSWORD)}@db.example.com:5432/dialsync`;
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUX\n-----END CERTIFICATE-----\n';

describe('the database as a PostgreSQL DSN', () => {
  it('keeps the SQLite default and its settings when no DSN is given', () => {
    const config = loadConfig({ env: requiredEnv });
    expect(config.database).toBe('./data/dialsync.sqlite');
    expect(config.postgres).toEqual({ sslmode: 'disable', ca: null, poolSize: 10, password: null });
  });

  it('takes DIALSYNC_DATABASE over the file, and makes its password a secret in both spellings', () => {
    const redactor = new Redactor();
    const file = fixtureFile('database: ./other.sqlite\npostgres:\n  poolSize: 4\n');
    const config = loadConfig({ file, env: { ...requiredEnv, DIALSYNC_DATABASE: DSN }, redactor });
    expect(config.database).toBe(DSN);
    expect(config.postgres).toMatchObject({ sslmode: 'disable', poolSize: 4, password: null });
    expect(redactor.redact(`connecting to ${DSN}`)).not.toContain(encodeURIComponent(PASSWORD));
    expect(redactor.redact(`the password is ${PASSWORD}`)).not.toContain(PASSWORD);
  });

  it.each([
    ['a scheme without its colon', 'postgresql//dialsync:Typo-Secret-99@db.example.com:5432/dialsync?sslmode=verify-full'],
    ['another scheme', 'mysql://dialsync:Typo-Secret-99@db.example.com/dialsync'],
    ['a scheme of its own', 'pg://dialsync:Typo-Secret-99@db.example.com/dialsync'],
    ['a slash short', 'postgres:/dialsync:Typo-Secret-99@db.example.com/dialsync'],
    ['user info without a scheme', 'dialsync:Typo-Secret-99@db.example.com/dialsync'],
  ])('refuses a DSN typo (%s) with exit 2 naming the key, never taking it for a SQLite file, never quoting it', (_what, database) => {
    for (const load of [() => loadConfig({ env: { ...requiredEnv, DIALSYNC_DATABASE: database } }), () => loadStoreConfig({ env: { DIALSYNC_DATABASE: database } })]) {
      const error = configErrorOf(load);
      expect(error.key).toBe('DIALSYNC_DATABASE');
      expect(error.message).toMatch(/looks like a URL but is not a postgres:\/\/ or postgresql:\/\/ DSN/);
      expect(error.message).not.toContain('Typo-Secret-99');
    }
    expect(configErrorOf(() => loadStoreConfig({ file: fixtureFile(`database: "${database}"\n`), env: {} })).key).toBe('database');
  });

  it.each([
    ['password= in the query', 'postgres://u@localhost/db?password=PGzzzQ-secret', 'PGzzzQ-secret', 'postgres://u@localhost/db?password=***'],
    ['sslpassword= in the query', 'postgres://u:PGzzz-user-secret@h/db?sslpassword=PGzzzSSL-secret', 'PGzzzSSL-secret', 'postgres://u:***@h/db?sslpassword=***'],
    ['a token parameter', 'postgres://u@h/db?auth_token=Tok%2Fen-secret', 'Tok/en-secret', 'postgres://u@h/db?auth_token=***'],
  ])('refuses a secret in the query (%s) with the value masked, and registers it with the redactor', (_what, database, secret, shown) => {
    const redactor = new Redactor();
    const error = configErrorOf(() => loadStoreConfig({ env: { DIALSYNC_DATABASE: database }, redactor }));
    expect(error.key).toBe('DIALSYNC_DATABASE');
    expect(error.message).toMatch(/is not supported/);
    expect(error.message).toContain(shown);
    expect(error.message).not.toContain(secret);
    expect(redactor.redact(`x ${secret} y ${encodeURIComponent(secret)}`)).toBe('x [redacted] y [redacted]');
  });

  it.each([
    ['the environment', { DIALSYNC_DATABASE: 'host=localhost user=u password=PGzzzKW dbname=db' }, undefined, 'DIALSYNC_DATABASE'],
    ['the config file', {}, 'database: host=db.internal port=5432 dbname=dialsync user=app password=PGzzzKW\n', 'database'],
  ])('refuses a libpq keyword/value string from %s (exit 2) naming the key, with the password masked and registered', (_where, env, fileText, key) => {
    const redactor = new Redactor();
    const file = fileText === undefined ? undefined : fixtureFile(fileText);
    for (const load of [() => loadStoreConfig({ env, redactor, ...(file ? { file } : {}) }), () => loadConfig({ env: { ...requiredEnv, ...env }, redactor, ...(file ? { file } : {}) })]) {
      const error = configErrorOf(load);
      expect(error.key).toBe(key);
      expect(error.message).toMatch(/keyword\/value connection string, which dialsync does not take: give a postgres:\/\/ URL .* or the path of a SQLite file/);
      expect(error.message).toContain('password=***');
      expect(error.message).not.toContain('PGzzzKW');
    }
    expect(redactor.redact('x PGzzzKW y')).toBe('x [redacted] y');
  });

  it('takes file paths that merely contain a colon or an at sign for SQLite files', () => {
    for (const database of ['./data/dialsync.sqlite', '/var/lib/dialsync/db@2026.sqlite', ':memory:', 'data/a:b.sqlite']) {
      expect(loadStoreConfig({ env: { DIALSYNC_DATABASE: database } }).database).toBe(database);
    }
  });

  it('registers the password for the commands that read only the database too', () => {
    const redactor = new Redactor();
    loadStoreConfig({ env: { DIALSYNC_DATABASE: DSN }, redactor });
    expect(redactor.redact(`x ${PASSWORD} y`)).toBe('x [redacted] y');
  });

  it('honours sslmode= and sslrootcert= in the DSN, reading the CA file once', () => {
    const ca = fixtureFile(CA, 'ca-dsn.pem');
    const config = loadStoreConfig({ env: { DIALSYNC_DATABASE: `${DSN}?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}` } });
    expect(config.postgres).toMatchObject({ sslmode: 'verify-full', ca: CA });
  });

  it('takes the sslmode and CA file from the postgres: settings', () => {
    const ca = fixtureFile(CA, 'ca-settings.pem');
    const file = fixtureFile(`database: "${DSN}"\npostgres:\n  sslmode: verify-ca\n  caFile: ${ca}\n`);
    expect(loadStoreConfig({ file, env: {} }).postgres).toMatchObject({ sslmode: 'verify-ca', ca: CA });
  });

  it('refuses an sslmode that the DSN contradicts, a CA file without TLS, and a CA file that holds no certificate', () => {
    const contradicting = fixtureFile('postgres:\n  sslmode: require\n');
    expect(configErrorOf(() => loadStoreConfig({ file: contradicting, env: { DIALSYNC_DATABASE: `${DSN}?sslmode=disable` } })).key).toBe('postgres.sslmode');
    const ca = fixtureFile(CA, 'ca-plain.pem');
    const withoutTls = fixtureFile(`postgres:\n  caFile: ${ca}\n`);
    expect(configErrorOf(() => loadStoreConfig({ file: withoutTls, env: { DIALSYNC_DATABASE: DSN } })).message).toMatch(/^postgres\.caFile: .*sslmode is disable/);
    const notPem = fixtureFile('hello\n', 'not-a-cert.pem');
    const badCa = fixtureFile(`postgres:\n  sslmode: verify-full\n  caFile: ${notPem}\n`);
    expect(configErrorOf(() => loadStoreConfig({ file: badCa, env: { DIALSYNC_DATABASE: DSN } })).message).toMatch(/holds no PEM certificate/);
  });

  it('reads the password from DIALSYNC_DATABASE_PASSWORD_FILE or postgres.passwordFile when the DSN holds none', () => {
    const secret = fixtureFile(`${PASSWORD}\n`, 'db-password');
    const bare = 'postgres://dialsync@db.example.com/dialsync';
    const redactor = new Redactor();
    expect(loadStoreConfig({ env: { DIALSYNC_DATABASE: bare, DIALSYNC_DATABASE_PASSWORD_FILE: secret }, redactor }).postgres.password).toBe(PASSWORD);
    expect(redactor.redact(PASSWORD)).toBe('[redacted]');
    const file = fixtureFile(`database: "${bare}"\npostgres:\n  passwordFile: ${secret}\n`);
    expect(loadStoreConfig({ file, env: {} }).postgres.password).toBe(PASSWORD);
    expect(loadStoreConfig({ env: { DIALSYNC_DATABASE: bare, DIALSYNC_DATABASE_PASSWORD: 'from-env' } }).postgres.password).toBe('from-env');
  });

  it('refuses a password both in the DSN and set apart, without showing either', () => {
    const error = configErrorOf(() => loadStoreConfig({ env: { DIALSYNC_DATABASE: DSN, DIALSYNC_DATABASE_PASSWORD: 'other-password-xyz' } }));
    expect(error.key).toBe('DIALSYNC_DATABASE');
    expect(error.message).not.toContain('other-password-xyz');
    expect(error.message).not.toContain(encodeURIComponent(PASSWORD));
  });

  it('refuses a DSN it cannot use, naming the setting, with the password masked', () => {
    for (const [dsn, why] of [
      [`${DSN}?sslmode=prefer`, /sslmode=prefer is not supported/],
      [`${DSN}?connect_timeout=5`, /parameter connect_timeout is not supported/],
      [`postgres://dialsync:${encodeURIComponent(PASSWORD)}@/dialsync`, /is not a valid URL|names no host/],
    ] as const) {
      const error = configErrorOf(() => loadStoreConfig({ env: { DIALSYNC_DATABASE: dsn } }));
      expect(error.key).toBe('DIALSYNC_DATABASE');
      expect(error.message).toMatch(why);
      expect(error.message).toContain('dialsync:***@');
      expect(error.message).not.toContain(encodeURIComponent(PASSWORD));
    }
    const fromFile = fixtureFile(`database: "${DSN}?sslmode=allow"\n`);
    expect(configErrorOf(() => loadStoreConfig({ file: fromFile, env: {} })).key).toBe('database');
  });
});
