// What an approve, dismiss or release applies to, as a form posts it or a client sends it as JSON. A form and a JSON
// body have their own schemas: a form sends strings (its buttons pick the selector, so the button pressed wins over
// boxes ticked), JSON sends typed values and must name exactly one selector. A refusal names the field at fault.
import { z } from 'zod';
import { ConsoleInputError, parseInput } from './input-error.js';

/** What approve and dismiss apply to: these held action ids, or every action held now. */
export type HeldSelection = { ids: number[] } | { all: true };

/** What a release applies to: these user keys, every user whose last failure had this cause code, or every failing user. */
export type ReleaseSelection = { userKeys: string[] } | { cause: string } | { all: true };

/** How a body came: an HTML form (application/x-www-form-urlencoded) or JSON. */
export type BodyFormat = 'form' | 'json';

/** A form posted with nothing ticked: the page sends the admin back with a note, not an error page. */
export class NothingSelectedError extends ConsoleInputError {}

/**
 * A selection none of whose ids, user keys or cause matches anything held or failing now (answered 404
 * `{ error: 'not_found', field, unknown }`): nothing was changed.
 */
export class SelectionNotFoundError extends Error {
  /** A stable code for clients. */
  readonly code = 'not_found';

  constructor(
    /** The selector at fault: ids, userKeys or cause. */
    readonly field: string,
    /** The values that matched nothing. */
    readonly unknown: readonly (number | string)[],
  ) {
    super(`${field}: none of ${unknown.join(', ')} matches anything that can be decided now`);
    this.name = 'SelectionNotFoundError';
  }
}

const MAX = 10_000;

/** One form value or several (a form posts repeated checkboxes as an array, a single one as a string). */
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]), z.array(item).min(1, 'select at least one').max(MAX));

/** A form's digits as a positive id (forms send strings). */
const formId = z.string().regex(/^[1-9][0-9]{0,15}$/, 'a held action id is a positive integer').transform(Number);

const formHeld = { ids: z.object({ ids: many(formId) }), all: z.object({ all: z.literal('true') }) };
const jsonHeld = {
  ids: z.object({ ids: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1, 'give at least one id').max(MAX) }),
  all: z.object({ all: z.literal(true, { message: 'all is true or absent' }) }),
};

const userKey = z.string().min(1).max(500);
const cause = z.object({ cause: z.string().trim().min(1).max(200) });
const formRelease = { one: z.object({ one: userKey }), cause, userKeys: z.object({ userKeys: many(userKey) }) };
const jsonRelease = { all: jsonHeld.all, cause, userKeys: z.object({ userKeys: z.array(userKey).min(1, 'give at least one user key').max(MAX) }) };

/**
 * The body of POST /held/approve and /held/dismiss (and their /api twins). JSON: exactly one of `{ ids: number[] }`
 * (positive integers, JSON numbers) or `{ all: true }`, and no other field. A form: `ids` (digits) or `all=true`
 * (the "all" button wins over boxes ticked). A `_csrf` field is ignored here (the access check reads it).
 * @throws ConsoleInputError naming the field at fault; NothingSelectedError for a form with nothing ticked.
 */
export function parseHeldSelection(body: unknown, format: BodyFormat): HeldSelection {
  const fields = asFields(body);
  if (format === 'form') {
    if (fields.all !== undefined) return formAll(fields);
    if (fields.ids !== undefined) return parseInput(formHeld.ids, fields);
    throw new NothingSelectedError('ids', 'tick at least one action first');
  }
  const selector = oneSelector(fields, ['ids', 'all'], 'give the held action ids to decide on, or all: true');
  return selector === 'all' ? parseInput(jsonHeld.all, fields) : parseInput(jsonHeld.ids, fields);
}

/**
 * The body of POST /quarantine/release (and its /api twin). JSON: exactly one of `{ userKeys: string[] }`,
 * `{ cause: string }` or `{ all: true }`, and no other field. A form: its per-user button posts `one` (that user's
 * key), which wins over the boxes ticked, then `all`, then `cause`, then the `userKeys` ticked.
 * @throws ConsoleInputError naming the field at fault; NothingSelectedError for a form with nothing ticked.
 */
export function parseReleaseSelection(body: unknown, format: BodyFormat): ReleaseSelection {
  const fields = asFields(body);
  if (format === 'form') {
    if (fields.one !== undefined) return { userKeys: [parseInput(formRelease.one, fields).one] };
    if (fields.all !== undefined) return formAll(fields);
    if (fields.cause !== undefined) return parseInput(formRelease.cause, fields);
    if (fields.userKeys !== undefined) return parseInput(formRelease.userKeys, fields);
    throw new NothingSelectedError('userKeys', 'tick at least one user first');
  }
  const selector = oneSelector(fields, ['userKeys', 'cause', 'all'], 'give the user keys to release, a cause, or all: true');
  return parseInput(jsonRelease[selector], fields);
}

/** The one selector a JSON body names; refuses none, two, or a field the body may not carry. */
function oneSelector<K extends string>(fields: Record<string, unknown>, selectors: readonly K[], none: string): K {
  for (const key of Object.keys(fields)) if (key !== '_csrf' && !(selectors as readonly string[]).includes(key)) throw new ConsoleInputError(key, `unknown field (give one of ${selectors.join(', ')})`);
  const given = selectors.filter((key) => fields[key] !== undefined);
  const [first, second] = given;
  if (first === undefined) throw new ConsoleInputError(selectors[0] ?? '', none);
  if (second !== undefined) throw new ConsoleInputError(second, `give one of ${selectors.join(', ')}, not both ${first} and ${second}`);
  return first;
}

/** A form's "all" button (it posts the string "true"). */
function formAll(fields: Record<string, unknown>): { all: true } {
  parseInput(formHeld.all, fields);
  return { all: true };
}

function asFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ConsoleInputError('', 'the body must be an object (JSON or a form)');
  return body as Record<string, unknown>;
}
