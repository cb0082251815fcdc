// SIGTERM against a one-shot `dialsync reconcile --apply` (a CronJob's stop, a terminal's Ctrl-C), in a REAL child
// process (the built CLI): the write in flight finishes and is journaled, nothing new starts, the process exits 1
// (some actions not run) within 10 s, and the next run finishes the rest without a second user.
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { dialpadUsersWithEmail, eventually, hire, sandboxEnv, SLOW_CREATES, useSandboxes, writeConfig } from '../daemon/harness.js';
import { runBuiltCli, useBuiltCli } from './built-cli.js';
import { runCliInProcess } from './in-process-cli.js';

const builtCli = useBuiltCli();

describe('dialsync reconcile --apply on SIGTERM', () => {
  const given = useSandboxes(SLOW_CREATES);

  it.each(['SIGTERM', 'SIGINT'] as const)('%s: finishes the write in flight, journals it, exits 1 within 10 s; the next run does the rest', async (signal) => {
    const sandboxes = given();
    const names = ['ann', 'bob', 'cat', 'dan', 'eve'];
    const ids = names.map((name) => hire(sandboxes.okta, `${name}@acme.com`, name, 'Lee'));
    const config = writeConfig(sandboxes, {}, { concurrency: 1 });
    let child: ChildProcess | undefined;
    let stderr = '';
    const exited = runBuiltCli(builtCli(), ['reconcile', '--apply', '--config', config], sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'trace' }), (started) => {
      child = started;
      started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    });

    // The first user is created; the next create is under way a moment later.
    await eventually(() => /"action":"create","outcome":"done"/.test(stderr), 20_000, 'the first create');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    child?.kill(signal);
    const result = await exited;
    const took = Date.now() - signalledAt;

    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(1);
    expect(took).toBeLessThan(10_000);
    expect(result.stderr).toContain(`dialsync: ${signal}: stopping after the write in flight`);

    const created = names.filter((name) => dialpadUsersWithEmail(sandboxes.dialpad, `${name}@acme.com`).length > 0);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.length).toBeLessThan(names.length);
    const store = await Store.open(sandboxes.database);
    try {
      expect(await store.journal.unfinished()).toEqual([]);
      const [run] = await store.runs.recent(1);
      expect(run).toMatchObject({ kind: 'reconcile', outcome: 'partial', error: 'interrupted by shutdown' });
    } finally {
      await store.close();
    }

    const next = await runCliInProcess(['reconcile', '--apply', '--json'], sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'warn' }));
    expect(next.code, next.stderr).toBe(0);
    for (const [index, name] of names.entries()) {
      const users = dialpadUsersWithEmail(sandboxes.dialpad, `${name}@acme.com`);
      expect(users).toHaveLength(1);
      expect(sandboxes.okta.getUser(ids[index] ?? '')?.profile.dialpadPhone).toBe(users[0]?.phoneNumbers[0]);
    }
  }, 90_000);
});

describe('dialsync reconcile on SIGTERM before the run began', () => {
  let oktaRequests = 0;
  // Okta answers after 3 s: the signal lands while the start-up access check waits for it.
  const given = useSandboxes({ okta: { latencyMs: 3000, onRequestArrived: () => (oktaRequests += 1) } });

  it('a signal during the access check is a stopped run (exit 4), not refused credentials (exit 3)', async () => {
    const sandboxes = given();
    hire(sandboxes.okta, 'zoe@acme.com', 'Zoe', 'Lee');
    let child: ChildProcess | undefined;
    const exited = runBuiltCli(builtCli(), ['reconcile', '--apply'], sandboxEnv(sandboxes), (started) => (child = started));
    await eventually(() => oktaRequests > 0, 20_000, 'the access check reaching Okta');
    child?.kill('SIGTERM');
    const result = await exited;
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('stopped by SIGTERM while checking access: nothing was read or changed');
    expect(dialpadUsersWithEmail(sandboxes.dialpad, 'zoe@acme.com')).toEqual([]);
  }, 60_000);
});
