// The benchmark's driver: for each org size, a fresh pair of sandboxes and the scenarios in order.
import type { DialsyncRunner } from './runner.js';
import { BenchOrg, type BenchSettings, type ScenarioName, type ScenarioResult } from './scenarios.js';

export interface BenchRunOptions extends Omit<BenchSettings, 'users'> {
  users: number[];
  scenarios: ScenarioName[];
  log?: (line: string) => void;
}

/** Runs the scenarios for each size, in order: initial, no-change, churn, incremental, hook. */
export async function runBench(options: BenchRunOptions, runner: DialsyncRunner): Promise<ScenarioResult[]> {
  const log = options.log ?? (() => undefined);
  const results: ScenarioResult[] = [];
  for (const users of options.users) {
    const bench = new BenchOrg({ ...options, users }, runner);
    await bench.start();
    try {
      const wanted = new Set(options.scenarios);
      const record = (result: ScenarioResult): void => {
        results.push(result);
        log(`${result.scenario} @ ${users}: ${(result.wallMs / 1000).toFixed(2)} s, floor ${(result.floor.dialsync.ms / 1000).toFixed(2)} s, ${result.okta.total} Okta + ${result.dialpad.total} Dialpad requests`);
      };
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
  return results;
}
