// Someone creates the Dialpad user between dialsync's read and its create: Dialpad answers 409, and dialsync looks
// the user up and adopts it instead of failing or creating a second one.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { DialpadGateway } from '../../src/dialpad/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { buildGateways, buildReconcileDeps, openStore } from '../../src/wiring/build.js';
import { hire } from './world.js';
import { useWorld } from './use-world.js';

const given = useWorld();

/** The real client, except that right after it listed the users, an admin creates `email` in Dialpad. */
function racedBy(dialpad: DialpadGateway, createBehindOurBack: () => void): DialpadGateway {
  return new Proxy(dialpad, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'listUsers') {
        return async () => {
          const listing = await target.listUsers();
          createBehindOurBack();
          return listing;
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a create that meets a 409', () => {
  it('adopts the user that appeared between the read and the create', async () => {
    const { world, offices } = given();
    const ann = hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    let racer: string | undefined;
    const config = loadConfig({ env: world.env() });
    const gateways = buildGateways(config, silentLogger());
    const dialpad = racedBy(gateways.dialpad, () => {
      racer = world.dialpad.addUser({ email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', officeId: offices.newYork, phoneNumbers: ['+12125550177'] });
    });
    const store = await openStore(config);
    try {
      const report = await reconcile(
        { ...buildReconcileDeps(config, { gateways: { okta: gateways.okta, dialpad }, store, logger: silentLogger() }), concurrency: 2, oktaConcurrency: 2 },
        { apply: true },
      );
      // The plan (made before the racer appeared) said create; Dialpad refused it as a duplicate.
      expect(report.plan.users.flatMap((user) => user.actions.map((action) => action.kind))).toEqual(['create', 'write_back']);
      expect(world.dialpad.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/users').map((r) => r.status)).toEqual([409]);
      expect(report.result?.failedUsers).toEqual([]);
      expect(report.result?.actions.find((action) => action.kind === 'create')?.detail).toContain('adopted');

      const users = world.dialpad.users().filter((user) => user.emails.includes('ann@acme.com'));
      expect(users.map((user) => user.id)).toEqual([racer]);
      expect(await store.links.all()).toEqual([{ oktaUserId: ann, dialpadUserId: racer, origin: 'adopted' }]);
      expect(world.okta.getUser(ann)?.profile.dialpadPhone).toBe('+12125550177');
    } finally {
      await store.close();
    }
  });
});
