// Retention of run history (history.retentionDays): the actions and Run now requests of runs started before the
// cut-off are deleted, 1,000 rows a statement, however many there are; the runs, newer runs' actions and the audit
// events stay.
import { describe, expect, it } from 'vitest';
import type { RunActionInput } from '../../src/store/run-actions.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';

function action(n: number): RunActionInput {
  const email = `user${n}@acme.com`;
  return { userKey: `okta:00u${n}`, oktaUserId: `00u${n}`, dialpadUserId: null, email, kind: 'update', reason: 'office changed', outcome: 'planned', error: null, gate: null, approvedBy: null };
}

const actions = (count: number): RunActionInput[] => Array.from({ length: count }, (_, n) => action(n));

describe.each(STORE_BACKENDS)('pruning run history on %s', (backend) => {
  const open = useStores(backend);
  let clock = new Date('2026-08-01T00:00:00.000Z');
  const now = (): Date => clock;

  /** A finished run started at `startedAt`, with `count` actions and a Run now it carried out. */
  async function runAt(store: Store, id: string, startedAt: string, count: number): Promise<number> {
    clock = new Date(startedAt);
    const { request } = await store.runRequests.request('okta:ann@acme.com');
    await store.runRequests.take('daemon@pod-a:7');
    await store.runs.start(id, 'full', false);
    await store.runActions.record(id, actions(count));
    await store.runs.finish(id, 'succeeded', { plannedActions: count });
    await store.runRequests.finish(request.id, id);
    return request.id;
  }

  it('deletes the actions and requests of runs started before the cut-off, more than one chunk of them, and keeps the rest', async () => {
    const store = await open(now);
    const oldRequest = await runAt(store, 'old', '2026-08-01T00:00:00.000Z', 2_345);
    const olderRequest = await runAt(store, 'older', '2026-07-01T00:00:00.000Z', 3);
    const recentRequest = await runAt(store, 'recent', '2026-11-29T00:00:00.000Z', 4);
    // A request no run carried out (its leader died) and one still waiting, both from long ago.
    clock = new Date('2026-08-02T00:00:00.000Z');
    const { request: abandoned } = await store.runRequests.request('token:ci');
    await store.runRequests.take('daemon@pod-gone:1');
    clock = new Date('2026-11-30T12:00:00.000Z');
    const auditBefore = (await store.audit.list({ limit: 100 })).length;

    const cutOff = new Date('2026-09-01T12:00:00.000Z');
    expect(await store.runActions.pruneBefore(cutOff)).toBe(2_348);
    expect(await store.runRequests.pruneBefore(cutOff)).toBe(3);

    expect((await store.runActions.forRun('old', { limit: 10, offset: 0 })).total).toBe(0);
    expect((await store.runActions.forRun('older', { limit: 10, offset: 0 })).total).toBe(0);
    expect((await store.runActions.forRun('recent', { limit: 10, offset: 0 })).total).toBe(4);
    for (const id of [oldRequest, olderRequest, abandoned.id]) expect(await store.runRequests.get(id)).toBeNull();
    expect(await store.runRequests.get(recentRequest)).toMatchObject({ runId: 'recent' });
    // The runs and the audit are the record: kept.
    expect((await store.runs.recent(10)).map((run) => [run.id, run.plannedActions])).toEqual([
      ['recent', 4],
      ['old', 2_345],
      ['older', 3],
    ]);
    expect(await store.audit.list({ limit: 100 })).toHaveLength(auditBefore);

    // Nothing left to delete: a second prune deletes nothing.
    expect(await store.runActions.pruneBefore(cutOff)).toBe(0);
    expect(await store.runRequests.pruneBefore(cutOff)).toBe(0);
  });
});
