// The run's JSON reports each API's adaptive rate budget: Dialpad's rate in requests per second and Okta's share
// per bucket, each with its ceiling and the 429s the run met.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { buildGateways, buildReconcileDeps, openStore } from '../../src/wiring/build.js';
import { hire } from './world.js';
import { useWorld } from './use-world.js';

let refused = 0;
// Dialpad's first answer to the user listing is a 429 (Retry-After: 1): another integration spent the budget.
const given = useWorld({ dialpad: { faults: { rate: 1, kinds: ['429'], applies: (request) => request.method === 'GET' && request.path === '/api/v2/users' && (refused += 1) === 1 } } });

describe('rate budgets in the run report', () => {
  it('reports the Dialpad rate cut by the 429 it met, and each Okta bucket that answered', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
    const config = loadConfig({ env: world.env() });
    const gateways = buildGateways(config, silentLogger());
    const store = await openStore(config);
    try {
      const report = await reconcile(buildReconcileDeps(config, { gateways, store, logger: silentLogger() }), { apply: true });
      expect(report.result?.failedUsers).toEqual([]);

      const dialpad = report.rates?.dialpad;
      expect(dialpad?.ceiling).toBe(config.dialpad.requestsPerSecond);
      expect(dialpad?.throttled).toBe(1);
      // Cut by 0.85 (the 429 came with a Retry-After that paused every request), and recovering by at most 0.5/s per
      // second since (the run takes about a second after the pause).
      expect(dialpad?.current).toBeGreaterThanOrEqual(config.dialpad.requestsPerSecond * 0.85);
      expect(dialpad?.current).toBeLessThan(config.dialpad.requestsPerSecond);
      expect(report.rates?.okta.apps).toEqual({ ceiling: config.okta.rateLimitShare, current: config.okta.rateLimitShare, throttled: 0 });
      expect(report.rates?.okta.user_writes?.throttled).toBe(0);

      // A second run reports the 429s it met itself: none.
      const second = await reconcile(buildReconcileDeps(config, { gateways, store, logger: silentLogger() }), { apply: false });
      expect(second.rates?.dialpad.throttled).toBe(0);
    } finally {
      await store.close();
    }
  });
});
