// `npm run bench`'s command line: the flags, their defaults, and the checks that refuse a bad combination.
import { Command, InvalidArgumentError, Option } from 'commander';
import { isPostgresDsn } from '../src/config/postgres-dsn.js';
import { BENCH_STORES, type BenchStore } from './postgres-databases.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';

/** The environment variable that may hold the PostgreSQL server's DSN instead of --database-url (kept off `ps`). */
export const DATABASE_URL_ENV = 'DIALSYNC_BENCH_DATABASE_URL';

/** What the command line asks for. */
export interface BenchOptions {
  users: number[];
  scenarios: ScenarioName[];
  /** The stores each size runs on, in the order given. */
  stores: BenchStore[];
  /** A server to make the PostgreSQL rows' databases on (secret); undefined: the bench starts an embedded one. */
  databaseUrl: string | undefined;
  latencyMs: number;
  timeScale: number;
  k: number;
  hookUsers: number;
  seed: number;
  inProcess: boolean;
  cpuProfDir: string | undefined;
  out: string;
}

function positiveInts(value: string): number[] {
  const list = value.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError('expected positive integers separated by commas');
  return list;
}

function listOf<T extends string>(known: readonly T[], what: string): (value: string) => T[] {
  return (value) => {
    const list = value.split(',').map((part) => part.trim());
    const unknown = list.filter((name) => !(known as readonly string[]).includes(name));
    if (unknown.length > 0) throw new InvalidArgumentError(`unknown ${what} ${unknown.join(', ')} (known: ${known.join(', ')})`);
    return [...new Set(list)] as T[];
  };
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function dsn(value: string): string {
  if (!isPostgresDsn(value)) throw new InvalidArgumentError('expected a postgres:// or postgresql:// DSN');
  return value;
}

/** The command, with its flags and defaults; parseBenchOptions reads it. */
export function benchCommand(): Command {
  return new Command('bench')
    .description('Benchmark dialsync against the sandboxes, against the rate-limit floor')
    .option('--users <list>', 'org sizes', positiveInts, [1000, 10000])
    .option(
      '--scenarios <list>',
      `scenarios (${SCENARIOS.join(',')}); shared-budget (Dialpad 12/s left while dialsync is configured at 15/s, then 20/s dropping to 10/s mid-run) and told-limit (configured 19/s of 20/s) are an initial sync each, on an org of their own, against a strict 1 s sliding window`,
      listOf(SCENARIOS, 'scenario'),
      [...SCENARIOS],
    )
    .option('--store <list>', `the stores each size runs on (${BENCH_STORES.join(',')}), each from an empty store`, listOf(BENCH_STORES, 'store'), ['sqlite'])
    .addOption(
      new Option('--database-url <dsn>', `PostgreSQL server to make each row's database on (needs CREATEDB; or ${DATABASE_URL_ENV}); default: an embedded server the bench starts and stops`).argParser(dsn),
    )
    .option('--latency-ms <ms>', 'per-request latency of both sandboxes', nonNegative, 50)
    .option(
      '--time-scale <n>',
      "budgets × n and floors ÷ n, so large runs finish in minutes; run shared-budget at 1: a 429's Retry-After (whole seconds) is not scaled",
      positive,
      10,
    )
    .option('--k <n>', 'changed users in the incremental cycle', positive, 10)
    .option('--hook-users <n>', 'users created one by one in the event-hook scenario', positive, 20)
    .option('--seed <n>', 'org generator seed', positive, 1)
    .option('--cpu-prof-dir <dir>', 'write a V8 CPU profile of each dialsync child process there (node --cpu-prof)')
    .option('--in-process', 'run dialsync in this process (CPU and RSS then include the sandboxes)', false)
    .option('--out <file>', 'JSON results', 'bench-results.json');
}

/**
 * Reads the arguments (without node and the script: `['--store', 'postgres']`) and the environment. A bad flag,
 * --database-url without a PostgreSQL store, or a DIALSYNC_BENCH_DATABASE_URL that is not a DSN is a usage error:
 * commander prints it and exits 1 (throws CommanderError after `command.exitOverride()`). Without a PostgreSQL
 * store the environment's DSN is ignored.
 */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv, command: Command = benchCommand()): BenchOptions {
  command.parse([...argv], { from: 'user' });
  const flags = command.opts<Omit<BenchOptions, 'stores' | 'databaseUrl'> & { store: BenchStore[]; databaseUrl?: string }>();
  const postgres = flags.store.includes('postgres');
  if (flags.databaseUrl !== undefined && !postgres) command.error('error: --database-url is for PostgreSQL rows: add --store postgres');
  const fromEnv = postgres ? env[DATABASE_URL_ENV] : undefined;
  if (fromEnv !== undefined && fromEnv !== '' && !isPostgresDsn(fromEnv)) command.error(`error: ${DATABASE_URL_ENV} is not a postgres:// or postgresql:// DSN`);
  const databaseUrl = flags.databaseUrl ?? (fromEnv === '' ? undefined : fromEnv);
  return {
    users: flags.users,
    scenarios: flags.scenarios,
    stores: flags.store,
    databaseUrl,
    latencyMs: flags.latencyMs,
    timeScale: flags.timeScale,
    k: flags.k,
    hookUsers: flags.hookUsers,
    seed: flags.seed,
    inProcess: flags.inProcess,
    cpuProfDir: flags.cpuProfDir,
    out: flags.out,
  };
}
