// SIGTERM against a REAL child process (the built CLI). During an apply: the write in flight finishes and is
// journaled, nothing new starts (no create waiting for the rate limiter, no title PATCH or write-back of a user
// whose create was in flight), the process exits 0 within 10 s, and the next run finishes the rest. With APIs
// that cannot be reached or do not answer, it exits within 10 s too, with no retry after it says it stopped.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRequest } from '../../sandbox/http/server.js';
import { Store } from '../../src/store/store.js';
import { runBuiltCli, useBuiltCli, type ChildRun } from '../e2e/built-cli.js';
import { dialpadUsersWithEmail, eventually, hire, seedCompany, SLOW_CREATES, startSandboxes, sandboxEnv, writeConfig, type Sandboxes } from './harness.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';

/** The documented bound (README, Shutdown). */
const EXIT_WITHIN_MS = 10_000;

const builtCli = useBuiltCli();

/** Starts the built daemon; `signal()` sends SIGTERM and resolves with the exit and how long it took. */
function startDaemonProcess(env: NodeJS.ProcessEnv, config: string) {
  let child: ChildProcess | undefined;
  let stdout = '';
  const exited = runBuiltCli(builtCli(), ['daemon', '--config', config], env, (started) => {
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  });
  return {
    stdout: () => stdout,
    async signal(): Promise<ChildRun & { tookMs: number }> {
      const at = Date.now();
      child?.kill('SIGTERM');
      const result = await exited;
      return { ...result, tookMs: Date.now() - at };
    },
    kill: () => child?.kill('SIGTERM'),
    exited,
  };
}

const isWrite = (request: SandboxRequest): boolean => request.method !== 'GET' && request.method !== 'HEAD';

/** The run the signal interrupted is partial, and every write it sent is journaled as finished. */
async function expectInterruptedRun(sandboxes: Sandboxes): Promise<void> {
  const store = await Store.open(sandboxes.database);
  try {
    expect(await store.journal.unfinished()).toEqual([]);
    const [run] = await store.runs.recent(1);
    expect(run).toMatchObject({ kind: 'full', outcome: 'partial', error: 'interrupted by shutdown' });
  } finally {
    await store.close();
  }
}

/** The next run finishes the rest: one Dialpad user each (with its title), its number written back to Okta. */
async function expectNextRunFinishes(sandboxes: Sandboxes, names: readonly string[], ids: readonly string[], title?: string): Promise<void> {
  const { code, stderr } = await runCliInProcess(['reconcile', '--apply', '--json'], sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'warn' }));
  expect(code, stderr).toBe(0);
  for (const [index, name] of names.entries()) {
    const users = dialpadUsersWithEmail(sandboxes.dialpad, `${name}@acme.com`);
    expect(users).toHaveLength(1);
    if (title !== undefined) expect(users[0]?.jobTitle).toBe(title);
    expect(sandboxes.okta.getUser(ids[index] ?? '')?.profile.dialpadPhone).toBe(users[0]?.phoneNumbers[0]);
  }
}

describe('dialsync daemon on SIGTERM', () => {
  let sandboxes: Sandboxes;

  beforeAll(async () => {
    sandboxes = await startSandboxes(SLOW_CREATES);
    seedCompany(sandboxes.dialpad);
  }, 60_000);

  afterAll(async () => {
    await sandboxes.stop();
  });

  it('finishes the write in flight, journals it, exits 0 within 10 s; the next run does the rest without duplicates', async () => {
    const names = ['ann', 'bob', 'cat', 'dan', 'eve'];
    const ids = names.map((name) => hire(sandboxes.okta, `${name}@acme.com`, name, 'Lee'));
    const config = writeConfig(sandboxes, {}, { concurrency: 1 });
    let child: ChildProcess | undefined;
    let stdout = '';
    const exited = runBuiltCli(builtCli(), ['daemon', '--config', config], sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'trace' }), (started) => {
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
    await expectInterruptedRun(sandboxes);
    await expectNextRunFinishes(sandboxes, names, ids);
  }, 90_000);
});

/** Records the writes reaching both sandboxes (on arrival) and taking effect, with the time of each. */
class WriteLog {
  readonly arrived: { at: number; service: string; what: string }[] = [];
  readonly effected: { at: number; service: string; what: string }[] = [];
  onArrival: (service: string, request: SandboxRequest) => void = () => undefined;

  hooks(service: string) {
    return {
      onRequestArrived: (request: SandboxRequest) => {
        if (!isWrite(request)) return;
        this.arrived.push({ at: Date.now(), service, what: `${request.method} ${request.path}` });
        this.onArrival(service, request);
      },
      onWriteRequest: (_count: number, request: SandboxRequest) => void this.effected.push({ at: Date.now(), service, what: `${request.method} ${request.path}` }),
    };
  }

  /** Writes that had arrived and not yet taken effect at `at`. */
  inFlightAt(at: number): number {
    return this.arrived.filter((w) => w.at <= at).length - this.effected.filter((w) => w.at <= at).length;
  }
}

const isCreate = (request: SandboxRequest): boolean => request.method === 'POST' && request.path === '/api/v2/users';

