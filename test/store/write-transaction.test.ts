// Store writes made while another process holds the write lock of the same database: the daemon and a CLI command
// share one SQLite file. A store method that reads and then writes in one transaction must wait for the other
// writer (busy_timeout), not fail at once with SQLITE_BUSY; on PostgreSQL row locks wait anyway.
import { describe, expect, it } from 'vitest';
import type { HeldActionInput } from '../../src/store/held-actions.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';
import { rawDatabase } from './raw-database.js';

const T0 = new Date('2026-11-30T12:00:00.000Z');
/** How long the other process keeps its write transaction open: well under the 5 s busy_timeout. */
const HOLD_MS = 200;

const held: HeldActionInput = {
  userKey: 'okta:00u1',
  oktaUserId: '00u1',
  dialpadUserId: '6200000000000000001',
  email: 'liam.chen@example.com',
  kind: 'suspend',
  gate: 'mass-change',
  reason: 'held back by the mass-change guard',
};

/** A store method that reads and then writes in one transaction, and what it leaves behind to check. */
interface Case {
  name: string;
  /** Rows the method needs, written before the other process takes the lock. */
  setup: (store: Store) => Promise<void>;
  /** The write under test; resolves with what the test compares. */
  act: (store: Store) => Promise<unknown>;
  expected: unknown;
}

const CASES: Case[] = [
  {
    name: 'held.dismiss',
    setup: async (store) => store.held.settle({ runId: 'run-1', held: [held], scope: 'all', done: [] }).then(() => undefined),
    act: async (store) => (await store.held.dismiss('all', 'cli:tester@host')).map((h) => [h.email, h.decision]),
    expected: [['liam.chen@example.com', 'dismissed']],
  },
  {
    name: 'held.approve',
    setup: async (store) => store.held.settle({ runId: 'run-1', held: [held], scope: 'all', done: [] }).then(() => undefined),
    act: async (store) => (await store.held.approve('all', 'cli:tester@host', new Date(T0.getTime() + 3_600_000))).map((h) => [h.email, h.decision]),
    expected: [['liam.chen@example.com', 'approved']],
  },
  {
    name: 'held.expire',
    setup: async (store) => {
      await store.held.settle({ runId: 'run-1', held: [held], scope: 'all', done: [] });
      await store.held.approve('all', 'cli:tester@host', T0);
    },
    act: async (store) => (await store.held.expire(T0)).map((h) => h.email),
    expected: ['liam.chen@example.com'],
  },
  {
    name: 'held.settle',
    setup: async () => {},
    act: async (store) => {
      await store.held.settle({ runId: 'run-1', held: [held], scope: 'all', done: [] });
      return (await store.held.list()).map((h) => h.email);
    },
    expected: ['liam.chen@example.com'],
  },
  {
    name: 'runRequests.request and release',
    setup: async () => {},
    act: async (store) => {
      const { request } = await store.runRequests.request('cli:tester@host');
      await store.runRequests.take('replica-1');
      await store.runRequests.release(request.id, 'replica-1');
      return (await store.runRequests.pending())?.takenBy ?? null;
    },
    expected: null,
  },
  {
    name: 'consoleSessions.end',
    setup: async (store) => store.consoleSessions.create('session-id', { subject: '00u1', email: 'ada@example.com', name: 'Ada', role: 'admin' }).then(() => undefined),
    act: async (store) => (await store.consoleSessions.end('all')).map((s) => s.email),
    expected: ['ada@example.com'],
  },
  {
    name: 'apiTokens.create and revoke',
    setup: async () => {},
    act: async (store) => {
      await store.apiTokens.create({ name: 'ci', role: 'viewer', token: 'dst_'.padEnd(48, 'x'), createdBy: 'cli:tester@host' });
      return (await store.apiTokens.revoke('ci'))?.name;
    },
    expected: 'ci',
  },
  {
    name: 'userErrors.release',
    setup: async (store) => store.userErrors.record({ userKey: 'okta:00u1', oktaUserId: '00u1', email: 'liam.chen@example.com', runId: 'run-1', action: 'update', message: 'boom' }),
    act: async (store) => (await store.userErrors.release('liam.chen@example.com')).map((e) => e.email),
    expected: ['liam.chen@example.com'],
  },
  {
    name: 'links.save and transfer',
    setup: async () => {},
    act: async (store) => {
      await store.links.save({ oktaUserId: '00uOld', dialpadUserId: '6200000000000000001', origin: 'created' }, 'liam.chen@example.com');
      await store.links.transfer({ from: '00uOld', to: '00uNew', dialpadUserId: '6200000000000000001', origin: 'created' }, 'liam.chen@example.com');
      return (await store.links.all()).map((link) => link.oktaUserId);
    },
    expected: ['00uNew'],
  },
];

describe.each(STORE_BACKENDS)('read-then-write store transactions beside another writer on %s', (backend) => {
  const open = useStores(backend);

  it.each(CASES)('$name waits for the other writer to commit instead of failing busy', async ({ setup, act, expected }) => {
    const daemon = await open(() => T0);
    const cli = await open.another(daemon, () => T0);
    await daemon.runs.start('run-1', 'full', true);
    await setup(cli);

    // The daemon holds the write lock: its transaction has written and stays open until released.
    let release = (): void => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked = (): void => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const daemonWrite = rawDatabase(daemon).transaction(async (trx) => {
      await trx('audit_events').insert({ at: T0.toISOString(), actor: 'dialsync', action: 'release', target: null, detail: '{}' });
      locked();
      await released;
    });
    await isLocked;
    const timer = setTimeout(release, HOLD_MS);
    try {
      await expect(act(cli)).resolves.toEqual(expected);
    } finally {
      clearTimeout(timer);
      release();
      await daemonWrite;
    }
  });
});
