import { afterEach, describe, expect, it } from 'vitest';
import { credentialCheck, readConsoleHealth } from '../../src/console/health.js';
import { RUN_LOCK } from '../../src/store/leases.js';
import { Store } from '../../src/store/store.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

async function storeAt(): Promise<{ store: Store; at: (iso: string) => void }> {
  let clock = NOW;
  const store = await Store.open(':memory:', () => clock);
  stores.push(store);
  return { store, at: (iso) => (clock = new Date(iso)) };
}

describe('readConsoleHealth', () => {
  it('names the leader, the replicas, the last full and incremental runs, and the live verdict with its credential checks', async () => {
    const { store, at } = await storeAt();
    at('2026-11-30T11:30:00.000Z');
    await store.readiness.record('daemon@pod-2:9', []);
    at('2026-11-30T11:50:00.000Z');
    await store.readiness.record('daemon@pod-1:7', [{ reason: 'okta_credentials', detail: 'Okta refused the API token (401)' }]);
    at('2026-11-29T10:00:00.000Z');
    await store.runs.start('full-1', 'full', true);
    at('2026-11-30T10:00:00.000Z');
    await store.runs.start('inc-1', 'incremental', true);
    at('2026-11-30T10:05:00.000Z');
    await store.runs.start('hook-1', 'hook', true);
    at(NOW.toISOString());
    await store.leases.tryAcquire(RUN_LOCK, { id: 'p1', host: 'pod-1', pid: 7, kind: 'daemon' }, 60_000);

    const live = { ready: false, problems: [{ reason: 'dialpad_unchecked', detail: 'the Dialpad access check has not run yet' }] };
    const health = await readConsoleHealth(store, async () => live, NOW);
    expect(health.leader).toBe('daemon@pod-1:7');
    expect(health.replicas.map((r) => [r.name, r.leader, r.ready])).toEqual([
      ['daemon@pod-1:7', true, false],
      ['daemon@pod-2:9', false, true],
    ]);
    expect(health.lastFull?.id).toBe('full-1');
    expect(health.lastIncremental?.id).toBe('hook-1');
    expect(health.ready).toBe(false);
    expect(health.reasons).toEqual(live.problems);
    expect(health.credentials).toEqual([
      { side: 'okta', state: 'ok', detail: null },
      { side: 'dialpad', state: 'unchecked', detail: 'the Dialpad access check has not run yet' },
    ]);
  });

  it('falls back on the leader’s stored verdict without a live one', async () => {
    const { store, at } = await storeAt();
    at('2026-11-30T11:50:00.000Z');
    await store.readiness.record('daemon@pod-1:7', []);
    at('2026-11-30T11:55:00.000Z');
    await store.readiness.record('daemon@pod-2:9', [{ reason: 'okta_unreachable', detail: 'timeout' }]);
    at(NOW.toISOString());
    await store.leases.tryAcquire(RUN_LOCK, { id: 'p1', host: 'pod-1', pid: 7, kind: 'daemon' }, 60_000);
    const health = await readConsoleHealth(store, () => null, NOW);
    expect(health.ready).toBe(true);
    expect(health.credentials.map((check) => check.state)).toEqual(['ok', 'ok']);
  });

  it('falls back on the newest stored verdict without a live one or a leader, and knows nothing before any daemon checked', async () => {
    const { store } = await storeAt();
    expect(await readConsoleHealth(store, () => null, NOW)).toEqual({ leader: null, replicas: [], lastFull: null, lastIncremental: null, ready: null, reasons: [], credentials: [] });
    await store.readiness.record('daemon@pod-1:7', [{ reason: 'okta_credentials', detail: 'Okta refused the API token (401)' }]);
    const health = await readConsoleHealth(store, () => null, NOW);
    expect(health.ready).toBe(false);
    expect(health.credentials[0]).toEqual({ side: 'okta', state: 'refused', detail: 'Okta refused the API token (401)' });
  });
});

describe('credentialCheck', () => {
  it.each([
    ['okta_credentials', 'refused'],
    ['okta_app_not_found', 'failed'],
    ['okta_unreachable', 'failed'],
    ['okta_unchecked', 'unchecked'],
  ])('reads %s as %s', (reason, state) => {
    expect(credentialCheck('okta', [{ reason, detail: 'd' }]).state).toBe(state);
  });
});
