// The benchmark's driver: for each org size and each store, a fresh pair of sandboxes, a fresh store, and the
// scenarios in order.
import type { BenchDatabase, BenchStore, PostgresDatabases } from './postgres-databases.js';
import type { DialsyncRunner } from './runner.js';
import { BenchOrg, type BenchSettings, type ScenarioName, type ScenarioResult } from './scenarios.js';

export interface BenchRunOptions extends Omit<BenchSettings, 'users' | 'store' | 'database'> {
  users: number[];
  scenarios: ScenarioName[];
  /** The stores each size runs on, in this order (default: SQLite only). */
  stores?: BenchStore[];
  /** Where the PostgreSQL rows get their empty databases; required when `stores` holds 'postgres'. */
  postgres?: PostgresDatabases;
  log?: (line: string) => void;
}

/**
 * Runs the scenarios for each size, on each store, in order: initial, no-change, churn, incremental, hook. Each
 * (size, store) starts from an empty store: a new SQLite file, or a new PostgreSQL database dropped afterwards.
 */
export async function runBench(options: BenchRunOptions, runner: DialsyncRunner): Promise<ScenarioResult[]> {
  const log = options.log ?? (() => undefined);
  const results: ScenarioResult[] = [];
  const stores = options.stores ?? ['sqlite'];
  for (const users of options.users) {
    for (const store of stores) {
      let database: BenchDatabase | undefined;
      if (store === 'postgres') {
        if (options.postgres === undefined) throw new Error('PostgreSQL rows need a server to make their databases on');
        database = await options.postgres.create();
      }
      try {
        await runOrg({ ...options, users, store, ...(database ? { database: database.dsn } : {}) }, runner, (result) => {
          results.push(result);
          log(`${result.scenario} @ ${users} on ${store}: ${(result.wallMs / 1000).toFixed(2)} s, floor ${(result.floor.dialsync.ms / 1000).toFixed(2)} s, ${result.okta.total} Okta + ${result.dialpad.total} Dialpad requests`);
        });
      } finally {
        await database?.drop();
      }
    }
  }
  return results;
}

async function runOrg(settings: BenchSettings & { scenarios: ScenarioName[] }, runner: DialsyncRunner, record: (result: ScenarioResult) => void): Promise<void> {
  const bench = new BenchOrg(settings, runner);
  await bench.start();
  try {
    const wanted = new Set(settings.scenarios);
    if (wanted.has('initial')) record(await bench.initial());
    else if (wanted.size > 0) {
      // Large orgs skip the hours-long initial sync: the synced state is seeded and adopted once.
      bench.seedSynced();
      record(await bench.adopt());
    }
    if (wanted.has('no-change')) record(await bench.noChange());
    if (wanted.has('churn')) record(await bench.churn());
    if (wanted.has('incremental')) record(await bench.incremental());
    if (wanted.has('hook')) record(await bench.hook());
  } finally {
    await bench.stop();
  }
}
