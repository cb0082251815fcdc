import { z } from 'zod';
import { StringPool } from '../collections/string-pool.js';
import type {
  DialpadAvailableLicenses,
  DialpadCompany,
  DialpadNumber,
  DialpadOffice,
  DialpadRejectedUser,
  DialpadUser,
  DialpadUserListing,
} from './types.js';

// Schemas of the Dialpad API v2 responses we read (components.schemas of Dialpad's OpenAPI spec).
// The spec declares every field nullable; we require only what we cannot act without. Fields we do
// not read are left out, and z.object drops unknown keys, so additions on Dialpad's side are harmless.
// Enums (state, license, status) are read as plain strings: a value Dialpad adds later must not make
// a user unreadable.

/**
 * An int64 id. Dialpad sends a JSON number (kept exact beyond 2^53 by int64-json, which turns it into
 * a string) or, as in the spec's examples, a decimal string (protobuf JSON). Always a string for us.
 */
export const int64IdSchema = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an int64 id')])
  .transform((value) => String(value));

/** An int64 count (available licenses), sent as number or decimal string. */
const int64CountSchema = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/, 'expected an integer')
    .transform((value) => Number(value)),
]);

const stringList = z.array(z.string()).nullish();

/** `UserProto` (`users.list`, `users.get` and the answers of the user writes): only `id` and `state` are required. */
export const userProtoSchema = z.object({
  // A user we cannot identify, or whose state we do not know, cannot be reconciled safely.
  id: int64IdSchema,
  state: z.string({ error: (issue) => (issue.input == null ? 'state is missing' : undefined) }),
  emails: stringList,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  job_title: z.string().nullish(),
  office_id: int64IdSchema.nullish(),
  license: z.string().nullish(),
  phone_numbers: stringList,
  country: z.string().nullish(),
  language: z.string().nullish(),
});
/** A user as read off the wire, before toDialpadUser. */
export type UserProto = z.infer<typeof userProtoSchema>;

/**
 * The `{items, cursor}` envelope of every list endpoint (UserCollection, OfficeCollection, NumberCollection in the
 * spec); items are checked one by one. Both keys are optional and nullable in the spec, so `{}` is an empty page
 * (as protobuf JSON writes an empty list). An answer that holds neither key but others (`{"offices": "none"}`,
 * `{"users": [...]}`) is something else: refused rather than read as an empty page.
 */
export const collectionSchema = z
  .looseObject({
    items: z.array(z.unknown()).nullish(),
    cursor: z.string().nullish(),
  })
  .refine((page) => Object.keys(page).length === 0 || 'items' in page || 'cursor' in page, {
    error: (issue) => `not a collection: it has neither items nor cursor (keys: ${Object.keys(issue.input as object).join(', ')})`,
  })
  .transform(({ items, cursor }) => ({ items, cursor }));
/** One page of a list endpoint: its items (unchecked) and the cursor of the next page, if any. */
export type Collection = z.infer<typeof collectionSchema>;

/** `OfficeProto` (`offices.list`): `id` and `office_id` carry the same value; one of them is required. */
export const officeProtoSchema = z
  .object({
    id: int64IdSchema.nullish(),
    office_id: int64IdSchema.nullish(),
    name: z.string().nullish(),
    country: z.string().nullish(),
    state: z.string().nullish(),
    is_primary_office: z.boolean().nullish(),
    phone_numbers: stringList,
  })
  .refine((office) => office.id != null || office.office_id != null, { message: 'office has no id' });
/** An office as read off the wire, before toDialpadOffice. */
export type OfficeProto = z.infer<typeof officeProtoSchema>;

/** `NumberProto` (`numbers.list`, `numbers.assign_user_number.post`): `number` (E.164) is required. */
export const numberProtoSchema = z.object({
  number: z.string({ error: (issue) => (issue.input == null ? 'number is missing' : undefined) }),
  status: z.string().nullish(),
  office_id: int64IdSchema.nullish(),
  target_id: int64IdSchema.nullish(),
  target_type: z.string().nullish(),
  area_code: z.string().nullish(),
});
/** A number as read off the wire, before toDialpadNumber. */
export type NumberProto = z.infer<typeof numberProtoSchema>;

/** `AvailableLicensesProto` (`plan.available_licenses.get`): the seats left, counts. */
export const availableLicensesSchema = z.object({
  talk_lines: int64CountSchema.nullish(),
  sell_lines: int64CountSchema.nullish(),
  contact_center_lines: int64CountSchema.nullish(),
});
/** Available licenses as read off the wire (counts), before toDialpadAvailableLicenses. */
export type AvailableLicensesProto = z.infer<typeof availableLicensesSchema>;

