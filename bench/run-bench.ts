// The benchmark's driver: for each org size and each store, a fresh pair of sandboxes, a fresh store, and the
// scenarios in order; each Dialpad budget of shared-budget and told-limit on a fresh org and store of its own.
import type { BenchDatabase, BenchStore, PostgresDatabases } from './postgres-databases.js';
import { BUDGET_VARIANTS, type DialpadBudgetVariant } from './dialpad-budgets.js';
import type { DialsyncRunner } from './runner.js';
import { BenchOrg, BUDGET_SCENARIOS, type BenchSettings, type ScenarioName, type ScenarioResult } from './scenarios.js';

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
 * Runs the scenarios for each size, on each store, in order: initial, no-change, churn, incremental, hook on one
 * org; then shared-budget (12/s available, then 20/s dropping to 10/s) and told-limit, an initial sync each on an
 * org of its own. Each org starts from an empty store: a new SQLite file, or a new PostgreSQL database dropped
 * afterwards.
 */
export async function runBench(options: BenchRunOptions, runner: DialsyncRunner): Promise<ScenarioResult[]> {
  const log = options.log ?? (() => undefined);
  const results: ScenarioResult[] = [];
  const stores = options.stores ?? ['sqlite'];
  const shared = options.scenarios.filter((scenario) => !BUDGET_SCENARIOS.includes(scenario));
  const budgets = options.scenarios.flatMap((scenario) => (scenario === 'shared-budget' || scenario === 'told-limit' ? BUDGET_VARIANTS[scenario] : []));
  for (const users of options.users) {
    for (const store of stores) {
      const record = (result: ScenarioResult): void => {
        results.push(result);
        log(`${result.scenario} @ ${users} on ${store}: ${(result.wallMs / 1000).toFixed(2)} s, floor ${(result.floor.dialsync.ms / 1000).toFixed(2)} s, ${result.okta.total} Okta + ${result.dialpad.total} Dialpad requests`);
      };
      if (shared.length > 0) await withDatabase(options, store, (database) => runOrg({ ...options, users, store, ...database, scenarios: shared }, runner, record));
      for (const budget of budgets) {
        await withDatabase(options, store, (database) => runBudgetOrg({ ...options, users, store, ...database }, budget, runner, record));
      }
    }
  }
  return results;
}

/** Runs `use` with an empty database of its own on PostgreSQL (dropped afterwards), or none on SQLite. */
async function withDatabase(options: BenchRunOptions, store: BenchStore, use: (database: { database?: string }) => Promise<void>): Promise<void> {
  let database: BenchDatabase | undefined;
  if (store === 'postgres') {
    if (options.postgres === undefined) throw new Error('PostgreSQL rows need a server to make their databases on');
    database = await options.postgres.create();
  }
  try {
    await use(database ? { database: database.dsn } : {});
  } finally {
    await database?.drop();
  }
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

/** One initial sync on a fresh org under `budget` (BenchOrg.budgetRun). */
async function runBudgetOrg(settings: BenchSettings, budget: DialpadBudgetVariant, runner: DialsyncRunner, record: (result: ScenarioResult) => void): Promise<void> {
  const bench = new BenchOrg(settings, runner, budget);
  await bench.start();
  try {
    record(await bench.budgetRun());
  } finally {
    await bench.stop();
  }
}
