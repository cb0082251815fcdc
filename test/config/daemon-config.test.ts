import { describe, expect, it } from 'vitest';
import { loadConfig, loadDaemonConfig } from '../../src/config/load.js';
import { configErrorOf, exampleConfigFile, fixtureFile, requiredEnv } from './config-fixture.js';

function withDaemon(block: string): string {
  return fixtureFile(`daemon:\n${block}`);
}

describe('the daemon block', () => {
  it('has documented defaults', () => {
    expect(loadConfig({ env: requiredEnv }).daemon).toEqual({
      schedule: '0 * * * *',
      timezone: 'UTC',
      pollIntervalSeconds: 60,
      host: '0.0.0.0',
      port: 8080,
      maxConnections: 100,
      readyzMaxFailingSeconds: 7200,
      accessCheckIntervalSeconds: 300,
      hooks: { enabled: false, path: '/hooks/okta', headerName: 'authorization', batchDelaySeconds: 0.25, queuePollSeconds: 0.25, secret: null },
    });
  });

  it('reads the file and the hook secret from the environment or a file', () => {
    const secretFile = fixtureFile('from-a-file\n', 'hook-secret');
    const file = withDaemon('  schedule: "*/15 * * * *"\n  timezone: Europe/Paris\n  pollIntervalSeconds: 0\n  port: 9090\n  hooks:\n    enabled: true\n    headerName: X-Hook-Secret\n');
    const config = loadConfig({ file, env: { ...requiredEnv, DIALSYNC_HOOK_SECRET_FILE: secretFile } });
    expect(config.daemon).toMatchObject({ schedule: '*/15 * * * *', timezone: 'Europe/Paris', pollIntervalSeconds: 0, port: 9090 });
    expect(config.daemon.hooks).toMatchObject({ enabled: true, headerName: 'x-hook-secret', secret: 'from-a-file' });
  });

  it.each([
    ['  schedule: "61 * * * *"\n', 'daemon.schedule'],
    ['  schedule: "every hour"\n', 'daemon.schedule'],
    ['  timezone: Mars/Olympus\n', 'daemon.timezone'],
    ['  pollIntervalSeconds: 2\n', 'daemon.pollIntervalSeconds'],
    ['  port: 70000\n', 'daemon.port'],
    ['  maxConnections: 0\n', 'daemon.maxConnections'],
    ['  maxConnections: 2.5\n', 'daemon.maxConnections'],
    ['  hooks:\n    path: hooks\n', 'daemon.hooks.path'],
    ['  cron: "0 * * * *"\n', 'daemon.cron'],
  ])('refuses %j naming %s', (block, key) => {
    const error = configErrorOf(() => loadConfig({ file: withDaemon(block), env: requiredEnv }));
    expect(error.key).toBe(key);
    expect(error.message).not.toContain('okta-token');
  });

  it('requires the hook secret with hooks enabled only where hooks are served (loadDaemonConfig)', () => {
    const file = withDaemon('  hooks:\n    enabled: true\n');
    const error = configErrorOf(() => loadDaemonConfig({ file, env: requiredEnv }));
    expect(error.key).toBe('DIALSYNC_HOOK_SECRET');
    expect(error.message).toContain('DIALSYNC_HOOK_SECRET_FILE');
    const shared = loadConfig({ file, env: requiredEnv });
    expect(shared.daemon.hooks).toMatchObject({ enabled: true, secret: null });
    expect(loadDaemonConfig({ file, env: { ...requiredEnv, DIALSYNC_HOOK_SECRET: 'a-hook-secret-of-32-characters!!' } }).daemon.hooks.secret).toBe('a-hook-secret-of-32-characters!!');
  });

  it('accepts the example config', () => {
    const config = loadConfig({ file: exampleConfigFile, env: requiredEnv });
    expect(config.daemon.schedule).toBe('0 * * * *');
  });
});
