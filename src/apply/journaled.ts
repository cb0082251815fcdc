// Wraps one write: journaled as pending before it is sent, done (with the Dialpad id it produced) or failed after.
import type { DialpadUser } from '../dialpad/types.js';
import type { NewJournalEntry } from '../store/journal.js';
import type { Store } from '../store/store.js';
import { describeError } from './describe-error.js';

export async function journaled<T>(store: Store, entry: NewJournalEntry, send: () => Promise<T>): Promise<T> {
  const id = await store.journal.begin(entry);
  let result: T;
  try {
    result = await send();
  } catch (error) {
    await store.journal.failed(id, describeError(error));
    throw error;
  }
  await store.journal.done(id, { dialpadUserId: isDialpadUser(result) ? result.id : null, result: summarise(result) });
  return result;
}

function isDialpadUser(value: unknown): value is DialpadUser {
  return typeof value === 'object' && value !== null && 'id' in value && 'emails' in value;
}

// The journal keeps what is needed to audit a write, not whole response bodies.
function summarise(value: unknown): unknown {
  if (isDialpadUser(value)) return { id: value.id, state: value.state, officeId: value.officeId, phoneNumbers: value.phoneNumbers };
  if (typeof value === 'object' && value !== null && 'number' in value) return { number: (value as { number: unknown }).number };
  return undefined;
}