describe('SIGTERM while ten creates wait for the rate limiter', () => {
  it('sends no write that had not started: the creates in flight finish, their title PATCH and write-back wait for the next run', async () => {
    const writes = new WriteLog();
    const sandboxes = await startSandboxes({
      dialpad: { faults: { rate: 1, kinds: ['slow'], slowMs: 1500, applies: isCreate }, ...writes.hooks('dialpad') },
      okta: writes.hooks('okta'),
    });
    try {
      seedCompany(sandboxes.dialpad);
      const names = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'jon'];
      const ids = names.map((name) => hire(sandboxes.okta, `${name}@acme.com`, name, 'Lee'));
      for (const id of ids) sandboxes.okta.updateProfile(id, { title: 'Engineer' });
      // Ten users at once, two Dialpad requests a second: when the second create arrives, eight wait their turn.
      const config = writeConfig(sandboxes, {}, { concurrency: 10, dialpad: { requestsPerSecond: 2 } });
      const daemon = startDaemonProcess(sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'info' }), config);
      let signalledAt = Number.POSITIVE_INFINITY;
      writes.onArrival = (_service, request) => {
        if (isCreate(request) && writes.arrived.length === 2 && signalledAt === Number.POSITIVE_INFINITY) {
          signalledAt = Date.now();
          daemon.kill();
        }
      };
      const result = await daemon.exited;

      expect(result.code, result.stderr).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(EXIT_WITHIN_MS);
      expect(writes.arrived.filter((w) => w.at > signalledAt)).toEqual([]);
      expect(writes.effected.filter((w) => w.at > signalledAt).length).toBeLessThanOrEqual(writes.inFlightAt(signalledAt));
      const created = names.filter((name) => dialpadUsersWithEmail(sandboxes.dialpad, `${name}@acme.com`).length > 0);
      expect(created).toHaveLength(2);
      expect(sandboxes.okta.listUsers().filter((user) => user.profile.dialpadPhone)).toEqual([]);

      await expectInterruptedRun(sandboxes);
      await expectNextRunFinishes(sandboxes, names, ids, 'Engineer');
    } finally {
      await sandboxes.stop();
    }
  }, 120_000);
});

/** A local port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** What the daemon logged after it said it had stopped. */
function afterStopped(stdout: string): string {
  const at = stdout.indexOf('dialsync daemon stopped');
  expect(at).toBeGreaterThan(-1);
  return stdout.slice(stdout.indexOf('\n', at) + 1);
}

describe('SIGTERM with APIs that cannot be reached or do not answer', () => {
  it('exits within 10 s when neither API can be reached, retrying nothing after it stopped', async () => {
    const sandboxes = await startSandboxes();
    try {
      const port = await closedPort();
      const env = sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'info', OKTA_ORG_URL: `http://127.0.0.1:${port}`, DIALPAD_BASE_URL: `http://127.0.0.1:${port}` });
      const daemon = startDaemonProcess(env, writeConfig(sandboxes));
      // The start-up access checks are retrying when the signal comes.
      await eventually(() => /retrying/.test(daemon.stdout()), 20_000, 'a retry of the access check');
      const result = await daemon.signal();

      expect(result.code, result.stderr).toBe(0);
      expect(result.tookMs).toBeLessThan(EXIT_WITHIN_MS);
      expect(afterStopped(result.stdout)).not.toMatch(/retrying|request/i);
    } finally {
      await sandboxes.stop();
    }
  }, 60_000);

  it('exits within 10 s when the listings hang: the reads are cut off', async () => {
    const writes = new WriteLog();
    let listingArrived = (): void => undefined;
    const arrived = new Promise<void>((resolve) => (listingArrived = resolve));
    const isListing = (request: SandboxRequest): boolean =>
      request.method === 'GET' && (request.path === '/api/v2/users' || /^\/api\/v1\/apps\/[^/]+\/users$/.test(request.path));
    const hang = { rate: 1, kinds: ['slow'] as const, slowMs: 600_000, applies: (request: SandboxRequest) => isListing(request) && (listingArrived(), true) };
    const sandboxes = await startSandboxes({ dialpad: { faults: hang, ...writes.hooks('dialpad') }, okta: { faults: hang, ...writes.hooks('okta') } });
    try {
      seedCompany(sandboxes.dialpad);
      hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
      const daemon = startDaemonProcess(sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'info' }), writeConfig(sandboxes));
      await arrived;
      const result = await daemon.signal();

      expect(result.code, result.stderr).toBe(0);
      expect(result.tookMs).toBeLessThan(EXIT_WITHIN_MS);
      expect(afterStopped(result.stdout)).toBe('');
      expect(writes.arrived).toEqual([]);
    } finally {
      await sandboxes.stop();
    }
  }, 60_000);

  it('exits within 10 s when a create hangs: the write in flight is given up after its grace, nothing else is sent', async () => {
    const writes = new WriteLog();
    const sandboxes = await startSandboxes({
      dialpad: { faults: { rate: 1, kinds: ['slow'], slowMs: 600_000, applies: isCreate }, ...writes.hooks('dialpad') },
      okta: writes.hooks('okta'),
    });
    try {
      seedCompany(sandboxes.dialpad);
      for (const name of ['ann', 'bob', 'cat']) hire(sandboxes.okta, `${name}@acme.com`, name, 'Lee');
      const daemon = startDaemonProcess(sandboxEnv(sandboxes, { DIALSYNC_LOG_LEVEL: 'info' }), writeConfig(sandboxes, {}, { concurrency: 1 }));
      await eventually(() => writes.arrived.length > 0, 20_000, 'the first create');
      const result = await daemon.signal();

      expect(result.code, result.stderr).toBe(0);
      expect(result.tookMs).toBeLessThan(EXIT_WITHIN_MS);
      expect(writes.arrived.map((w) => w.what)).toEqual(['POST /api/v2/users']);
      expect(afterStopped(result.stdout)).toBe('');
    } finally {
      await sandboxes.stop();
    }
  }, 60_000);
});
