import { describe, expect, it } from 'vitest';
import type { DialpadUserState } from '../../src/apply/create-user.js';
import { FieldsRefusedError, updateFields } from '../../src/apply/update-fields.js';
import { DialpadError } from '../../src/dialpad/errors.js';
import type { FieldChange } from '../../src/plan/types.js';
import { FakeDialpad, refused, useRunStore } from './fake-gateways.js';

const openStore = useRunStore();

async function setUp() {
  const store = await openStore();
  const dialpad = new FakeDialpad();
  const user = dialpad.addUser({ jobTitle: 'Engineer' });
  const state: DialpadUserState = { dialpadUserId: user.id, phoneNumbers: null };
  const subject = { runId: 'run-1', oktaUserId: '00uAnn', email: 'ann@example.com', action: 'update' } as const;
  const update = (changes: FieldChange[]) => updateFields(user.id, changes, state, subject, { dialpad: dialpad.gateway(), store });
  return { store, dialpad, user, update };
}

const rename: FieldChange[] = [
  { field: 'first_name', from: 'Ada', to: 'Ann' },
  { field: 'job_title', from: 'Engineer', to: 'T'.repeat(121) },
  { field: 'last_name', from: 'Lovelace', to: 'Lee' },
];
const longTitle = (_method: string, _id: string | null, input: unknown) =>
  ((input as { jobTitle?: string }).jobTitle?.length ?? 0) > 100 ? refused('job_title too long') : undefined;

describe('updateFields', () => {
  it('sends all fields in one PATCH when Dialpad takes them', async () => {
    const { dialpad, user, update } = await setUp();
    await expect(update(rename.filter((c) => c.field !== 'job_title'))).resolves.toBe('first_name, last_name');
    expect(dialpad.calls).toEqual(['updateUser']);
    expect(dialpad.users.get(user.id)).toMatchObject({ firstName: 'Ann', lastName: 'Lee' });
  });

  it('splits a refused update into one PATCH per field: the others land, the refused one is named', async () => {
    const { store, dialpad, user, update } = await setUp();
    dialpad.intercept = longTitle;
    const error = await update(rename).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldsRefusedError);
    expect((error as FieldsRefusedError).refused.map((r) => r.field)).toEqual(['job_title']);
    expect((error as FieldsRefusedError).applied).toEqual(['first_name', 'last_name']);
    expect((error as Error).message).toMatch(/^job_title refused \(.*job_title too long\); applied: first_name, last_name$/);
    expect(dialpad.users.get(user.id)).toMatchObject({ firstName: 'Ann', lastName: 'Lee', jobTitle: 'Engineer' });
    // Every PATCH is journaled: the refused whole, then each field.
    const journal = await store.journal.forRun('run-1');
    expect(journal.map((entry) => entry.status)).toEqual(['failed', 'done', 'failed', 'done']);
  });

  it('names the field of a refused one-field update', async () => {
    const { dialpad, update } = await setUp();
    dialpad.intercept = longTitle;
    await expect(update(rename.filter((c) => c.field === 'job_title'))).rejects.toThrow(/^job_title refused \(.*job_title too long\)$/);
    expect(dialpad.calls).toEqual(['updateUser refused']);
  });

  it('does not split on a failure other than a refusal', async () => {
    const { dialpad, update } = await setUp();
    dialpad.intercept = () => new DialpadError({ code: 'server_error', status: 503, method: 'PATCH', path: '/api/v2/users/1' });
    await expect(update(rename)).rejects.toMatchObject({ code: 'server_error' });
    expect(dialpad.calls).toEqual(['updateUser refused']);
  });
});
