// Run now through the store (migrations/20261130200000_run_requests.js): one request waits at a time, audited;
// exactly one of two replicas takes it; the leader records the run that carried it out, or hands it back.
import { describe, expect, it } from 'vitest';
import { STORE_BACKENDS, useStores } from './backends.js';

const T0 = new Date('2026-11-30T12:00:00.000Z');

describe.each(STORE_BACKENDS)('RunRequestStore on %s', (backend) => {
  const open = useStores(backend);
  let clock = T0;
  const now = (): Date => clock;

  it('writes a request that waits, audited; a second request while it waits returns it, audited too', async () => {
    clock = T0;
    const store = await open(now);
    expect(await store.runRequests.pending()).toBeNull();

    const first = await store.runRequests.request('okta:ann@acme.com');
    expect(first.created).toBe(true);
    expect(first.request).toMatchObject({ kind: 'full', requestedBy: 'okta:ann@acme.com', requestedAt: T0.toISOString(), takenBy: null, takenAt: null, runId: null });
    clock = new Date(T0.getTime() + 60_000);
    const second = await store.runRequests.request('token:ci');
    expect(second).toEqual({ request: first.request, created: false });
    expect(await store.runRequests.pending()).toEqual(first.request);

    expect((await store.audit.list({ limit: 10 })).map((e) => [e.actor, e.action, e.detail])).toEqual([
      ['token:ci', 'run_requested', { requestId: first.request.id, kind: 'full', alreadyWaiting: true }],
      ['okta:ann@acme.com', 'run_requested', { requestId: first.request.id, kind: 'full', alreadyWaiting: false }],
    ]);
  });

  it('lets two requests racing from two replicas write one row', async () => {
    clock = T0;
    const storeA = await open(now);
    const storeB = await open.another(storeA, now);
    const answers = await Promise.all([storeA.runRequests.request('okta:ann@acme.com'), storeB.runRequests.request('okta:bob@acme.com')]);
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    expect(answers[0]?.request.id).toBe(answers[1]?.request.id);
  });

  it('gives the waiting request to exactly one of two replicas taking it at once; then none waits', async () => {
    clock = T0;
    const storeA = await open(now);
    const storeB = await open.another(storeA, now);
    const { request } = await storeA.runRequests.request('okta:ann@acme.com');

    const taken = await Promise.all([storeA.runRequests.take('daemon@pod-a:7'), storeB.runRequests.take('daemon@pod-b:7')]);
    const winners = taken.filter((t) => t !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ id: request.id, takenAt: T0.toISOString(), runId: null });
    expect(['daemon@pod-a:7', 'daemon@pod-b:7']).toContain(winners[0]?.takenBy);
    expect(await storeA.runRequests.pending()).toBeNull();
    expect(await storeB.runRequests.take('daemon@pod-b:7')).toBeNull();

    // Taken is no longer waiting: a new Run now is a new request (for a run after the one starting now).
    expect((await storeB.runRequests.request('okta:bob@acme.com')).created).toBe(true);
  });

  it('records the run that carried a request out', async () => {
    clock = T0;
    const store = await open(now);
    await store.runs.start('run-1', 'full', true);
    const { request } = await store.runRequests.request('okta:ann@acme.com');
    await store.runRequests.take('daemon@pod-a:7');
    await store.runRequests.finish(request.id, 'run-1');
    expect(await store.runRequests.get(request.id)).toMatchObject({ takenBy: 'daemon@pod-a:7', runId: 'run-1' });
    expect(await store.runRequests.pending()).toBeNull();
  });

  it('hands a request not carried out back to wait; when another waits already, that one covers it', async () => {
    clock = T0;
    const store = await open(now);
    const { request } = await store.runRequests.request('okta:ann@acme.com');
    await store.runRequests.take('daemon@pod-a:7');
    // Only the replica that took it hands it back.
    await store.runRequests.release(request.id, 'daemon@pod-b:7');
    expect(await store.runRequests.pending()).toBeNull();
    await store.runRequests.release(request.id, 'daemon@pod-a:7');
    expect(await store.runRequests.pending()).toMatchObject({ id: request.id, takenBy: null, takenAt: null });

    await store.runRequests.take('daemon@pod-a:7');
    const { request: next } = await store.runRequests.request('token:ci');
    await store.runRequests.release(request.id, 'daemon@pod-a:7');
    expect(await store.runRequests.get(request.id)).toBeNull();
    expect(await store.runRequests.pending()).toMatchObject({ id: next.id });
  });
});
