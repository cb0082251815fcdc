// The skipped users of a run, kept with the run (migrations/20261129030000_run_skips.js).
import { describe, expect, it } from 'vitest';
import type { SkippedUser } from '../../src/plan/types.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';
import { rawDatabase } from './raw-database.js';

describe.each(STORE_BACKENDS)('RunStore skipped users on %s', (backend) => {
  const open = useStores(backend);
  let store: Store;

  it('keeps the skipped list with its run and reads it back', async () => {
    store = await open();
    const skipped: SkippedUser[] = [
      { oktaUserId: '00u1', email: 'bad', code: 'invalid_email', reason: 'login "bad" is not an email address (tried login, email)' },
      { oktaUserId: null, email: null, code: 'invalid_okta_data', reason: 'the app user is malformed: id: missing' },
    ];
    await store.runs.start('run-1', 'reconcile', true);
    await store.runs.recordSkipped('run-1', skipped);
    await store.runs.finish('run-1', 'succeeded', { skippedUsers: 2 });
    await store.runs.start('run-2', 'reconcile', false);
    await store.runs.finish('run-2', 'failed', {}, 'Okta unreachable');

    const runs = await store.runs.recent(5);
    const run1 = runs.find((run) => run.id === 'run-1');
    expect(run1?.skipped).toEqual(skipped);
    expect(run1?.skippedUsers).toBe(2);
    // A run that never got to plan has no list (not an empty one).
    expect(runs.find((run) => run.id === 'run-2')).not.toHaveProperty('skipped');
  });

  it('an empty plan records an empty list', async () => {
    store = await open();
    await store.runs.start('run-1', 'reconcile', true);
    await store.runs.recordSkipped('run-1', []);
    expect((await store.runs.recent(1))[0]?.skipped).toEqual([]);
  });

  it('ignores a skipped column it cannot read instead of failing', async () => {
    store = await open();
    await store.runs.start('run-1', 'reconcile', true);
    await rawDatabase(store)('runs').where({ id: 'run-1' }).update({ skipped: '{not json' });
    expect((await store.runs.recent(1))[0]?.skipped).toEqual([]);
  });
});
