// Retention of run history in the daemon: after a full run the leader deletes the actions of runs started more
// than history.retentionDays ago; the runs themselves, newer runs' actions and the audit stay.
import { describe, expect, it } from 'vitest';
import type { RunActionInput } from '../../src/store/run-actions.js';
import { Store } from '../../src/store/store.js';
import { eventually, startDaemon, useSandboxes } from './harness.js';

const given = useSandboxes();
const DAY_MS = 86_400_000;

const action: RunActionInput = { userKey: 'okta:00u1', oktaUserId: '00u1', dialpadUserId: null, email: 'ann@acme.com', kind: 'update', reason: 'office changed', outcome: 'planned', error: null, gate: null, approvedBy: null };

/** Records a dry run started `daysAgo` days ago, with one action, in the database the daemon will open. */
async function pastRun(database: string, id: string, daysAgo: number): Promise<void> {
  const store = await Store.open(database, () => new Date(Date.now() - daysAgo * DAY_MS));
  try {
    await store.runs.start(id, 'reconcile', false);
    await store.runActions.record(id, [action]);
    await store.runs.finish(id, 'succeeded', { plannedActions: 1 });
    await store.audit.record({ actor: 'cli:admin@host', action: 'release', target: 'ann@acme.com' });
  } finally {
    await store.close();
  }
}

describe('run history retention', () => {
  it('deletes, after a full run, the actions of runs older than history.retentionDays and keeps the runs and the audit', async () => {
    const sandboxes = given();
    await pastRun(sandboxes.database, 'old', 31);
    await pastRun(sandboxes.database, 'recent', 29);
    const running = await startDaemon(sandboxes, { rest: { history: { retentionDays: 30 } } });
    try {
      await eventually(async () => (await running.store.runActions.forRun('old', { limit: 1, offset: 0 })).total === 0, 15_000, "the old run's actions deleted");
      expect((await running.store.runActions.forRun('recent', { limit: 1, offset: 0 })).total).toBe(1);
      expect(await running.store.runs.get('old')).toMatchObject({ plannedActions: 1, outcome: 'succeeded' });
      expect((await running.store.audit.list({ limit: 10 })).filter((event) => event.action === 'release')).toHaveLength(2);
      expect(running.logs.text).toContain('deleted the actions of runs started more than 30 days ago (history.retentionDays)');
    } finally {
      await running.stop();
    }
  }, 30_000);
});
