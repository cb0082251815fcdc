// SIGTERM during an apply, against a REAL child process (the built CLI): the write in flight finishes and is
// journaled, nothing new starts, the process exits 0 within 10 s, and the next run finishes the rest.
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { Store } from '../../src/store/store.js';
import { buildCli, runBuiltCli, type BuiltCli } from '../e2e/built-cli.js';
import { dialpadUsersWithEmail, eventually, hire, seedCompany, startSandboxes, sandboxEnv, writeConfig, type Sandboxes } from './harness.js';

let cli: BuiltCli;
let sandboxes: Sandboxes;

beforeAll(async () => {
  cli = await buildCli();
  // Every Dialpad create takes a second, so a SIGTERM lands while one is in flight.
  sandboxes = await startSandboxes({
    dialpad: { faults: { rate: 1, kinds: ['slow'], slowMs: 1000, applies: (request) => request.method === 'POST' && request.path === '/api/v2/users' } },
  });
  seedCompany(sandboxes.dialpad);
}, 180_000);

afterAll(async () => {
  await sandboxes.stop();
  cli.remove();
});

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('dialsync daemon on SIGTERM', () => {
  it('finishes the write in flight, journals it, exits 0 within 10 s; the next run does the rest without duplicates', async () => {
    const names = ['ann', 'bob', 'cat', 'dan', 'eve'];
    const ids = names.map((name) => hire(sandboxes.okta, `${name}@acme.com`, name, 'Lee'));
    const config = writeConfig(sandboxes, {}, { concurrency: 1 });
    let child: ChildProcess | undefined;
    let stdout = '';
    const exited = runBuiltCli(cli, ['daemon', '--config', config], sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'trace' }), (started) => {
      child = started;
      started.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    });

    // The first user is created; the next create is under way a moment later.
    await eventually(() => /"action":"create","outcome":"done"/.test(stdout), 20_000, 'the first create');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    child?.kill('SIGTERM');
    const result = await exited;
    const took = Date.now() - signalledAt;

    expect(result.code, result.stderr).toBe(0);
    expect(result.signal).toBeNull();
    expect(took).toBeLessThan(10_000);
    expect(result.stdout).toMatch(/dialsync daemon stopped/);
    for (const secret of [sandboxes.okta.token, sandboxes.dialpad.apiKey]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }

    const created = names.filter((name) => dialpadUsersWithEmail(sandboxes.dialpad, `${name}@acme.com`).length > 0);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.length).toBeLessThan(names.length);
    const store = await Store.open(sandboxes.database);
    try {
      expect(await store.journal.unfinished()).toEqual([]);
      const [run] = await store.runs.recent(1);
      expect(run).toMatchObject({ kind: 'full', outcome: 'partial', error: 'interrupted by shutdown' });
    } finally {
      await store.close();
    }

    const out = new Capture();
    const err = new Capture();
    const code = await runCli(['reconcile', '--apply', '--json'], { env: sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'warn' }), stdout: out, stderr: err });
    expect(code, err.text).toBe(0);
    for (const [index, name] of names.entries()) {
      const users = dialpadUsersWithEmail(sandboxes.dialpad, `${name}@acme.com`);
      expect(users).toHaveLength(1);
      expect(sandboxes.okta.getUser(ids[index] ?? '')?.profile.dialpadPhone).toBe(users[0]?.phoneNumbers[0]);
    }
  }, 90_000);
});
