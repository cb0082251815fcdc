// Several `dialsync daemon` replicas (real child processes of the built CLI) on one PostgreSQL database, against
// the sandboxes with a few hundred users and latency: exactly one leads and applies; a leader killed mid-apply is
// replaced within the lock's TTL and its work finished without a second user; a leader paused past the TTL wakes
// up fenced, writes nothing and steps down; a rolling restart of both loses no event hook delivery. Writes are
// counted at the sandboxes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOOK_ELIGIBLE_EVENT_TYPES } from '../../sandbox/okta/event-hooks.js';
import { RELEVANT_EVENT_TYPES } from '../../src/okta/relevant-events.js';
import { RUN_LOCK } from '../../src/store/leases.js';
import { openStore } from '../../src/wiring/build.js';
import { usePostgresDatabases } from '../support/postgres.js';
import { eventually, HOOK_SECRET, sandboxEnv, startSandboxes, type Sandboxes } from '../daemon/harness.js';
import { runBuiltCli, useBuiltCli } from './built-cli.js';
import { ReplicaProcess } from './replica-process.js';
import { ServiceProxy } from './service-proxy.js';

const USERS = 150;
/** Short, so a take-over is quick to watch; renewals every second. */
const TTL_SECONDS = 4;

const cli = useBuiltCli();
const freshDatabase = usePostgresDatabases();

let sandboxes: Sandboxes;
let database: string;
let dir: string;
const replicas: ReplicaProcess[] = [];

afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
  await sandboxes.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  // Fails here, not in a test, if the build did not produce the CLI.
  expect(cli().main).toMatch(/main\.js$/);
});

async function startWorld(): Promise<void> {
  sandboxes = await startSandboxes({ okta: { latencyMs: 10 }, dialpad: { latencyMs: 20 } });
  dir = mkdtempSync(join(tmpdir(), 'dialsync-replicas-'));
  database = await freshDatabase();
  const office = sandboxes.dialpad.addOffice({ name: 'New York', country: 'us', isPrimary: true, mainLine: '+12125550100' });
  sandboxes.dialpad.addNumbers(office, Array.from({ length: USERS + 10 }, (_, i) => `+1212555${String(1000 + i).padStart(4, '0')}`));
  for (let i = 0; i < USERS; i += 1) {
    const login = `user${String(i).padStart(3, '0')}@acme.com`;
    const id = sandboxes.okta.createUser({ email: login, login, firstName: 'User', lastName: `No${i}` });
    sandboxes.okta.assignUser(id);
  }
}

async function startReplica(name: string): Promise<ReplicaProcess> {
  const env = sandboxEnv(sandboxes, { DIALSYNC_DATABASE: database, DIALSYNC_HOOK_SECRET: HOOK_SECRET });
  const replica = await ReplicaProcess.start(cli(), name, dir, env, {
    logLevel: 'info',
    concurrency: 8,
    dialpad: { requestsPerSecond: 20 },
    lock: { ttlSeconds: TTL_SECONDS, renewIntervalSeconds: 1 },
    daemon: {
      schedule: '0 0 1 1 *',
      timezone: 'UTC',
      pollIntervalSeconds: 0,
      host: '127.0.0.1',
      port: 0,
      hooks: { enabled: true, batchDelaySeconds: 0.2, queuePollSeconds: 1 },
    },
  });
  replicas.push(replica);
  return replica;
}

/** Dialpad create requests (POST /api/v2/users) per email, as the sandbox received them. */
function createsPerEmail(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of sandboxes.dialpad.requests) {
    if (request.method !== 'POST' || request.path !== '/api/v2/users') continue;
    const email = (request.body as { email?: string } | undefined)?.email ?? '?';
    counts.set(email, (counts.get(email) ?? 0) + 1);
  }
  return counts;
}

/** Okta profile writes (the write-back of dialpadPhone) per Okta user. */
function writeBacksPerUser(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of sandboxes.okta.requests) {
    if (request.method !== 'POST' || !request.path.startsWith('/api/v1/users/')) continue;
    counts.set(request.path, (counts.get(request.path) ?? 0) + 1);
  }
  return counts;
}

function creates(): number {
  return [...createsPerEmail().values()].reduce((sum, n) => sum + n, 0);
}

