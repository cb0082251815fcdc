// The one way apply writes: journaled as pending before it is sent, done (with the Dialpad id it produced) or
// failed after, so a run that follows a crash knows which writes may have happened (reconcile/settle-journal.ts).
// The request is recorded as the adapter that sends it describes it (see writes.ts): apply spells no path or field
// name itself.
import type { DialpadUser } from '../dialpad/types.js';
import { describeError } from '../errors/describe-error.js';
import type { JournalRequest, NewJournalEntry } from '../store/journal.js';
import type { Store } from '../store/store.js';
import type { StepKind } from './action-graph.js';

/** Whose write it is: the run, the user, and the step it carries out (the journal entry's action). */
export interface WriteSubject {
  runId: string;
  oktaUserId: string | null;
  email: string;
  action: StepKind;
}

/**
 * The write itself (apply/writes.ts makes them): where it goes, the Dialpad user it concerns (null before a
 * create), the request as its adapter describes it, and the call that sends that request.
 */
export interface JournaledWrite<T> {
  target: NewJournalEntry['target'];
  dialpadUserId: string | null;
  request: JournalRequest;
  send: () => Promise<T>;
}

/**
 * Journals `write` for `subject` as pending, sends it, and marks the entry done (with the Dialpad id and a summary
 * of what came back) or failed (with the error described). Returns what the send returned; rethrows what it threw,
 * and throws what the store throws (a write whose entry could not be begun is not sent).
 */
export async function journaled<T>(store: Store, subject: WriteSubject, write: JournaledWrite<T>): Promise<T> {
  const { send, ...described } = write;
  const id = await store.journal.begin({ ...subject, ...described });
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
