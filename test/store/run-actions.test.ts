// Each run's actions with their outcomes, and the runs' pages and counts the console reads
// (migrations/20261130190000_console_history.js).
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/log/redactor.js';
import type { RunActionInput } from '../../src/store/run-actions.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';

function action(email: string, overrides: Partial<RunActionInput> = {}): RunActionInput {
  return {
    userKey: `okta:${email}`,
    oktaUserId: `00u-${email}`,
    dialpadUserId: null,
    email,
    kind: 'create',
    reason: 'newly assigned',
    outcome: 'done',
    error: null,
    gate: null,
    approvedBy: null,
    ...overrides,
  };
}

describe.each(STORE_BACKENDS)('RunActionStore and the run listing on %s', (backend) => {
  const open = useStores(backend);
  let clock = new Date('2026-11-01T00:00:00.000Z');
  const now = (): Date => clock;

  /** Runs started one hour apart, from 2026-11-01T00:00Z. */
  async function runsStarted(store: Store, ...ids: string[]): Promise<void> {
    for (const [i, id] of ids.entries()) {
      clock = new Date(Date.UTC(2026, 10, 1, i));
      await store.runs.start(id, i % 2 === 0 ? 'full' : 'incremental', true);
    }
  }

  it('records a run’s actions in order and pages them, filtered by outcome', async () => {
    const store = await open(now);
    await runsStarted(store, 'run-1');
    await store.runActions.record('run-1', [
      action('a@example.com'),
      action('b@example.com', { kind: 'suspend', outcome: 'held', gate: 'mass-change', reason: 'held back' }),
      action('c@example.com', { outcome: 'failed', error: 'Dialpad answered 400' }),
      action('d@example.com', { kind: 'suspend', outcome: 'done', approvedBy: 'cli:admin@host' }),
    ]);
    const all = await store.runActions.forRun('run-1', { limit: 2, offset: 1 });
    expect(all.total).toBe(4);
    expect(all.actions.map((a) => [a.seq, a.email, a.outcome, a.gate, a.error])).toEqual([
      [1, 'b@example.com', 'held', 'mass-change', null],
      [2, 'c@example.com', 'failed', null, 'Dialpad answered 400'],
    ]);
    const failed = await store.runActions.forRun('run-1', { limit: 10, offset: 0, outcome: 'failed' });
    expect(failed).toMatchObject({ total: 1, actions: [{ runId: 'run-1', email: 'c@example.com' }] });
    expect((await store.runActions.forRun('run-1', { limit: 10, offset: 0, outcome: 'done' })).actions.map((a) => a.approvedBy)).toEqual([null, 'cli:admin@host']);
  });

  it('records 1,100 actions of one run (several statements)', async () => {
    const store = await open(now);
    await runsStarted(store, 'run-1');
    await store.runActions.record('run-1', Array.from({ length: 1_100 }, (_, i) => action(`u${i}@example.com`)));
    expect((await store.runActions.forRun('run-1', { limit: 1, offset: 1_099 })).actions[0]).toMatchObject({ seq: 1_099, email: 'u1099@example.com' });
  });

  it('a user’s history: newest run first, by Okta id or by email in any case', async () => {
    const store = await open(now);
    await runsStarted(store, 'run-1', 'run-2');
    await store.runActions.record('run-1', [action('a@example.com'), action('b@example.com')]);
    await store.runActions.record('run-2', [action('A@Example.com', { oktaUserId: '00u-a@example.com', kind: 'update' }), action('a@example.com', { kind: 'write_back' })]);
    const byEmail = await store.runActions.forUser({ email: 'a@EXAMPLE.com', limit: 10 });
    expect(byEmail.map((a) => [a.runId, a.kind])).toEqual([
      ['run-2', 'update'],
      ['run-2', 'write_back'],
      ['run-1', 'create'],
    ]);
    expect((await store.runActions.forUser({ oktaUserId: '00u-b@example.com', limit: 10 })).map((a) => a.runId)).toEqual(['run-1']);
    expect(await store.runActions.forUser({ email: 'a@example.com', limit: 1 })).toHaveLength(1);
    expect(await store.runActions.forUser({ limit: 10 })).toEqual([]);
  });

  it('counts actions per run, kind and outcome since a time', async () => {
    const store = await open(now);
    await runsStarted(store, 'run-1', 'run-2');
    await store.runActions.record('run-1', [action('a@example.com')]);
    await store.runActions.record('run-2', [
      action('a@example.com', { kind: 'suspend' }),
      action('b@example.com', { kind: 'suspend' }),
      action('c@example.com', { kind: 'suspend', outcome: 'held' }),
    ]);
    expect(await store.runActions.perRun('2026-11-01T00:30:00.000Z')).toEqual([
      { runId: 'run-2', kind: 'suspend', outcome: 'done', count: 2 },
      { runId: 'run-2', kind: 'suspend', outcome: 'held', count: 1 },
    ]);
    expect(await store.runActions.perRun('2026-10-01T00:00:00.000Z')).toHaveLength(3);
  });

  it('redacts secrets out of reasons and errors', async () => {
    const store = await open(now, new Redactor(['s3cr3t-token-value']));
    await runsStarted(store, 'run-1');
    await store.runActions.record('run-1', [action('a@example.com', { reason: 'x s3cr3t-token-value', outcome: 'failed', error: 'token s3cr3t-token-value refused' })]);
    expect(JSON.stringify(await store.runActions.forRun('run-1', { limit: 1, offset: 0 }))).not.toContain('s3cr3t-token-value');
  });

  it('runs: pages newest first with filters, gets one, lists those since a time oldest first, keeps the new counts', async () => {
    const store = await open(now);
    await runsStarted(store, 'run-1', 'run-2', 'run-3');
    await store.runs.finish('run-1', 'succeeded', { plannedActions: 1, dialpadThrottled: 3, oktaThrottled: 0, unmanagedUsers: 7, heldActions: 12 });
    await store.runs.finish('run-2', 'partial', {});
    await store.runActions.record('run-3', [action('z@example.com')]);

    const page = await store.runs.page({ limit: 2, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.runs.map((r) => r.id)).toEqual(['run-3', 'run-2']);
    expect((await store.runs.page({ limit: 10, offset: 0, outcome: 'partial' })).runs.map((r) => r.id)).toEqual(['run-2']);
    expect(await store.runs.page({ limit: 10, offset: 0, kind: 'full' })).toMatchObject({ total: 2 });
    expect((await store.runs.page({ limit: 10, offset: 0, email: 'Z@example.com' })).runs.map((r) => r.id)).toEqual(['run-3']);

    const run1 = await store.runs.get('run-1');
    expect(run1).toMatchObject({ id: 'run-1', outcome: 'succeeded', dialpadThrottled: 3, oktaThrottled: 0, unmanagedUsers: 7, heldActions: 12 });
    expect(await store.runs.get('run-2')).not.toHaveProperty('dialpadThrottled');
    expect(await store.runs.get('nope')).toBeNull();
    expect((await store.runs.since('2026-11-01T00:30:00.000Z')).map((r) => r.id)).toEqual(['run-2', 'run-3']);
  });
});