/** `CompanyProto` (GET /api/v2/company, `company.get`): only read to prove the key works; both fields optional. */
export const companySchema = z.object({
  id: int64IdSchema.nullish(),
  name: z.string().nullish(),
});

/**
 * protos.company.CompanyProto as read to pin the tenant (GET /api/v2/company, operation `company.get`): the
 * company the API key belongs to. Its `id` is required: a company that cannot be told apart cannot be pinned.
 */
export const companyIdentitySchema = companySchema.extend({ id: int64IdSchema });
/** The company as read to pin the tenant (its id present). */
export type CompanyIdentityProto = z.infer<typeof companyIdentitySchema>;

/** The company in our own shape (a missing name is null). Pure. */
export function toDialpadCompany(proto: CompanyIdentityProto): DialpadCompany {
  return { id: proto.id, name: proto.name ?? null };
}

/**
 * A user as dialsync sees it (absent fields null, lists empty). A listing passes its pool, so the values its users
 * repeat are held once. Pure; does not throw.
 */
export function toDialpadUser(proto: UserProto, pool: StringPool = StringPool.none): DialpadUser {
  return {
    id: proto.id,
    emails: proto.emails ?? [],
    firstName: pool.intern(proto.first_name ?? null),
    lastName: pool.intern(proto.last_name ?? null),
    jobTitle: pool.intern(proto.job_title ?? null),
    officeId: pool.intern(proto.office_id ?? null),
    license: pool.intern(proto.license ?? null),
    state: pool.intern(proto.state),
    phoneNumbers: proto.phone_numbers ?? [],
    country: pool.intern(proto.country ?? null),
    language: pool.intern(proto.language ?? null),
  };
}

/** An office as dialsync sees it: the id from `id` or `office_id`, an unnamed office named "". Pure. */
export function toDialpadOffice(proto: OfficeProto): DialpadOffice {
  // The refine above guarantees one of the two ids.
  const id = proto.id ?? proto.office_id ?? '';
  return {
    id,
    // An unnamed office can still be chosen by country or as the primary; it never matches a name.
    name: proto.name ?? '',
    country: proto.country ?? null,
    state: proto.state ?? null,
    isPrimary: proto.is_primary_office ?? false,
    phoneNumbers: proto.phone_numbers ?? [],
  };
}

/** A number as dialsync sees it (absent fields null, a missing status ""). Pure. */
export function toDialpadNumber(proto: NumberProto): DialpadNumber {
  return {
    number: proto.number,
    // Empty when Dialpad did not say.
    status: proto.status ?? '',
    officeId: proto.office_id ?? null,
    targetId: proto.target_id ?? null,
    targetType: proto.target_type ?? null,
    areaCode: proto.area_code ?? null,
  };
}

/** Seat counts as dialsync sees them (null when Dialpad did not say). Pure. */
export function toDialpadAvailableLicenses(proto: AvailableLicensesProto): DialpadAvailableLicenses {
  return {
    talkLines: proto.talk_lines ?? null,
    sellLines: proto.sell_lines ?? null,
    contactCenterLines: proto.contact_center_lines ?? null,
  };
}

/**
 * One page of users: each item checked on its own, so one bad user does not hide the others; an item that fails
 * is `rejected` with its id and emails when readable (docs/rules.md#bad-data). Pure; does not throw.
 */
export function toDialpadUserListing(items: readonly unknown[], pool: StringPool = StringPool.none): DialpadUserListing {
  const users: DialpadUser[] = [];
  const rejected: DialpadRejectedUser[] = [];
  for (const item of items) {
    const parsed = userProtoSchema.safeParse(item);
    if (parsed.success) {
      users.push(toDialpadUser(parsed.data, pool));
    } else {
      rejected.push({ id: idOf(item), reason: describeIssues(parsed.error), emails: emailsOf(item) });
    }
  }
  return { users, rejected };
}

/** The id of an item that failed its schema, when it has a usable one. */
function idOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || !('id' in item)) return null;
  const parsed = int64IdSchema.safeParse(item.id);
  return parsed.success ? parsed.data : null;
}

/** The readable emails of an item that failed its schema (so the user it belongs to is left alone too). */
function emailsOf(item: unknown): string[] {
  if (typeof item !== 'object' || item === null || !('emails' in item) || !Array.isArray(item.emails)) return [];
  return item.emails.filter((email: unknown): email is string => typeof email === 'string' && email.trim() !== '');
}

/**
 * The schema issues in one line, each prefixed by its path, e.g.
 * "state: state is missing; emails.0: Invalid input: expected string, received number". Pure.
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
