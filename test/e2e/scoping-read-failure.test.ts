// A scoping group whose members cannot be read fails the run as a whole: nothing is planned from a partial
// membership, so no member the read missed is suspended.
import { describe, expect, it } from 'vitest';
import { hire } from './world.js';
import { useWorldPerTest } from './use-world.js';

let failing = false;
const start = useWorldPerTest({
  okta: { faults: { rate: 1, kinds: ['500'], applies: (request) => failing && /^\/api\/v1\/groups\/[^/]+\/users$/.test(request.path) } },
});

describe('scope.groups: a group read that fails', () => {
  it('fails the run (exit 4) and suspends nobody', async () => {
    failing = false;
    const { world } = await start();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    const pilot = world.okta.createGroup('Dialpad pilot');
    world.okta.addToGroup(pilot, ann);
    const config = world.configFile('okta:\n  maxRetries: 0\nscope:\n  groups: [Dialpad pilot]\n');
    expect((await world.reconcile('--apply', '--config', config)).code).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');

    failing = true;
    world.clearRequests();
    const run = await world.cli('reconcile', '--apply', '--config', config);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`listing the members of Okta group ${pilot}`);
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpadUserByEmail('ann@acme.com')?.state).toBe('active');
  });
});
