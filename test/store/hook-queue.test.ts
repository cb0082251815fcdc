import { describe, expect, it } from 'vitest';
import { STORE_BACKENDS, useStore } from './backends.js';

describe.each(STORE_BACKENDS)('HookQueueStore on %s', (backend) => {
  const store = useStore(backend, '2026-11-30T10:00:00Z');

  async function waiting(): Promise<[string, string[], string][]> {
    return (await store().hookQueue.pending(100)).map((event) => [event.uuid, event.oktaUserIds, event.receivedBy]);
  }

  it('claims every event and queues the new ones that concern users, each user once', async () => {
    const result = await store().hookQueue.enqueue(
      [
        { uuid: 'e1', oktaUserIds: ['00u1', '00u1'] },
        { uuid: 'e2', oktaUserIds: [] },
        { uuid: 'e3', oktaUserIds: ['00u3'] },
      ],
      'host-a:7',
    );
    expect(result.fresh).toEqual(['e1', 'e2', 'e3']);
    expect(result.queued.map((event) => event.uuid)).toEqual(['e1', 'e3']);
    expect(await waiting()).toEqual([
      ['e1', ['00u1'], 'host-a:7'],
      ['e3', ['00u3'], 'host-a:7'],
    ]);
    expect(await store().hookQueue.size()).toBe(2);
  });

  it('neither queues nor returns an event seen before, also after its row was acknowledged', async () => {
    await store().hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: ['00u1'] }], 'host-a:7');
    const again = await store().hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: ['00u1'] }, { uuid: 'e2', oktaUserIds: ['00u2'] }], 'host-b:8');
    expect(again.fresh).toEqual(['e2']);
    expect(again.queued.map((event) => event.uuid)).toEqual(['e2']);
    expect(await store().hookQueue.acknowledge(['e1', 'e2'])).toBe(2);
    const late = await store().hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: ['00u1'] }], 'host-a:7');
    expect(late).toEqual({ fresh: [], queued: [] });
    expect(await waiting()).toEqual([]);
  });

  it('reads the oldest events first, at most the limit, and acknowledges exactly the ones given', async () => {
    await store().hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: ['00u1'] }], 'host-a:7');
    await store().hookQueue.enqueue([{ uuid: 'e2', oktaUserIds: ['00u2'] }], 'host-b:8');
    const batch = await store().hookQueue.pending(1);
    expect(batch.map((event) => [event.uuid, event.receivedAt])).toEqual([['e1', '2026-11-30T10:00:01.000Z']]);
    // Queued while the batch ran: stays for the next drain.
    await store().hookQueue.enqueue([{ uuid: 'e3', oktaUserIds: ['00u3'] }], 'host-a:7');
    expect(await store().hookQueue.acknowledge(batch.map((event) => event.uuid))).toBe(1);
    expect((await waiting()).map(([uuid]) => uuid)).toEqual(['e2', 'e3']);
  });

  it('drops the rows received before a date (covered by a full run that started after them)', async () => {
    await store().hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: ['00u1'] }], 'host-a:7');
    await store().hookQueue.enqueue([{ uuid: 'e2', oktaUserIds: ['00u2'] }], 'host-a:7');
    expect(await store().hookQueue.dropReceivedBefore(new Date('2026-11-30T10:00:02.000Z'))).toBe(1);
    expect((await waiting()).map(([uuid]) => uuid)).toEqual(['e2']);
  });

  it('still prunes old uuids; a queued event whose uuid was pruned is not queued twice', async () => {
    await store().hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: ['00u1'] }], 'host-a:7');
    expect(await store().hookEvents.prune(new Date('2026-11-30T11:00:00Z'))).toBe(1);
    const again = await store().hookQueue.enqueue([{ uuid: 'e1', oktaUserIds: ['00u1'] }], 'host-b:8');
    expect(again.queued).toEqual([]);
    expect(await waiting()).toEqual([['e1', ['00u1'], 'host-a:7']]);
  });

  it('queues an event two processes receive at once exactly once; the other answers a duplicate or an error (Okta retries)', async () => {
    const other = await store.another();
    for (let i = 0; i < 20; i += 1) {
      const uuid = `race-${i}`;
      const outcomes = await Promise.allSettled([store().hookQueue.enqueue([{ uuid, oktaUserIds: ['00u1'] }], 'a:1'), other.hookQueue.enqueue([{ uuid, oktaUserIds: ['00u1'] }], 'b:2')]);
      const queuedBy = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value.queued.length === 1);
      expect(queuedBy).toHaveLength(1);
      // Okta's retry of the delivery to the other process is a duplicate.
      expect((await other.hookQueue.enqueue([{ uuid, oktaUserIds: ['00u1'] }], 'b:2')).queued).toEqual([]);
    }
    expect(await store().hookQueue.size()).toBe(20);
  });
});
