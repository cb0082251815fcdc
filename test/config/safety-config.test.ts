import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from '../../src/config/load.js';
import { defaultSafety } from '../../src/plan/safety/safety.js';
import { configErrorOf, exampleConfigFile, fixtureFile, requiredEnv } from './config-fixture.js';

function load(yaml: string) {
  return loadConfig({ file: fixtureFile(yaml), env: requiredEnv });
}

function configError(yaml: string): ConfigError {
  return configErrorOf(() => load(yaml));
}

describe('safety config', () => {
  it('defaults', () => {
    expect(loadConfig({ env: requiredEnv }).safety).toEqual(defaultSafety());
    expect(defaultSafety()).toMatchObject({ massSuspend: { count: 10, percent: 5 }, sourceHealthMinFraction: 0.5, quarantineAfter: 3, checkAvailableLicenses: true, allowBuyingSeats: false, approvalHours: 24, licenseCaps: {} });
  });

  it('reads every key, keeping defaults for what is left out', () => {
    const safety = load(
      'safety:\n  allowMassChanges: true\n  massSuspend: {count: 20}\n  massDelete: {count: 2, percent: 1}\n  sourceHealthMinFraction: 0.8\n  quarantineAfter: 5\n  checkAvailableLicenses: false\n  allowBuyingSeats: true\n  approvalHours: 8\nlicenseCaps:\n  talk: 200\n  agents: 0\n',
    ).safety;
    expect(safety).toEqual({
      allowMassChanges: true,
      massSuspend: { count: 20, percent: 5 },
      massDelete: { count: 2, percent: 1 },
      sourceHealthMinFraction: 0.8,
      quarantineAfter: 5,
      checkAvailableLicenses: false,
      allowBuyingSeats: true,
      approvalHours: 8,
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
    ['safety:\n  approvalHours: 0\n', 'safety.approvalHours'],
    ['safety:\n  allowMassChange: true\n', 'safety.allowMassChange'],
  ])('%j → ConfigError naming %s', (yaml, key) => {
    expect(configError(yaml).key).toBe(key);
  });
});

describe('config/dialsync.example.yaml', () => {
  it('documents the safety defaults', () => {
    expect(loadConfig({ file: exampleConfigFile, env: requiredEnv }).safety).toEqual(defaultSafety());
  });
});
