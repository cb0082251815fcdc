import { describe, expect, it } from 'vitest';
import { journaled } from '../../src/apply/journaled.js';
import { dialpadWrites } from '../../src/apply/writes.js';
import type { JournalEntry } from '../../src/store/journal.js';
import { FakeDialpad, refused, useRunStore } from './fake-gateways.js';

const openStore = useRunStore();
const subject = { runId: 'run-1', oktaUserId: '00uAnn', email: 'ann@acme.com', action: 'create' } as const;
const ann = { email: 'ann@acme.com', officeId: '5001', firstName: 'Ann', lastName: 'Lee', license: 'talk' as const, autoAssign: false };

describe('journaled', () => {
  it('journals the write as its adapter describes it before sending it, and marks it done with the Dialpad id after', async () => {
    const store = await openStore();
    const dialpad = new FakeDialpad();
    const pendingWhenSent: JournalEntry[] = [];
    dialpad.intercept = () => store.journal.unfinished().then((entries) => void pendingWhenSent.push(...entries));

    const created = await journaled(store, subject, dialpadWrites(dialpad.gateway()).createUser(ann));

    expect(pendingWhenSent).toEqual([
      expect.objectContaining({
        action: 'create',
        target: 'dialpad',
        dialpadUserId: null,
        request: { method: 'POST', path: '/api/v2/users', body: { email: 'ann@acme.com', office_id: '5001', first_name: 'Ann', last_name: 'Lee', license: 'talk', auto_assign: false } },
      }),
    ]);
    expect(await store.journal.forRun('run-1')).toEqual([expect.objectContaining({ action: 'create', status: 'done', dialpadUserId: created.id })]);
  });

  it('marks a refused write failed with the error described, and rethrows it', async () => {
    const store = await openStore();
    const dialpad = new FakeDialpad();
    dialpad.intercept = () => refused('office full', 'POST', '/api/v2/users');

    await expect(journaled(store, subject, dialpadWrites(dialpad.gateway()).createUser(ann))).rejects.toMatchObject({ code: 'bad_request' });
    expect(await store.journal.forRun('run-1')).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringContaining('office full') })]);
  });
});
