// The read step's applied values (drift): every user's in a full run, only the run's users' in a targeted one.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { readSides } from '../../src/reconcile/read-sides.js';
import { buildGateways, openStore } from '../../src/wiring/build.js';
import { useWorld } from '../e2e/use-world.js';
import { hire } from '../e2e/world.js';

const given = useWorld();

describe('readSides: applied values', () => {
  it('reads every Dialpad user’s in a full run, and only the run’s users’ in a targeted run or for one email', async () => {
    const { world } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'London' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' });
    expect((await world.reconcile('--apply')).code).toBe(0);
    const annId = world.dialpadUserByEmail('ann@acme.com')?.id ?? '';
    const bobId = world.dialpadUserByEmail('bob@acme.com')?.id ?? '';

    const config = loadConfig({ env: world.env() });
    const { okta, dialpad } = buildGateways(config, silentLogger());
    const store = await openStore(config);
    try {
      const full = await readSides(okta, dialpad, store, config.rules, { oktaConcurrency: 2 });
      expect([...(full.appliedValues?.keys() ?? [])].sort()).toEqual([annId, bobId].sort());
      // What the create wrote: names, office, license, and the title PATCH after it.
      expect(Object.keys(full.appliedValues?.get(annId) ?? {}).sort()).toEqual(['first_name', 'job_title', 'last_name', 'license', 'office']);
      expect(full.appliedValues?.get(annId)?.job_title).toMatchObject({ applied: 'Engineer', okta: 'Engineer' });

      const targeted = await readSides(okta, dialpad, store, config.rules, { onlyOktaUserIds: [ann], oktaConcurrency: 2 });
      expect([...(targeted.appliedValues?.keys() ?? [])]).toEqual([annId]);
      const one = await readSides(okta, dialpad, store, config.rules, { onlyEmail: 'bob@acme.com', oktaConcurrency: 2 });
      expect([...(one.appliedValues?.keys() ?? [])]).toEqual([bobId]);
    } finally {
      await store.close();
    }
  });
});
