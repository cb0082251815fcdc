// An update sends the changed fields in one PATCH. When Dialpad refuses it (400), the fields are sent again one
// PATCH each: the ones Dialpad takes land, and the action fails naming exactly the fields refused, with
// Dialpad's message, so the next run's plan holds only those. A 400 changes nothing (the request was invalid),
// so sending the fields again is safe; only a refused update costs the extra requests.
import { DialpadError } from '../dialpad/errors.js';
import type { UpdateUserInput } from '../dialpad/types.js';
import type { FieldChange, UpdatableField } from '../plan/types.js';
import type { ApplyContext } from './apply-context.js';
import type { DialpadUserState } from './create-user.js';
import { describeError } from '../errors/describe-error.js';
import { journaled, type WriteSubject } from './journaled.js';
import { dialpadWrites } from './writes.js';

/** A field Dialpad refused, with its 400. */
export interface RefusedField {
  field: UpdatableField;
  error: DialpadError;
}

/** Some fields of an update Dialpad refused; the others were applied. Its `cause` is the first refusal. */
export class FieldsRefusedError extends Error {
  readonly code = 'fields_refused';
  /** The first field's 400: what the run's failure cause (and quarantine) reads. */
  declare readonly cause: DialpadError;
  constructor(
    /** Each refused field with what Dialpad said (at least one). */
    readonly refused: readonly [RefusedField, ...RefusedField[]],
    /** The fields applied despite them. */
    readonly applied: readonly UpdatableField[],
  ) {
    const said = refused.map(({ field, error }) => `${field} refused (${describeError(error)})`).join('; ');
    super(applied.length === 0 ? said : `${said}; applied: ${applied.join(', ')}`, { cause: refused[0].error });
    this.name = 'FieldsRefusedError';
  }
}

/** The Dialpad update for these changes (a license change keeps the user's paid numbers). */
export function updateInput(changes: readonly FieldChange[]): UpdateUserInput {
  const input: UpdateUserInput = {};
  for (const change of changes) {
    if (change.field === 'first_name') input.firstName = String(change.to);
    else if (change.field === 'last_name') input.lastName = String(change.to);
    else if (change.field === 'job_title') input.jobTitle = String(change.to);
    else if (change.field === 'emails') input.emails = Array.isArray(change.to) ? change.to : [change.to];
    else {
      input.license = change.to as NonNullable<UpdateUserInput['license']>;
      input.keepPaidNumbers = true;
    }
  }
  return input;
}

/**
 * PATCHes the changes onto Dialpad user `id` (each PATCH journaled for `subject`), splitting a refused update
 * into one PATCH per field. Returns the fields changed. Throws FieldsRefusedError when Dialpad refused some
 * fields (the others are applied), or the DialpadError of any other failure.
 */
export async function updateFields(
  id: string,
  changes: readonly FieldChange[],
  state: DialpadUserState,
  subject: WriteSubject,
  context: Pick<ApplyContext, 'dialpad' | 'store'>,
): Promise<string> {
  const patch = async (some: readonly FieldChange[]): Promise<void> => {
    const updated = await journaled(context.store, subject, dialpadWrites(context.dialpad).updateUser(id, updateInput(some)));
    state.phoneNumbers = updated.phoneNumbers;
    state.jobTitle = updated.jobTitle;
  };
  try {
    await patch(changes);
    return changes.map((change) => change.field).join(', ');
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const [only] = changes;
    if (changes.length === 1 && only) throw new FieldsRefusedError([{ field: only.field, error }], []);
  }
  const refused: RefusedField[] = [];
  const applied: UpdatableField[] = [];
  for (const change of changes) {
    try {
      await patch([change]);
      applied.push(change.field);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      refused.push({ field: change.field, error });
    }
  }
  // Refused as a whole but each field alone went through: Dialpad objected to the combination; it is done now.
  const [first, ...more] = refused;
  if (first === undefined) return applied.join(', ');
  throw new FieldsRefusedError([first, ...more], applied);
}

function isRefusal(error: unknown): error is DialpadError {
  return error instanceof DialpadError && error.code === 'bad_request';
}
