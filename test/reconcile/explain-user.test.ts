// explainOneUser against the sandbox, called as the console calls it: a managed user's explanation, an unmanaged
// Dialpad user's, an unknown email, and nothing written or recorded.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { explainOneUser, type ExplainUserDeps, type UserExplanation } from '../../src/reconcile/explain-user.js';
import { UserNotFoundError } from '../../src/reconcile/read-sides.js';
import { buildGateways, openStore } from '../../src/wiring/build.js';
import { hire } from '../e2e/world.js';
import { useWorld } from '../e2e/use-world.js';

const given = useWorld();

/** Runs `use` with the deps the console passes: gateways, an open store, the loaded config and a logger. */
async function withDeps<T>(use: (deps: ExplainUserDeps) => Promise<T>): Promise<T> {
  const { world } = given();
  const config = loadConfig({ env: world.env() });
  const logger = silentLogger();
  const store = await openStore(config);
  try {
    return await use({ gateways: buildGateways(config, logger), store, config, logger });
  } finally {
    await store.close();
  }
}

describe('explainOneUser', () => {
  it('a managed user: both sides, the rules behind office and license, and a next run that changes nothing', async () => {
    const { world, offices } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'London', licenseType: 'Dialpad_Ai Voice' });
    expect((await world.reconcile('--apply')).code).toBe(0);
    const dialpadUser = world.dialpadUserByEmail('ann@acme.com');
    world.clearRequests();

    const e: UserExplanation = await withDeps((deps) => explainOneUser(deps, 'Ann@Acme.com'));

    expect(e).toMatchObject({
      email: 'Ann@Acme.com',
      oktaUserId: ann,
      okta: { status: 'ACTIVE', inScope: true, scope: 'USER' },
      link: { oktaUserId: ann, dialpadUserId: dialpadUser?.id, origin: 'created' },
      relink: null,
      dialpad: { id: dialpadUser?.id, matchedBy: 'link', officeId: offices.london, officeName: 'London', license: 'talk' },
      office: { officeId: offices.london, officeName: 'London', rule: 'name', attribute: 'officeName', value: 'London' },
      license: { license: 'talk', source: 'alias', attribute: 'licenseType', value: 'Dialpad_Ai Voice' },
      number: { kind: 'has', number: dialpadUser?.phoneNumbers[0] },
      next: { actions: [], skipped: [], withheld: [] },
    });
    expect(e.okta?.attributes).toContainEqual(expect.objectContaining({ field: 'email', attribute: 'login', profile: 'user', value: 'ann@acme.com' }));
    // Read-only: nothing written, and only the apply above is a recorded run.
    expect(world.writeRequests()).toEqual([]);
    const runs = await world.withStore((store) => store.runs.recent(10));
    expect(runs).toHaveLength(1);
  });

  it('a Dialpad user no Okta user or link claims: explained as unmanaged', async () => {
    const { world, offices } = given();
    const desk = world.dialpad.addUser({ email: 'front.desk@acme.com', firstName: 'Front', lastName: 'Desk', officeId: offices.newYork });
    const e = await withDeps((deps) => explainOneUser(deps, 'front.desk@acme.com'));
    expect(e).toMatchObject({ oktaUserId: null, okta: null, link: null, dialpad: { id: desk, matchedBy: 'unmanaged', officeName: 'New York' } });
    expect(e.next.actions).toEqual([]);
  });

  it('an email neither Okta, a link nor a live Dialpad user holds: UserNotFoundError', async () => {
    const error = await withDeps((deps) => explainOneUser(deps, 'nobody@acme.com')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserNotFoundError);
    expect(error).toMatchObject({ code: 'user_not_found', email: 'nobody@acme.com' });
  });
});