/** Every assigned user (`users` of them) is in Dialpad with a number, and the number is written back to Okta. */
function allDone(users = USERS): boolean {
  const active = sandboxes.dialpad.users().filter((user) => user.state === 'active' && user.phoneNumbers.length > 0);
  if (active.length < users) return false;
  return sandboxes.okta.listUsers().every((user) => typeof user.profile.dialpadPhone === 'string');
}

function expectEachUserCreatedOnce(): void {
  const perEmail = createsPerEmail();
  expect(perEmail.size).toBe(USERS);
  expect([...perEmail.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  const emails = sandboxes.dialpad.users().filter((user) => user.state !== 'deleted').map((user) => user.emails[0]);
  expect(new Set(emails).size).toBe(emails.length);
  expect(emails).toHaveLength(USERS);
}

/** The replica that leads now (dialsync_leader 1), once exactly one of `among` says so. */
async function leaderAmong(among: ReplicaProcess[], timeoutMs: number): Promise<ReplicaProcess> {
  return eventually(
    async () => {
      const flags = await Promise.all(among.map((replica) => replica.leader()));
      return flags.filter((flag) => flag === 1).length === 1 ? among[flags.indexOf(1)] : undefined;
    },
    timeoutMs,
    'exactly one leader',
  );
}

/** Two replicas on the world, once the leader has created 40 of the users (its full run is mid-apply). */
async function twoReplicasMidApply(): Promise<{ leader: ReplicaProcess; follower: ReplicaProcess }> {
  await startWorld();
  const [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
  const leader = await leaderAmong([a, b], 15_000);
  await eventually(() => creates() >= 40, 60_000, '40 creates');
  return { leader, follower: leader === a ? b : a };
}

async function readLock() {
  const store = await openStore({ database });
  try {
    return await store.leases.current(RUN_LOCK);
  } finally {
    await store.close();
  }
}

describe('several daemon replicas on one PostgreSQL', () => {
  it('lets exactly one replica lead and apply: every user created once, each number written back once; followers stay ready', async () => {
    await startWorld();
    const [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
    const leader = await leaderAmong([a, b], 15_000);
    const follower = leader === a ? b : a;
    await eventually(allDone, 90_000, 'every user created and written back');

    expectEachUserCreatedOnce();
    expect([...writeBacksPerUser().values()].filter((n) => n !== 1)).toEqual([]);
    expect(await follower.leader()).toBe(0);
    expect(await follower.readyz()).toBe(200);
    expect(await leader.readyz()).toBe(200);
    expect(follower.logs).toContain('this replica follows');
    expect(follower.logs).not.toMatch(/"msg":"full run starting"/);

    // status names the leader: its pid, and that it is the daemon.
    const status = await runBuiltCli(cli(), ['status'], { DIALSYNC_DATABASE: database });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Run lock: held by the dialsync daemon on`);
    expect(status.stdout).toContain(`(pid ${leader.pid}), the leader`);
    expect(status.stdout).toContain('Daemon replicas (checked in the last hour: 2)');
    expect(status.stdout).toMatch(new RegExp(`:${leader.pid} +leader +\\S+ +ready`));
    expect(status.stdout).toMatch(new RegExp(`:${follower.pid} +follower +\\S+ +ready`));
    // The DSN's password appears nowhere in what status printed.
    expect(status.stdout + status.stderr).not.toContain(new URL(database).password);
  });

  it('replaces a leader SIGKILLed mid-apply within the TTL, and finishes its work without creating anyone twice', async () => {
    const { leader, follower } = await twoReplicasMidApply();

    leader.signal('SIGKILL');
    await leader.exited;
    const before = await readLock();
    await eventually(async () => (await follower.leader()) === 1, (TTL_SECONDS + 5) * 1000, 'the follower to lead');
    const after = await readLock();
    expect(after?.token).toBe((before?.token ?? 0) + 1);
    expect(after?.holder.pid).toBe(follower.pid);
    // Taken over at most a TTL (and a little scheduling slack) after the dead leader's last renewal.
    expect(Date.parse(after?.acquiredAt ?? '') - Date.parse(before?.renewedAt ?? '')).toBeLessThanOrEqual(TTL_SECONDS * 1000 + 1_500);

    await eventually(allDone, 90_000, 'every user created and written back');
    expectEachUserCreatedOnce();
    // A write-back in flight when the leader died may be sent again (it is idempotent); none more than that.
    expect([...writeBacksPerUser().values()].filter((n) => n > 2)).toEqual([]);
  });

  it('fences a leader SIGSTOPped past the TTL: after SIGCONT it writes nothing and steps down', async () => {
    const { leader, follower } = await twoReplicasMidApply();

    leader.signal('SIGSTOP');
    await eventually(async () => (await follower.leader()) === 1, (TTL_SECONDS + 15) * 1000, 'the follower to lead');
    await eventually(allDone, 90_000, 'every user created and written back');
    const writesBefore = sandboxes.dialpad.requests.filter((r) => r.method !== 'GET').length + sandboxes.okta.requests.filter((r) => r.method !== 'GET').length;

    leader.signal('SIGCONT');
    await eventually(async () => (await leader.leader()) === 0, 15_000, 'the old leader to step down');
    await eventually(() => leader.logs.includes('no longer leads'), 10_000, 'the old leader to log that it stepped down');
    // Give it time to try whatever it had queued: the next renewal, its run's next steps.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const writesAfter = sandboxes.dialpad.requests.filter((r) => r.method !== 'GET').length + sandboxes.okta.requests.filter((r) => r.method !== 'GET').length;
    expect(writesAfter).toBe(writesBefore);
    expectEachUserCreatedOnce();
    expect(await follower.leader()).toBe(1);
    expect((await readLock())?.holder.pid).toBe(follower.pid);
  });

  it('loses no event hook delivery during a rolling restart of both replicas: every event accepted is queued and drained', async () => {
    await startWorld();
    const service = await ServiceProxy.start();
    try {
      let [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
      service.add(a);
      service.add(b);
      await leaderAmong([a, b], 15_000);
      await eventually(allDone, 90_000, 'the first full run');
      const eventTypes = RELEVANT_EVENT_TYPES.filter((type) => HOOK_ELIGIBLE_EVENT_TYPES.has(type));
      await sandboxes.okta.registerEventHook({ url: `${service.url}/hooks/okta`, secret: HOOK_SECRET, eventTypes });

      const HIRES = 30;
      const hiring = (async () => {
        for (let i = 0; i < HIRES; i += 1) {
          const login = `hire${String(i).padStart(2, '0')}@acme.com`;
          sandboxes.okta.assignUser(sandboxes.okta.createUser({ email: login, login, firstName: 'Hire', lastName: `No${i}` }));
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      })();
      // A rolling update with maxUnavailable 0: each new replica is ready before the old one leaves the Service.
      for (const name of ['a', 'b'] as const) {
        const old = name === 'a' ? a : b;
        const replacement = await startReplica(`${name}2`);
        service.add(replacement);
        service.remove(old);
        await old.stop();
        if (name === 'a') a = replacement;
        else b = replacement;
      }
      await hiring;
      await sandboxes.okta.settleEventHooks();

      // Every delivery was answered 200 in the end (Okta retries once), so Okta considers every event delivered.
      const lastAttempt = new Map<string, number | null>();
      for (const delivery of sandboxes.okta.hookDeliveries) lastAttempt.set(delivery.eventId, delivery.status);
      expect([...lastAttempt.values()].filter((status) => status !== 200)).toEqual([]);
      const delivered = new Set(sandboxes.okta.hookDeliveries.filter((d) => d.status === 200).flatMap((d) => d.eventUuids));
      expect(delivered.size).toBeGreaterThanOrEqual(HIRES);

      await eventually(() => allDone(USERS + HIRES), 90_000, 'every hire created and written back');
      const store = await openStore({ database });
      try {
        // Drained: nothing accepted is left in the queue; the leader ran the hook runs.
        await eventually(async () => (await store.hookQueue.size()) === 0, 15_000, 'the hook queue drained');
        expect((await store.runs.recent(50)).some((run) => run.kind === 'hook')).toBe(true);
      } finally {
        await store.close();
      }
      const perEmail = createsPerEmail();
      expect([...perEmail.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(perEmail.size).toBe(USERS + HIRES);
    } finally {
      await service.stop();
    }
  });
});
