// What a run found wrong with its listings, kept with the run (migrations/20261130051700_run_listing_warnings.js).
import { describe, expect, it } from 'vitest';
import type { PlanWarning } from '../../src/plan/types.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';
import { rawDatabase } from './raw-database.js';

describe.each(STORE_BACKENDS)('RunStore listing warnings on %s', (backend) => {
  const open = useStores(backend);
  let store: Store;

  it('keeps the warnings with their run; a run with consistent listings has none', async () => {
    store = await open();
    const warnings: PlanWarning[] = [
      { oktaUserId: '00u7', email: 'u7@acme.com', message: "Okta's app-user listing left out Okta user 00u7, but ..." },
      { oktaUserId: null, email: null, message: "Dialpad's user listing left out 250 linked users, ..." },
    ];
    await store.runs.start('run-1', 'reconcile', true);
    await store.runs.recordListingWarnings('run-1', warnings);
    await store.runs.finish('run-1', 'succeeded', {});
    await store.runs.start('run-2', 'reconcile', true);
    await store.runs.recordListingWarnings('run-2', []);
    await store.runs.finish('run-2', 'succeeded', {});

    const runs = await store.runs.recent(5);
    expect(runs.find((run) => run.id === 'run-1')?.listingWarnings).toEqual(warnings);
    expect(runs.find((run) => run.id === 'run-2')).not.toHaveProperty('listingWarnings');
  });

  it('ignores a column it cannot read instead of failing', async () => {
    store = await open();
    await store.runs.start('run-1', 'reconcile', true);
    await rawDatabase(store)('runs').where({ id: 'run-1' }).update({ listing_warnings: '{not json' });
    expect((await store.runs.recent(1))[0]?.listingWarnings).toEqual([]);
  });
});
