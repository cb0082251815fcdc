// What an approve, dismiss or release applies to, as a form posts it or a client sends it as JSON. Each form of
// the body has its own schema, picked by the field present, so a refusal names the field at fault.
import { z } from 'zod';
import { ConsoleInputError, parseInput } from './input-error.js';

/** One form value or several (a form posts repeated checkboxes as an array, a single one as a string). */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]), z.array(item).min(1, 'select at least one').max(10_000));

/** A form's "all" button posts the string "true"; JSON sends true. */
const allFlag = z.preprocess((value) => (value === 'true' ? true : value), z.literal(true));

/** What approve and dismiss apply to: these held action ids, or every action held now. */
export type HeldSelection = { ids: number[] } | { all: true };

/** What a release applies to: these user keys, every user whose last failure had this cause code, or every failing user. */
export type ReleaseSelection = { userKeys: string[] } | { cause: string } | { all: true };

const heldIds = z.object({ ids: many(z.coerce.number().int().positive()) });
const everything = z.object({ all: allFlag });
const userKeys = z.object({ userKeys: many(z.string().min(1).max(500)) });
const cause = z.object({ cause: z.string().trim().min(1).max(200) });
const one = z.object({ one: z.string().min(1).max(500) });

/**
 * The body of POST /held/approve and /held/dismiss (and their /api twins): `{ ids: number[] }` or `{ all: true }`
 * (`all` wins when a form posts both). A form's `_csrf` field is ignored here (the access check reads it).
 * @throws ConsoleInputError naming the field at fault.
 */
export function parseHeldSelection(body: unknown): HeldSelection {
  const fields = asFields(body);
  if (fields.all !== undefined) return parseInput(everything, fields);
  if (fields.ids !== undefined) return parseInput(heldIds, fields);
  throw new ConsoleInputError('ids', 'give the held action ids to decide on, or all: true');
}

/**
 * The body of POST /quarantine/release (and its /api twin): `{ userKeys: string[] }`, `{ cause: string }` or
 * `{ all: true }`; a form's per-user button posts `one` (that user's key), which wins over the boxes ticked, then
 * `all`, then `cause`. @throws ConsoleInputError naming the field at fault.
 */
export function parseReleaseSelection(body: unknown): ReleaseSelection {
  const fields = asFields(body);
  if (fields.one !== undefined) return { userKeys: [parseInput(one, fields).one] };
  if (fields.all !== undefined) return parseInput(everything, fields);
  if (fields.cause !== undefined) return parseInput(cause, fields);
  if (fields.userKeys !== undefined) return parseInput(userKeys, fields);
  throw new ConsoleInputError('userKeys', 'give the user keys to release, a cause, or all: true');
}

function asFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConsoleInputError('', 'the body must be an object (JSON or a form)');
  return body as Record<string, unknown>;
}
