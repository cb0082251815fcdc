// `npm run bench`: dialsync against the sandboxes at several org sizes, with per-request latency and rate limits,
// on SQLite and/or PostgreSQL, reported against the rate-limit floor. See README "Performance".
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { parseBenchOptions } from './options.js';
import { embeddedPostgresDatabases, postgresDatabasesOn, type PostgresDatabases } from './postgres-databases.js';
import { evaluateTargets, renderEndpoints, renderPipeline, renderTable, renderTargets } from './report.js';
import { runBench } from './run-bench.js';
import { childProcessRunner, inProcessRunner } from './runner.js';

async function main(): Promise<void> {
  const flags = parseBenchOptions(process.argv.slice(2), process.env);
  const settings = {
    users: flags.users,
    scenarios: flags.scenarios,
    stores: flags.stores,
    latencyMs: flags.latencyMs,
    timeScale: flags.timeScale,
    incrementalChanges: Math.round(flags.k),
    hookUsers: Math.round(flags.hookUsers),
    seed: Math.round(flags.seed),
  };
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let postgres: PostgresDatabases | undefined;
  if (flags.stores.includes('postgres')) {
    postgres = flags.databaseUrl === undefined ? await embeddedPostgresDatabases() : postgresDatabasesOn(flags.databaseUrl);
    log(`PostgreSQL rows: a fresh database per org size on ${postgres.server === 'embedded' ? 'an embedded server (stopped at the end)' : postgres.server}`);
  }
  let results;
  try {
    results = await runBench({ ...settings, ...(postgres ? { postgres } : {}), log }, flags.inProcess
        ? inProcessRunner
        : childProcessRunner(flags.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${flags.cpuProfDir}`]),
    );
  } finally {
    await postgres?.close();
  }
  const targets = evaluateTargets(results);
  const cpu = cpus();
  const output = {
    date: new Date().toISOString(),
    machine: { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    settings: { ...settings, ...(postgres ? { postgresServer: postgres.server } : {}) },
    targets,
    results,
  };
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, `${JSON.stringify(output, null, 1)}\n`);
  const pipeline = renderPipeline(results);
  process.stdout.write(`${renderTable(results)}\n\n${pipeline === '' ? '' : `Initial syncs, each side, and Dialpad budgets:\n${pipeline}\n\n`}Targets:\n${renderTargets(targets)}\n\nRequests by endpoint:\n${renderEndpoints(results)}\n\nJSON: ${flags.out}\n`);
}

await main();
