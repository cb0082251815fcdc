// A dry run the mass-change guard holds records no hold: `dialsync held` has nothing to approve until an applying
// run records them. The dry run's advice says so; the applying run's advice (approve exactly these now) stands.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { hire } from './world.js';
import { useWorld } from './use-world.js';

const given = useWorld();

const GUARD_AT_ZERO = 'safety:\n  massSuspend:\n    count: 0\n    percent: 0\n';

describe('the advice of a run the mass-change guard holds', () => {
  it('dry run: an applying run records them first, and held lists nothing; the applying run: approve exactly these, held lists them', async () => {
    const { world } = given();
    const ids = ['ann@acme.com', 'bob@acme.com', 'cy@acme.com'].map((login) => hire(world.okta, { login, firstName: 'Pat', lastName: 'Lee' }, { officeName: 'New York' }));
    expect((await world.reconcile('--apply')).code).toBe(EXIT.ok);
    world.okta.unassignUser(ids[0] ?? '');
    const config = world.configFile(GUARD_AT_ZERO);

    const dry = await world.cli('reconcile', '--config', config);
    expect(dry.code).toBe(EXIT.massChangeHeld);
    const dryText = dry.stdout.replace(/\s+/g, ' ');
    expect(dryText).toContain('an applying run (`dialsync reconcile --apply` or the daemon) records them as held for approval, then approve exactly these with `dialsync approve`');
    expect(dryText).not.toContain('or with `dialsync approve` (the next run applies them)');
    expect((await world.cli('held')).stdout).toContain('Nothing is held');

    const applied = await world.cli('reconcile', '--apply', '--config', config);
    expect(applied.code).toBe(EXIT.massChangeHeld);
    const appliedText = applied.stdout.replace(/\s+/g, ' ');
    expect(appliedText).toContain('approve exactly these on the console\'s Held changes page or with `dialsync approve` (the next run applies them)');
    expect(appliedText).toContain('`dialsync held` lists them');
    expect(appliedText).not.toContain('an applying run');
    const held = await world.cli('held', '--json');
    expect((JSON.parse(held.stdout) as { held: { email: string; kind: string }[] }).held.map((h) => [h.email, h.kind])).toEqual([['ann@acme.com', 'suspend']]);
  });
});
