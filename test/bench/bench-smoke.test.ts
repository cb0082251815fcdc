import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { postgresDatabasesOn } from '../../bench/postgres-databases.js';
import { evaluateTargets, renderPipeline, renderTable } from '../../bench/report.js';
import { runBench } from '../../bench/run-bench.js';
import { inProcessRunner } from '../../bench/runner.js';
import { postgresAdminDsn } from '../support/postgres.js';

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
    // The initial sync's two sides, each from the run's first request.
    expect(initial.pipeline?.dialpadDoneMs).toBeGreaterThan(0);
    expect(initial.pipeline?.writeBacksDoneMs).toBeGreaterThan(0);
    expect(initial.pipeline?.dialpadFloorMs).toBe(initial.floor.dialsync.byBucket.dialpad);
    expect(noChange.pipeline).toBeUndefined();

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

describe('npm run bench -- --scenarios shared-budget,told-limit (smoke)', () => {
  it('runs an initial sync per Dialpad budget, each on an org of its own, and reports the 429s and each side against its floor', async () => {
    const results = await runBench(
      { users: [60], scenarios: ['shared-budget', 'told-limit'], latencyMs: 0, timeScale: 100, incrementalChanges: 1, hookUsers: 1, seed: 5 },
      inProcessRunner,
    );
    expect(results.map((r) => r.scenario)).toEqual(['shared-budget', 'shared-budget-drop', 'told-limit']);
    expect(results.map((r) => [r.budget?.availablePerSecond, r.budget?.dropsToPerSecond, r.budget?.configuredPerSecond])).toEqual([
      [12, null, 15],
      [20, 10, 15],
      [20, null, 19],
    ]);
    for (const r of results) {
      // Each org starts empty: everyone is created and every number written back, whatever the budget.
      expect(r.dialpad.byEndpoint['POST /api/v2/users']).toBeGreaterThanOrEqual(60);
      expect(r.failedUsers).toBe(0);
      expect(r.okta.byEndpoint['POST /api/v1/users/:id']).toBe(r.minimum.writeBacks);
      expect(r.budget?.dialpadRequests).toBe(r.dialpad.total);
      expect(r.budget?.rateLimited).toBe(r.dialpad.rateLimited);
      expect(r.budget?.floorMs).toBeGreaterThan(0);
      expect(r.pipeline?.dialpadDoneMs).toBeGreaterThan(0);
      expect(r.pipeline?.writeBacksDoneMs).toBeGreaterThan(0);
    }
    const targets = evaluateTargets(results);
    expect(targets.filter((t) => /shared budget|told the limit/.test(t.target)).map((t) => t.met)).toEqual([null, null, null]);
    expect(renderPipeline(results).split('\n')).toHaveLength(6);
  }, 60_000);
});

describe('npm run bench -- --store sqlite,postgres (smoke)', () => {
  it('runs each row on both stores, from an empty store each, and labels the rows with their store', async () => {
    const results = await runBench(
      {
        users: [100],
        scenarios: ['initial', 'no-change'],
        stores: ['sqlite', 'postgres'],
        postgres: postgresDatabasesOn(postgresAdminDsn()),
        latencyMs: 0,
        timeScale: 100,
        incrementalChanges: 1,
        hookUsers: 1,
        seed: 7,
      },
      inProcessRunner,
    );
    expect(results.map((r) => `${r.scenario} ${r.store}`)).toEqual(['initial sqlite', 'no-change sqlite', 'initial postgres', 'no-change postgres']);
    const lite = results.filter((r) => r.store === 'sqlite');
    const pg = results.filter((r) => r.store === 'postgres');
    // The PostgreSQL org starts from an empty database: it creates everyone, as the SQLite one does, then has nothing to do.
    expect(pg.map((r) => [r.okta.byEndpoint, r.dialpad.byEndpoint])).toEqual(lite.map((r) => [r.okta.byEndpoint, r.dialpad.byEndpoint]));
    expect(pg[0]?.dialpad.byEndpoint['POST /api/v2/users']).toBe(100);
    expect(pg[1]?.okta.writes).toBe(0);
    expect(pg[1]?.dialpad.writes).toBe(0);
    expect(pg[1]?.actions).toEqual({});

    const table = renderTable(results).split('\n');
    expect(table[0]).toMatch(/^\| scenario \| store \| N \|/);
    expect(table.slice(2).map((row) => row.split(' | ').slice(0, 3).join(' | '))).toEqual([
      '| initial | SQLite | 100',
      '| no-change | SQLite | 100',
      '| initial | PostgreSQL | 100',
      '| no-change | PostgreSQL | 100',
    ]);

    const targets = evaluateTargets(results);
    expect(targets.find((t) => t.target.startsWith('PostgreSQL: write-back'))?.met).toBe(true);
    expect(targets.find((t) => t.target.startsWith('SQLite: write-back'))?.met).toBe(true);
    expect(targets.find((t) => t.target.startsWith('PostgreSQL rows as the SQLite rows'))?.detail).toContain('initial@100: requests');
  }, 30_000);

  it('drops each row’s PostgreSQL database afterwards', async () => {
    const before = await databaseNames();
    await runBench(
      { users: [20], scenarios: ['no-change'], stores: ['postgres'], postgres: postgresDatabasesOn(postgresAdminDsn()), latencyMs: 0, timeScale: 100, incrementalChanges: 1, hookUsers: 1, seed: 3 },
      inProcessRunner,
    );
    expect((await databaseNames()).filter((name) => name.startsWith('dialsync_bench_') && !before.includes(name))).toEqual([]);
  });
});

async function databaseNames(): Promise<string[]> {
  const admin = knexFactory({ client: 'pg', connection: postgresAdminDsn(), pool: { min: 0, max: 1 } });
  try {
    const rows = (await admin('pg_database').select('datname')) as { datname: string }[];
    return rows.map((row) => row.datname);
  } finally {
    await admin.destroy();
  }
}
