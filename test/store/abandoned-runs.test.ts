// RunStore.closeAbandoned: what a process that has just acquired the run lock does with the applying runs a previous
// holder left `running` (killed mid-run, or fenced), on both backends.
import { describe, expect, it } from 'vitest';
import { LOST_HOLDER_PROBLEM, type RunKind } from '../../src/store/runs.js';
import { STORE_BACKENDS, useStores } from './backends.js';

const START = new Date('2026-12-01T02:12:35.444Z');
const CLOSED_AT = new Date('2026-12-01T02:20:00.000Z');

/** A run as the test records it: started at START, finished (succeeded) or still running. */
interface GivenRun {
  id: string;
  kind: RunKind;
  apply: boolean;
  finished: boolean;
}

describe.each(STORE_BACKENDS)('RunStore.closeAbandoned on %s', (backend) => {
  const open = useStores(backend);

  it('closes the applying runs left running as partial with why, and leaves dry runs, repins and finished runs alone', async () => {
    let now = START;
    const store = await open(() => now);
    const given: GivenRun[] = [
      { id: 'full-killed', kind: 'full', apply: true, finished: false },
      { id: 'hook-killed', kind: 'hook', apply: true, finished: false },
      { id: 'plan-file-killed', kind: 'plan_file', apply: true, finished: false },
      { id: 'dry-run-going', kind: 'reconcile', apply: false, finished: false },
      // A repin writes its pin without the run lock: a live one must never be closed by a lock holder.
      { id: 'repin-going', kind: 'repin', apply: true, finished: false },
      { id: 'reconcile-done', kind: 'reconcile', apply: true, finished: true },
    ];
    for (const run of given) {
      await store.runs.start(run.id, run.kind, run.apply);
      if (run.finished) await store.runs.finish(run.id, 'succeeded', { plannedActions: 2, succeededActions: 2 });
    }
    now = CLOSED_AT;

    const closed = await store.runs.closeAbandoned();
    expect(closed.map((run) => [run.id, run.outcome]).sort()).toEqual([
      ['full-killed', 'running'],
      ['hook-killed', 'running'],
      ['plan-file-killed', 'running'],
    ]);

    const after = new Map((await store.runs.recent(10)).map((run) => [run.id, run]));
    const state = (id: string) => {
      const run = after.get(id);
      return run && { outcome: run.outcome, finishedAt: run.finishedAt, error: run.error };
    };
    const lost = { outcome: 'partial', finishedAt: CLOSED_AT.toISOString(), error: LOST_HOLDER_PROBLEM };
    expect(state('full-killed')).toEqual(lost);
    expect(state('hook-killed')).toEqual(lost);
    expect(state('plan-file-killed')).toEqual(lost);
    expect(state('dry-run-going')).toEqual({ outcome: 'running', finishedAt: null, error: null });
    expect(state('repin-going')).toEqual({ outcome: 'running', finishedAt: null, error: null });
    expect(state('reconcile-done')).toEqual({ outcome: 'succeeded', finishedAt: START.toISOString(), error: null });
    expect(after.get('reconcile-done')).toMatchObject({ plannedActions: 2, succeededActions: 2 });

    // One audit event per run closed, as the service.
    const audit = await store.audit.list({ limit: 10 });
    expect(audit.map((event) => [event.actor, event.action, event.target, event.detail]).sort()).toEqual([
      ['dialsync', 'run_closed', 'full-killed', { kind: 'full', startedAt: START.toISOString() }],
      ['dialsync', 'run_closed', 'hook-killed', { kind: 'hook', startedAt: START.toISOString() }],
      ['dialsync', 'run_closed', 'plan-file-killed', { kind: 'plan_file', startedAt: START.toISOString() }],
    ]);
    expect(audit.every((event) => event.at === CLOSED_AT.toISOString())).toBe(true);

    // Nothing left to close: a second acquisition closes nothing and audits nothing more.
    expect(await store.runs.closeAbandoned()).toEqual([]);
    expect(await store.audit.list({ limit: 10 })).toHaveLength(3);
  });

  it('a fenced holder that finishes its run after it was closed records its own outcome', async () => {
    const store = await open(() => START);
    await store.runs.start('fenced', 'incremental', true);
    await store.runs.closeAbandoned();
    await store.runs.finish('fenced', 'partial', { plannedActions: 3, succeededActions: 1 });
    expect(await store.runs.get('fenced')).toMatchObject({ outcome: 'partial', error: null, plannedActions: 3, succeededActions: 1 });
  });
});
