import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { defaultSafety } from '../../src/plan/safety/safety.js';

const env = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oa1', OKTA_API_TOKEN: 't', DIALPAD_API_KEY: 'k' };

function load(yaml: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'dialsync-config-')), 'c.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, env });
}

function configError(yaml: string): ConfigError {
  try {
    load(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('safety config', () => {
  it('defaults', () => {
    expect(loadConfig({ env }).safety).toEqual(defaultSafety());
    expect(defaultSafety()).toMatchObject({ massSuspend: { count: 10, percent: 5 }, sourceHealthMinFraction: 0.5, quarantineAfter: 3, checkAvailableLicenses: true, allowBuyingSeats: false, licenseCaps: {} });
  });

  it('reads every key, keeping defaults for what is left out', () => {
    const safety = load(
      'safety:\n  allowMassChanges: true\n  massSuspend: {count: 20}\n  massDelete: {count: 2, percent: 1}\n  sourceHealthMinFraction: 0.8\n  quarantineAfter: 5\n  checkAvailableLicenses: false\n  allowBuyingSeats: true\nlicenseCaps:\n  talk: 200\n  agents: 0\n',
    ).safety;
    expect(safety).toEqual({
      allowMassChanges: true,
      massSuspend: { count: 20, percent: 5 },
      massDelete: { count: 2, percent: 1 },
      sourceHealthMinFraction: 0.8,
      quarantineAfter: 5,
      checkAvailableLicenses: false,
      allowBuyingSeats: true,
      licenseCaps: { talk: 200, agents: 0 },
    });
  });

  it.each([
    ['licenseCaps:\n  talk: -1\n', 'licenseCaps.talk'],
    ['licenseCaps:\n  talk: 2.5\n', 'licenseCaps.talk'],
    ['licenseCaps:\n  platinum: 3\n', 'licenseCaps.platinum'],
    ['safety:\n  massSuspend: {count: -1}\n', 'safety.massSuspend.count'],
    ['safety:\n  massDelete: {percent: 120}\n', 'safety.massDelete.percent'],
    ['safety:\n  sourceHealthMinFraction: 1.5\n', 'safety.sourceHealthMinFraction'],
    ['safety:\n  quarantineAfter: -3\n', 'safety.quarantineAfter'],
    ['safety:\n  allowMassChange: true\n', 'safety.allowMassChange'],
  ])('%j → ConfigError naming %s', (yaml, key) => {
    expect(configError(yaml).key).toBe(key);
  });
});

describe('config/dialsync.example.yaml', () => {
  it('documents the safety defaults', () => {
    const example = new URL('../../config/dialsync.example.yaml', import.meta.url).pathname;
    expect(loadConfig({ file: example, env }).safety).toEqual(defaultSafety());
  });
});
