import { describe, expect, it } from 'vitest';
import { evaluateTargets, renderTable } from '../../bench/report.js';
import { runBench } from '../../bench/run-bench.js';
import { inProcessRunner } from '../../bench/runner.js';

describe('npm run bench (smoke)', () => {
  it('runs the initial and no-change scenarios at 100 users and reports every field', async () => {
    // Budgets × 100 (time scale) so the 100 creates are not paced at 15/s; no latency.
    const results = await runBench(
      { users: [100], scenarios: ['initial', 'no-change'], latencyMs: 0, timeScale: 100, incrementalChanges: 1, hookUsers: 1, seed: 7 },
      inProcessRunner,
    );
    expect(results.map((r) => r.scenario)).toEqual(['initial', 'no-change']);
    const [initial, noChange] = results;
    if (!initial || !noChange) throw new Error('missing results');

    expect(initial.users).toBe(100);
    expect(initial.dialpad.byEndpoint['POST /api/v2/users']).toBe(100);
    expect(initial.failedUsers).toBe(0);
    expect(initial.okta.byEndpoint['POST /api/v1/users/:id']).toBe(initial.minimum.writeBacks);
    for (const r of results) {
      expect(r.wallMs).toBeGreaterThan(0);
      expect(r.floor.dialsync.ms).toBeGreaterThan(0);
      expect(r.floor.api.ms).toBeLessThan(r.floor.dialsync.ms);
      expect(r.ratio.dialsync).toBeCloseTo(r.wallMs / r.floor.dialsync.ms, 6);
      expect(r.cpuMs).toBeGreaterThan(0);
      expect(r.maxRssMb).toBeGreaterThan(10);
      expect(r.isolated).toBe(false);
    }

    // The second run has nothing to do: no write on either side, one page of each listing.
    expect(noChange.okta.writes + noChange.dialpad.writes).toBe(0);
    expect(noChange.actions).toEqual({});
    expect(noChange.okta.byEndpoint['GET /api/v1/apps/:id/users']).toBe(1);
    expect(noChange.planningCpuMs).not.toBeNull();

    const targets = evaluateTargets(results);
    expect(targets.find((t) => t.target.startsWith('write-back'))?.met).toBe(true);
    expect(renderTable(results).split('\n')).toHaveLength(4);
  }, 20_000);
});
