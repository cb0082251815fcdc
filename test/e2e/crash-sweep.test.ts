// Crash safety, proven the hard way: for every k, a real `dialsync reconcile --apply` process is SIGKILLed right
// after its k-th write request reached a sandbox (the write took effect, the answer never came back), then run
// again to completion once the killed run's lease on the run lock has expired (in-process: the same code, without loading the Okta SDK a second time, which halves the
// sweep's time on a small machine). Whatever k, the end state must be the one an uninterrupted run leaves: no second Dialpad
// user, no lost write-back. And the killed run's record does not stay `running`: the rerun closes it.
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { WriteRequestHook } from '../../sandbox/http/server.js';
import type { StatusReport } from '../../src/cli/commands/status-command.js';
import { LOST_HOLDER_PROBLEM } from '../../src/store/runs.js';
import { runBuiltCli, useBuiltCli } from './built-cli.js';
import { buildScenario, endState, invariantViolations, runInProcess, type EndState, type ScenarioWorld } from './sync-scenario.js';

const builtCli = useBuiltCli();

/** One world whose write requests, on both sandboxes, are counted together; `killAt` arms the crash. */
async function countingWorld(): Promise<{ world: ScenarioWorld; writes: () => number; armKill: (k: number, child: () => ChildProcess | undefined) => void }> {
  let writes = 0;
  let killAt = Number.POSITIVE_INFINITY;
  let target: () => ChildProcess | undefined = () => undefined;
  const onWriteRequest: WriteRequestHook = () => {
    writes += 1;
    if (writes !== killAt) return undefined;
    target()?.kill('SIGKILL');
    return 'drop';
  };
  const world = await buildScenario({ okta: { onWriteRequest }, dialpad: { onWriteRequest } });
  return {
    world,
    writes: () => writes,
    armKill: (k, child) => {
      killAt = k;
      target = child;
    },
  };
}

describe('SIGKILL after every write request', () => {
  it('a rerun after a crash at any write leaves the same end state as an uninterrupted run', async () => {
    // The uninterrupted run: its end state is the reference, its write count the sweep's range.
    const clean = await countingWorld();
    let reference: EndState;
    let totalWrites: number;
    try {
      const run = await runBuiltCli(builtCli(), ['reconcile', '--apply', '--json', '--config', clean.world.configFile], clean.world.env());
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { plan: { users: { actions: { kind: string }[] }[] } };
      const kinds = new Set(report.plan.users.flatMap((user) => user.actions.map((action) => action.kind)));
      expect([...kinds].sort()).toEqual(['adopt', 'assign_number', 'create', 'move_office', 'reactivate', 'suspend', 'update', 'write_back']);
      expect(invariantViolations(clean.world)).toEqual([]);
      reference = endState(clean.world);
      totalWrites = clean.writes();
      // Creates with a title (create + PATCH), creates without, and every other kind: well over 20 writes.
      expect(totalWrites).toBeGreaterThanOrEqual(25);
    } finally {
      await clean.world.stop();
    }

    const failures: string[] = [];
    for (let k = 1; k <= totalWrites; k += 1) {
      const { world, writes, armKill } = await countingWorld();
      try {
        let child: ChildProcess | undefined;
        armKill(k, () => child);
        const crashed = await runBuiltCli(builtCli(), ['reconcile', '--apply', '--config', world.configFile], world.env(), (started) => (child = started));
        if (crashed.signal !== 'SIGKILL') failures.push(`k=${k}: the run was not killed (exit ${String(crashed.code)}, ${writes()} writes)`);
        armKill(Number.POSITIVE_INFINITY, () => undefined);

        // The killed run's lease is still in the database: the rerun waits for it to expire (lock.ttlSeconds 3), as
        // the next CronJob run would find it expired.
        const rerun = await runInProcess(world, ['reconcile', '--apply', '--lock-wait', '10']);
        if (rerun.code !== 0) failures.push(`k=${k}: the rerun exited ${rerun.code}: ${rerun.stderr.slice(0, 500)}`);
        for (const problem of invariantViolations(world)) failures.push(`k=${k}: ${problem}`);
        try {
          expect(endState(world)).toEqual(reference);
        } catch (error) {
          failures.push(`k=${k}: end state differs from the uninterrupted run: ${(error as Error).message.slice(0, 1500)}`);
        }
      } finally {
        await world.stop();
      }
    }
    expect(failures).toEqual([]);
  }, 900_000);
});

describe('a run killed mid-run', () => {
  it("is closed as partial, with why, by the next applying run once the killed process's run lock expired", async () => {
    const { world, armKill } = await countingWorld();
    const runs = async () => {
      const status = await runInProcess(world, ['status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      return (JSON.parse(status.stdout) as StatusReport).runs.map((run) => ({ kind: run.kind, apply: run.apply, outcome: run.outcome, error: run.error, finished: run.finishedAt !== null }));
    };
    try {
      let child: ChildProcess | undefined;
      armKill(5, () => child);
      const crashed = await runBuiltCli(builtCli(), ['reconcile', '--apply', '--config', world.configFile], world.env(), (started) => (child = started));
      expect(crashed.signal).toBe('SIGKILL');
      armKill(Number.POSITIVE_INFINITY, () => undefined);
      // A dry run takes no lock: going or done, it is never taken for a dead holder's run.
      expect((await runInProcess(world, ['reconcile'])).code).toBe(0);
      expect(await runs()).toEqual([
        { kind: 'reconcile', apply: false, outcome: 'succeeded', error: null, finished: true },
        { kind: 'reconcile', apply: true, outcome: 'running', error: null, finished: false },
      ]);

      const rerun = await runInProcess(world, ['reconcile', '--apply', '--lock-wait', '10']);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stderr).toContain('closed 1 run left running by a process that lost the run lock');
      expect(await runs()).toEqual([
        { kind: 'reconcile', apply: true, outcome: 'succeeded', error: null, finished: true },
        { kind: 'reconcile', apply: false, outcome: 'succeeded', error: null, finished: true },
        { kind: 'reconcile', apply: true, outcome: 'partial', error: LOST_HOLDER_PROBLEM, finished: true },
      ]);
    } finally {
      await world.stop();
    }
  }, 120_000);
});
