// A database setting's secrets kept out of what is shown: a DSN's user info password and every query parameter that
// can carry a secret masked, a libpq keyword/value connection string recognised (and masked) rather than taken for
// a SQLite file name, and every such secret listed for the redactor.
import { describe, expect, it } from 'vitest';
import { describeDatabase } from '../../src/store/database.js';
import {
  dsnSecretsAsWritten,
  isSecretParameter,
  looksLikeKeywordValueDsn,
  looksLikeMistypedDsn,
  maskDsnPassword,
} from '../../src/config/postgres-dsn.js';

describe('maskDsnPassword and describeDatabase', () => {
  it.each([
    ['a user info password', 'postgres://u:PGzzz@h/db', 'postgres://u:***@h/db', ['PGzzz']],
    ['password= in the query', 'postgres://u@localhost/db?password=PGzzzQ', 'postgres://u@localhost/db?password=***', ['PGzzzQ']],
    [
      'sslpassword= beside a user info password',
      'postgres://u:PGzzz@h/db?sslpassword=PGzzzSSL&sslmode=require',
      'postgres://u:***@h/db?sslpassword=***&sslmode=require',
      ['PGzzz', 'PGzzzSSL'],
    ],
    [
      'any parameter named for a password, a secret or a token',
      'postgresql://u@h/db?sslmode=require&api_token=Tok1&client_secret=Sec2&oldPassword=Pw3',
      'postgresql://u@h/db?sslmode=require&api_token=***&client_secret=***&oldPassword=***',
      ['Tok1', 'Sec2', 'Pw3'],
    ],
    ['a percent-encoded parameter name', 'postgres://u@h/db?pass%77ord=Enc4', 'postgres://u@h/db?pass%77ord=***', ['Enc4']],
    [
      'file paths (passfile, sslkey, sslrootcert), which are shown',
      'postgres://u@h/db?passfile=/etc/pgpass&sslkey=/k.pem&sslrootcert=/ca.pem',
      'postgres://u@h/db?passfile=/etc/pgpass&sslkey=/k.pem&sslrootcert=/ca.pem',
      [],
    ],
    ['an unencoded ? in the user info password', 'postgres://u:p?w@h/db?sslmode=require', 'postgres://u:***@h/db?sslmode=require', ['p?w']],
    ['a DSN that does not parse', 'postgres://u:Bad%zz@/db?password=Q%zz', 'postgres://u:***@/db?password=***', ['Bad%zz', 'Q%zz']],
    ['no secret at all', 'postgres://app@db:5432/dialsync?sslmode=verify-full', 'postgres://app@db:5432/dialsync?sslmode=verify-full', []],
    [
      'a keyword/value string',
      'host=localhost user=u password=PGzzzKW dbname=db',
      'host=localhost user=u password=*** dbname=db',
      ['PGzzzKW'],
    ],
    [
      'a keyword/value string with spaces around = and a quoted password',
      "host = db sslpassword = 'a b\\'c' dbname=x",
      'host = db sslpassword = *** dbname=x',
      ["a b'c", "'a b\\'c'"],
    ],
  ])('%s', (_what, database, shown, secrets) => {
    expect(maskDsnPassword(database)).toBe(shown);
    expect(describeDatabase(database)).toBe(shown);
    expect(dsnSecretsAsWritten(database)).toEqual(secrets);
    for (const secret of secrets) expect(shown).not.toContain(secret);
  });

  it('leaves a SQLite path as it is', () => {
    for (const path of ['./data/dialsync.sqlite', '/var/lib/dialsync/db@2026.sqlite', ':memory:']) {
      expect(describeDatabase(path)).toBe(path);
      expect(dsnSecretsAsWritten(path)).toEqual([]);
    }
  });
});

describe('isSecretParameter', () => {
  it.each([
    ['password', true],
    ['sslpassword', true],
    ['PASSWORD', true],
    ['auth_token', true],
    ['client_secret', true],
    ['passfile', false],
    ['sslkey', false],
    ['sslrootcert', false],
    ['sslmode', false],
    ['user', false],
  ])('%s: %s', (name, secret) => {
    expect(isSecretParameter(name)).toBe(secret);
  });
});

describe('looksLikeKeywordValueDsn and looksLikeMistypedDsn', () => {
  it.each([
    ['host=localhost user=u password=PGzzzKW dbname=db', true],
    ['host=db dbname=dialsync', true],
    ['  host = db  port = 5433 ', true],
    ["dbname='my db' user=app", true],
    ['password=PGzzzKW', true],
    ['sslpassword=x', true],
    ['host=db', false],
    ['./data/host=a user=b.sqlite', false],
    ['./data/dialsync.sqlite', false],
    ['data/color=blue size=big.sqlite', false],
    ['postgres://u@h/db?password=x&sslmode=require', false],
  ])('%j: %s', (value, keywordValue) => {
    expect(looksLikeKeywordValueDsn(value)).toBe(keywordValue);
    expect(looksLikeMistypedDsn(value)).toBe(keywordValue);
  });
});
