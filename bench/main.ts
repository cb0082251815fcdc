// `npm run bench`: dialsync against the sandboxes at several org sizes, with per-request latency and rate limits,
// reported against the rate-limit floor. See README "Performance".
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { evaluateTargets, renderEndpoints, renderTable, renderTargets } from './report.js';
import { runBench } from './run-bench.js';
import { childProcessRunner, inProcessRunner } from './runner.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';

function positiveInts(value: string): number[] {
  const list = value.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError('expected positive integers separated by commas');
  return list;
}

function scenarioList(value: string): ScenarioName[] {
  const list = value.split(',').map((part) => part.trim());
  const unknown = list.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  return list as ScenarioName[];
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

async function main(): Promise<void> {
  const program = new Command('bench')
    .description('Benchmark dialsync against the sandboxes, against the rate-limit floor')
    .option('--users <list>', 'org sizes', positiveInts, [1000, 10000])
    .option('--scenarios <list>', `scenarios (${SCENARIOS.join(',')})`, scenarioList, [...SCENARIOS])
    .option('--latency-ms <ms>', 'per-request latency of both sandboxes', nonNegative, 50)
    .option('--time-scale <n>', 'budgets × n and floors ÷ n, so large runs finish in minutes', positive, 10)
    .option('--k <n>', 'changed users in the incremental cycle', positive, 10)
    .option('--hook-users <n>', 'users created one by one in the event-hook scenario', positive, 20)
    .option('--seed <n>', 'org generator seed', positive, 1)
    .option('--cpu-prof-dir <dir>', "write a V8 CPU profile of each dialsync child process there (node --cpu-prof)")
    .option('--in-process', 'run dialsync in this process (CPU and RSS then include the sandboxes)', false)
    .option('--out <file>', 'JSON results', 'bench-results.json');
  program.parse();
  const flags = program.opts<{
    users: number[];
    scenarios: ScenarioName[];
    latencyMs: number;
    timeScale: number;
    k: number;
    hookUsers: number;
    seed: number;
    inProcess: boolean;
    cpuProfDir?: string;
    out: string;
  }>();
  const settings = {
    users: flags.users,
    scenarios: flags.scenarios,
    latencyMs: flags.latencyMs,
    timeScale: flags.timeScale,
    incrementalChanges: Math.round(flags.k),
    hookUsers: Math.round(flags.hookUsers),
    seed: Math.round(flags.seed),
  };
  const results = await runBench({ ...settings, log: (line) => process.stderr.write(`${line}\n`) }, flags.inProcess
      ? inProcessRunner
      : childProcessRunner(flags.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${flags.cpuProfDir}`]),
  );
  const targets = evaluateTargets(results);
  const cpu = cpus();
  const output = {
    date: new Date().toISOString(),
    machine: { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    settings,
    targets,
    results,
  };
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, `${JSON.stringify(output, null, 1)}\n`);
  process.stdout.write(`${renderTable(results)}\n\nTargets:\n${renderTargets(targets)}\n\nRequests by endpoint:\n${renderEndpoints(results)}\n\nJSON: ${flags.out}\n`);
}

await main();
