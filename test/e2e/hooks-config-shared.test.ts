// One config file with event hooks enabled, shared by the daemon and the CronJobs or terminals that run
// `dialsync reconcile`: only the daemon serves hooks, so only the daemon requires DIALSYNC_HOOK_SECRET.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { hire } from './world.js';
import { useWorld } from './use-world.js';

const given = useWorld();

describe('daemon.hooks.enabled in a config file without DIALSYNC_HOOK_SECRET', () => {
  it('reconcile --apply runs and creates the user; the daemon exits 2 naming DIALSYNC_HOOK_SECRET', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    const config = world.configFile('daemon:\n  hooks:\n    enabled: true\n');

    const run = await world.reconcile('--apply', '--config', config);
    expect(run.stderr).not.toContain('DIALSYNC_HOOK_SECRET');
    expect(run.code).toBe(EXIT.ok);
    expect(world.dialpad.users().map((u) => u.emails[0])).toContain('ann@acme.com');

    const daemon = await world.cli('daemon', '--config', config);
    expect(daemon.code).toBe(EXIT.config);
    expect(daemon.stderr).toContain('configuration error: DIALSYNC_HOOK_SECRET');
  });
});
