// Secrets at load: one trailing newline dropped, anything else that cannot be part of a credential refused with
// exit-2 errors naming the variable (never echoing the value), private keys parsed by node:crypto, and every
// value read registered with the redactor.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config, type ConfigError } from '../../src/config/load.js';
import { Redactor } from '../../src/log/redactor.js';
import { configErrorOf, fixtureFile, requiredEnv } from './config-fixture.js';

const TOKEN = '00okta-token-0123456789abcdefghij';
const KEY = 'dialpad-key-0123456789abcdefghij';
const HOOK = 'hook-secret-0123456789abcdefghij';
const baseEnv = { ...requiredEnv, OKTA_API_TOKEN: TOKEN, DIALPAD_API_KEY: KEY };
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_JWK = JSON.stringify(rsa.privateKey.export({ format: 'jwk' }));
const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const ED_PEM = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function serviceApp(key: Record<string, string>): NodeJS.ProcessEnv {
  return { ...baseEnv, OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaSVC', ...key };
}

function refusal(env: NodeJS.ProcessEnv, redactor = new Redactor()): { error: ConfigError; redactor: Redactor } {
  return { error: configErrorOf(() => loadConfig({ env, redactor })), redactor };
}

describe('secrets read at load', () => {
  it.each([
    ['a trailing LF', `${TOKEN}\n`],
    ['a trailing CRLF', `${TOKEN}\r\n`],
    ['no trailing newline', TOKEN],
  ])('a token file with %s gives the bare token', (_name, text) => {
    const config = loadConfig({ env: { ...baseEnv, OKTA_API_TOKEN: '', OKTA_API_TOKEN_FILE: fixtureFile(text) } });
    expect(config.okta.auth).toEqual({ kind: 'token', token: TOKEN });
  });

  it('drops one trailing newline from a variable too', () => {
    const config = loadConfig({ env: { ...baseEnv, DIALPAD_API_KEY: `${KEY}\r\n`, DIALSYNC_HOOK_SECRET: `${HOOK}\n` } });
    expect([config.dialpad.apiKey, config.daemon.hooks.secret]).toEqual([KEY, HOOK]);
  });

  it.each([
    ['a token file with a comment on a second line', { OKTA_API_TOKEN: '', OKTA_API_TOKEN_FILE: fixtureFile(`${TOKEN}\n# rotated 2026-11\n`) }, 'OKTA_API_TOKEN_FILE', 'a line break'],
    ['a token file with two trailing newlines', { OKTA_API_TOKEN: '', OKTA_API_TOKEN_FILE: fixtureFile(`${TOKEN}\n\n`) }, 'OKTA_API_TOKEN_FILE', 'a line break'],
    ['a token with a tab inside', { OKTA_API_TOKEN: `${TOKEN.slice(0, 10)}\t${TOKEN.slice(10)}` }, 'OKTA_API_TOKEN', 'whitespace'],
    ['a token with a leading space', { OKTA_API_TOKEN: ` ${TOKEN}` }, 'OKTA_API_TOKEN', 'whitespace'],
    ['a token with a control character', { OKTA_API_TOKEN: `${TOKEN}\u0007` }, 'OKTA_API_TOKEN', 'a control character'],
    ['a token with a bare CR at the end', { OKTA_API_TOKEN: `${TOKEN}\r` }, 'OKTA_API_TOKEN', 'a line break'],
    ['a Dialpad key with a line break', { DIALPAD_API_KEY: `${KEY}\nsecond-line` }, 'DIALPAD_API_KEY', 'a line break'],
    ['a Dialpad key file with a space inside', { DIALPAD_API_KEY: '', DIALPAD_API_KEY_FILE: fixtureFile(`${KEY} x\n`) }, 'DIALPAD_API_KEY_FILE', 'whitespace'],
    ['a hook secret with a newline inside', { DIALSYNC_HOOK_SECRET: `${HOOK}\nmore` }, 'DIALSYNC_HOOK_SECRET', 'a line break'],
    ['a hook secret file holding only a newline', { DIALSYNC_HOOK_SECRET_FILE: fixtureFile('\n') }, 'DIALSYNC_HOOK_SECRET_FILE', 'is empty'],
  ])('%s is refused, naming %s, without echoing the value', (_name, patch, key, what) => {
    const { error } = refusal({ ...baseEnv, ...patch });
    expect(error.key).toBe(key);
    expect(error.message).toContain(what);
    for (const secret of [TOKEN, KEY, HOOK]) {
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain(secret.slice(0, 12));
    }
  });

  it.each([
    ['an RSA PEM (PKCS#8)', RSA_PEM],
    ['an RSA PEM with a CRLF at the end', `${RSA_PEM.trimEnd()}\r\n`],
    ['an EC PEM (SEC1)', EC_PEM],
    ['an RSA JWK', RSA_JWK],
  ])('%s is accepted as the service app key', (_name, key) => {
    const config = loadConfig({ env: serviceApp({ OKTA_PRIVATE_KEY_FILE: fixtureFile(key) }) });
    expect(config.okta.auth).toMatchObject({ kind: 'privateKey', clientId: '0oaSVC' });
  });

  it.each([
    ['garbage PEM', { OKTA_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----' }, 'OKTA_PRIVATE_KEY', 'not a private key'],
    ['text that is neither PEM nor JSON', { OKTA_PRIVATE_KEY: 'hunter2-is-not-a-key' }, 'OKTA_PRIVATE_KEY', 'not a private key'],
    ['a JWK missing its private members', { OKTA_PRIVATE_KEY_FILE: fixtureFile(JSON.stringify({ kty: 'RSA', n: 'AQAB', e: 'AQAB' })) }, 'OKTA_PRIVATE_KEY_FILE', 'not a private key'],
    ['JSON that is not a JWK', { OKTA_PRIVATE_KEY: '["RSA"]' }, 'OKTA_PRIVATE_KEY', 'not a private key'],
    ['a public key', { OKTA_PRIVATE_KEY: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() }, 'OKTA_PRIVATE_KEY', 'not a private key'],
    ['an Ed25519 key', { OKTA_PRIVATE_KEY: ED_PEM }, 'OKTA_PRIVATE_KEY', 'RSA or EC'],
    ['a PEM whose line breaks were pasted as "\\n"', { OKTA_PRIVATE_KEY: RSA_PEM.trimEnd().replaceAll('\n', '\\n') }, 'OKTA_PRIVATE_KEY', 'where line breaks belong'],
  ])('%s is refused at load, naming %s', (_name, patch, key, what) => {
    const { error } = refusal(serviceApp(patch));
    expect(error.key).toBe(key);
    expect(error.message).toContain(what);
    expect(error.message).not.toContain('bm90IGEga2V5IGF0IGFsbA');
  });

  it('registers every secret with the redactor, the private key in its PEM lines and JWK members too', () => {
    const withToken = loadConfig({ env: { ...baseEnv, DIALSYNC_HOOK_SECRET: HOOK } });
    expect(withToken.redactor.redact(`a ${TOKEN} b ${KEY} c ${HOOK} d`)).toBe('a [redacted] b [redacted] c [redacted] d');

    const withKey: Config = loadConfig({ env: serviceApp({ OKTA_PRIVATE_KEY: RSA_PEM }) });
    const pemLine = RSA_PEM.split('\n')[3] ?? '';
    const d = (JSON.parse(RSA_JWK) as { d: string }).d;
    expect(pemLine.length).toBeGreaterThan(40);
    expect(withKey.redactor.redact(`echo: ${pemLine}`)).toBe('echo: [redacted]');
    expect(withKey.redactor.redact(`{"d":"${d}"}`)).toBe('{"d":"[redacted]"}');
    expect(withKey.redactor.redact(JSON.stringify({ key: RSA_PEM }))).not.toMatch(/[A-Za-z0-9+/]{20}/);
  });

  it('registers a refused secret before refusing it, so the message of a later failure cannot print it', () => {
    const { redactor } = refusal({ ...baseEnv, OKTA_API_TOKEN: '', OKTA_API_TOKEN_FILE: fixtureFile(`${TOKEN}\n# second line\n`) });
    expect(redactor.redact(`Authorization: SSWS ${TOKEN}`)).toBe('Authorization: SSWS [redacted]');
  });
});
