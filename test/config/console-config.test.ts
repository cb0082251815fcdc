import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Redactor } from '../../src/log/redactor.js';
import { configErrorOf, fixtureFile, requiredEnv } from './config-fixture.js';

const CLIENT_SECRET = 'console-client-secret-0123456789';
const SESSION_SECRET = 'session-secret-0123456789abcdef0123456789';
const secretsEnv = { ...requiredEnv, DIALSYNC_CONSOLE_CLIENT_SECRET: CLIENT_SECRET, DIALSYNC_CONSOLE_SESSION_SECRET: SESSION_SECRET };

const ENABLED = [
  'console:',
  '  enabled: true',
  '  publicUrl: https://dialsync.example.com/',
  '  issuer: https://acme.okta.com/oauth2/default',
  '  clientId: 0oaCONSOLE',
  '  adminGroup: dialsync-admins',
].join('\n');

function without(key: string): string {
  return fixtureFile(`${ENABLED.split('\n').filter((line) => !line.includes(`${key}:`)).join('\n')}\n`);
}

describe('the console block', () => {
  it('is off by default, and reading its secrets then only registers them', () => {
    const redactor = new Redactor();
    const config = loadConfig({ env: secretsEnv, redactor });
    expect(config.console).toEqual({ enabled: false });
    expect(redactor.redact(`x ${CLIENT_SECRET} ${SESSION_SECRET}`)).not.toMatch(/secret-0123/);
  });

  it('reads every setting, the secrets from the environment or their files, and drops trailing slashes', () => {
    const sessionFile = fixtureFile(`${SESSION_SECRET}\n`, 'session-secret');
    const file = fixtureFile(`${ENABLED}\n  viewerGroup: dialsync-viewers\n  sessionIdleMinutes: 10\n  sessionMaxHours: 8\n`);
    const config = loadConfig({ file, env: { ...requiredEnv, DIALSYNC_CONSOLE_CLIENT_SECRET: CLIENT_SECRET, DIALSYNC_CONSOLE_SESSION_SECRET_FILE: sessionFile } });
    expect(config.console).toEqual({
      enabled: true,
      publicUrl: 'https://dialsync.example.com',
      issuer: 'https://acme.okta.com/oauth2/default',
      clientId: '0oaCONSOLE',
      clientSecret: CLIENT_SECRET,
      sessionSecret: SESSION_SECRET,
      adminGroup: 'dialsync-admins',
      viewerGroup: 'dialsync-viewers',
      groupsClaim: 'groups',
      sessionIdleMinutes: 10,
      sessionMaxHours: 8,
    });
  });

  it.each([
    ['publicUrl', 'console.publicUrl'],
    ['issuer', 'console.issuer'],
    ['clientId', 'console.clientId'],
    ['adminGroup', 'console.adminGroup'],
  ])('refuses to enable it without %s, naming %s', (key, named) => {
    expect(configErrorOf(() => loadConfig({ file: without(key), env: secretsEnv })).key).toBe(named);
  });

  it.each([
    [{ DIALSYNC_CONSOLE_SESSION_SECRET: SESSION_SECRET }, 'DIALSYNC_CONSOLE_CLIENT_SECRET'],
    [{ DIALSYNC_CONSOLE_CLIENT_SECRET: CLIENT_SECRET }, 'DIALSYNC_CONSOLE_SESSION_SECRET'],
    [{ DIALSYNC_CONSOLE_CLIENT_SECRET: CLIENT_SECRET, DIALSYNC_CONSOLE_SESSION_SECRET: 'too-short-0123456789' }, 'DIALSYNC_CONSOLE_SESSION_SECRET'],
  ])('refuses to enable it with secrets %j missing or short, naming %s, never echoing one', (secrets, named) => {
    const error = configErrorOf(() => loadConfig({ file: fixtureFile(`${ENABLED}\n`), env: { ...requiredEnv, ...secrets } }));
    expect(error.key).toBe(named);
    expect(error.message).not.toMatch(/secret-0123|too-short/);
  });

  it.each([
    ['  publicUrl: dialsync.example.com\n', 'console.publicUrl'],
    ['  sessionIdleMinutes: 0\n', 'console.sessionIdleMinutes'],
    ['  clientSecret: abc\n', 'console.clientSecret'],
    ['  sessionSecret: abc\n', 'console.sessionSecret'],
    ['  loginPath: /x\n', 'console.loginPath'],
  ])('refuses %j naming %s', (line, named) => {
    expect(configErrorOf(() => loadConfig({ file: fixtureFile(`console:\n${line}`), env: secretsEnv })).key).toBe(named);
  });

  it.each([
    ['https://dialsync.example.com/console', 'console.publicUrl'],
    ['https://dialsync.example.com/console/', 'console.publicUrl'],
    ['https://dialsync.example.com/?a=b', 'console.publicUrl'],
    ['https://dialsync.example.com/#top', 'console.publicUrl'],
  ])('refuses publicUrl %s (not the root of its host), naming %s', (url, named) => {
    const file = fixtureFile(`${ENABLED.replace('https://dialsync.example.com/', url)}\n`);
    const error = configErrorOf(() => loadConfig({ file, env: secretsEnv }));
    expect(error.key).toBe(named);
    expect(error.message).toContain('root of its host');
  });

  it('refuses sessionIdleMinutes longer than sessionMaxHours, naming sessionIdleMinutes; takes them equal', () => {
    const longer = fixtureFile(`${ENABLED}\n  sessionIdleMinutes: 121\n  sessionMaxHours: 2\n`);
    expect(configErrorOf(() => loadConfig({ file: longer, env: secretsEnv })).key).toBe('console.sessionIdleMinutes');
    const equal = fixtureFile(`${ENABLED}\n  sessionIdleMinutes: 120\n  sessionMaxHours: 2\n`);
    expect(loadConfig({ file: equal, env: secretsEnv }).console).toMatchObject({ sessionIdleMinutes: 120, sessionMaxHours: 2 });
  });

  it('refuses a viewerGroup equal to adminGroup, naming viewerGroup', () => {
    const file = fixtureFile(`${ENABLED}\n  viewerGroup: dialsync-admins\n`);
    expect(configErrorOf(() => loadConfig({ file, env: secretsEnv })).key).toBe('console.viewerGroup');
  });
});
