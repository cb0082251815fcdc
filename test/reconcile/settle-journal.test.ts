// Settling what a crashed run left pending: entries are told apart by their action, and rows an older version wrote
// (the title PATCH after a create journaled under `create`) are still settled without harm.
import { describe, expect, it } from 'vitest';
import type { DialpadGateway } from '../../src/dialpad/types.js';
import { updateUserRequest } from '../../src/dialpad/write-requests.js';
import { silentLogger } from '../../src/log/logger.js';
import { settleUnfinishedWrites } from '../../src/reconcile/settle-journal.js';
import type { NewJournalEntry } from '../../src/store/journal.js';
import type { Store } from '../../src/store/store.js';
import { FakeDialpad, useRunStore } from '../apply/fake-gateways.js';

const openStore = useRunStore();
const ANN = '00uAnn';

/** A pending entry of run-1 for Ann, as a crash leaves it. */
function pending(store: Store, entry: Pick<NewJournalEntry, 'action' | 'dialpadUserId' | 'request'>): Promise<number> {
  return store.journal.begin({ runId: 'run-1', oktaUserId: ANN, email: 'ann@acme.com', target: 'dialpad', ...entry });
}

/** The gateway, counting the look-ups settling asks for. */
function counted(dialpad: FakeDialpad): { gateway: DialpadGateway; lookups: string[] } {
  const lookups: string[] = [];
  const gateway = dialpad.gateway();
  return {
    lookups,
    gateway: {
      ...gateway,
      findUsersByEmail: (email) => {
        lookups.push(email);
        return gateway.findUsersByEmail(email);
      },
    },
  };
}

async function settledNotes(store: Store): Promise<[string, string | null][]> {
  return (await store.journal.forRun('run-1')).map((entry) => [entry.action, entry.status === 'settled' ? (JSON.parse(entry.result ?? '{}') as { settled: string }).settled : null]);
}

describe('settleUnfinishedWrites', () => {
  it('links a pending create that reached Dialpad as created', async () => {
    const store = await openStore();
    const dialpad = new FakeDialpad();
    const reached = dialpad.addUser({ emails: ['ann@acme.com'] });
    await pending(store, { action: 'create', dialpadUserId: null, request: { method: 'POST', path: '/api/v2/users' } });

    const report = await settleUnfinishedWrites(store, dialpad.gateway(), silentLogger());

    expect(report).toEqual({ settled: 1, createsFound: 1 });
    expect(await store.links.byOktaUserId(ANN)).toEqual({ oktaUserId: ANN, dialpadUserId: reached.id, origin: 'created' });
    expect(await settledNotes(store)).toEqual([['create', `created before the crash: Dialpad user ${reached.id}`]]);
  });

  it('leaves a pending create that never reached Dialpad to the next plan', async () => {
    const store = await openStore();
    await pending(store, { action: 'create', dialpadUserId: null, request: { method: 'POST', path: '/api/v2/users' } });

    expect(await settleUnfinishedWrites(store, new FakeDialpad().gateway(), silentLogger())).toEqual({ settled: 1, createsFound: 0 });
    expect(await store.links.all()).toEqual([]);
    expect(await settledNotes(store)).toEqual([['create', 'not found in Dialpad: the next plan creates it']]);
  });

  it('leaves a pending title PATCH (set_job_title) to the next plan without looking the user up', async () => {
    const store = await openStore();
    const dialpad = new FakeDialpad();
    const user = dialpad.addUser({ emails: ['ann@acme.com'] });
    await store.links.save({ oktaUserId: ANN, dialpadUserId: user.id, origin: 'created' }, 'ann@acme.com');
    await pending(store, { action: 'set_job_title', dialpadUserId: user.id, request: updateUserRequest(user.id, { jobTitle: 'Engineer' }) });
    const { gateway, lookups } = counted(dialpad);

    expect(await settleUnfinishedWrites(store, gateway, silentLogger())).toEqual({ settled: 1, createsFound: 0 });
    expect(lookups).toEqual([]);
    expect(await store.links.all()).toEqual([{ oktaUserId: ANN, dialpadUserId: user.id, origin: 'created' }]);
    expect(await settledNotes(store)).toEqual([['set_job_title', 'left to the next plan']]);
  });

  it.each(['created', 'adopted'] as const)(
    'settles a title PATCH an older version journaled under create (a store upgraded mid-crash), keeping the %s link as it is',
    async (origin) => {
      const store = await openStore();
      const dialpad = new FakeDialpad();
      const user = dialpad.addUser({ emails: ['ann@acme.com'] });
      // The create went through and was linked; the crash came during the PATCH that followed it.
      await store.links.save({ oktaUserId: ANN, dialpadUserId: user.id, origin }, 'ann@acme.com');
      await pending(store, { action: 'create', dialpadUserId: user.id, request: { method: 'PATCH', path: `/api/v2/users/${user.id}`, body: { job_title: 'Engineer' } } });

      const report = await settleUnfinishedWrites(store, dialpad.gateway(), silentLogger());

      expect(report.settled).toBe(1);
      expect(await store.journal.unfinished()).toEqual([]);
      expect(await store.links.all()).toEqual([{ oktaUserId: ANN, dialpadUserId: user.id, origin }]);
      expect([...dialpad.users.keys()]).toEqual([user.id]);
      expect(dialpad.calls).toEqual([]);
    },
  );
});
