import { z } from 'zod';
import { StringPool } from '../collections/string-pool.js';
import {
  OKTA_BASE_PROFILE_ATTRIBUTES,
  OKTA_USER_STATUSES,
  type OktaAssignment,
  type OktaRejectedAssignment,
  type Profile,
  type ProfileValue,
} from './types.js';

// What Okta sends, parsed once at the edge into our own types (types.ts). The input is the JSON Okta sent, as
// source.ts read it from the response.

/**
 * Profile values as dialsync sees them:
 * - strings, numbers, booleans and null are kept as they are;
 * - arrays of scalars (Okta's string/number array attributes) are joined with ', ' into one string,
 *   in Okta's order, so a multi-valued attribute can still be mapped and compared; an empty array is null;
 * - objects, and arrays holding objects, are dropped: no Dialpad field takes a structure.
 */
export function toProfileValue(value: unknown): ProfileValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items = value.filter((item: unknown) => item !== null && item !== undefined);
    if (!items.every((item: unknown) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
      return undefined;
    }
    return items.length === 0 ? null : items.map(String).join(', ');
  }
  return undefined;
}

const rawProfileSchema = z.record(z.string(), z.unknown(), { error: (issue) => (issue.input === undefined ? 'missing' : 'not an object') });

function toProfile(raw: Record<string, unknown>): Profile {
  const profile: Record<string, ProfileValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    const kept = toProfileValue(value);
    if (kept !== undefined) profile[key] = kept;
  }
  return profile;
}

const profileSchema = rawProfileSchema.transform(toProfile);

const nonEmpty = z.string().regex(/\S/, 'must not be empty');

/** What a wire value is, for a message: 'a number (12345)', 'a boolean (true)', 'an object', 'a list (["a"])'. */
function describeWireValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list (${shortJson(value)})`;
  switch (typeof value) {
    case 'string':
      return `a string (${shortJson(value)})`;
    case 'number':
      return `a number (${String(value)})`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'object':
      // Its contents are not shown: an object may hold anything, and only its type is wrong.
      return 'an object';
    default:
      return typeof value;
  }
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * Why a profile attribute dialsync reads cannot be read, or null. Okta's schema types every base attribute
 * (login, email, firstName, ...) as a string; a custom attribute may also be a number, a boolean or a list of
 * them (read as text), but never an object, which no Dialpad field takes.
 */
function attributeTypeProblem(name: string, value: unknown): string | null {
  if (value === undefined || value === null || typeof value === 'string') return null;
  if (OKTA_BASE_PROFILE_ATTRIBUTES.has(name)) return `${name} is ${describeWireValue(value)}, expected a string`;
  if (toProfileValue(value) !== undefined) return null;
  return `${name} is ${describeWireValue(value)}, expected a string, number, boolean or a list of them`;
}

/** Every Okta user has a login; a profile without one cannot be matched to anything. */
const userProfileSchema = rawProfileSchema
  .superRefine((profile, ctx) => {
    const login = profile['login'];
    const wrongType = attributeTypeProblem('login', login);
    if (wrongType !== null) ctx.addIssue({ code: 'custom', path: ['login'], message: wrongType });
    else if (typeof login !== 'string' || login.trim() === '') ctx.addIssue({ code: 'custom', path: ['login'], message: 'the profile has no login' });
  })
  .transform(toProfile);

/**
 * The Okta user, as `getUser` returns it and as AppUser._embedded.user embeds it: a non-empty id, a known status
 * and a profile with a login.
 */
export const oktaUserSchema = z.object({
  id: nonEmpty,
  status: z.enum(OKTA_USER_STATUSES, { error: (issue) => `unknown Okta user status ${JSON.stringify(issue.input)}` }),
  profile: userProfileSchema,
});
/** An Okta user as oktaUserSchema parses it: id, status and profile. */
export type OktaUserRecord = z.infer<typeof oktaUserSchema>;

/** The application user (AppUser) of `listApplicationUsers` and `getApplicationUser`, with expand=user. */
export const appUserSchema = z.object({
  id: nonEmpty,
  scope: z.enum(['USER', 'GROUP']),
  status: nonEmpty,
  // SSO-only apps may have no app-user profile at all.
  profile: profileSchema.nullish().transform((profile): Profile => profile ?? {}),
  _embedded: z.object({ user: z.unknown() }).partial().nullish(),
});

/** True when toOktaAssignment rejected the item. */
export function isRejectedAssignment(result: OktaAssignment | OktaRejectedAssignment): result is OktaRejectedAssignment {
  return 'reason' in result;
}

/** How toOktaAssignment reads an item: which attributes it keeps, and the pool their values share. */
export interface AssignmentReading {
  /**
   * The profile attributes dialsync reads (the mapping and the write-back attribute); the others are dropped
   * as each page is read, so 100,000 assignments do not keep every attribute of every profile. All when absent.
   * A kept attribute of a type dialsync cannot read (a number in a base attribute such as email, an object
   * anywhere) rejects the assignment, naming it; when absent, only the login is checked.
   */
  keepAttributes?: ReadonlySet<string> | undefined;
  /** Shares repeated values (statuses, titles, office names, ...) across the assignments of one listing. */
  pool?: StringPool | undefined;
}

/**
 * Maps one AppUser (with `_embedded.user`, from expand=user) to an assignment, or to a rejection that
 * says why, so one bad item never stops the others.
 */
export function toOktaAssignment(raw: unknown, reading: AssignmentReading = {}): OktaAssignment | OktaRejectedAssignment {
  const appUser = appUserSchema.safeParse(raw);
  if (!appUser.success) return reject(raw, `the app user is malformed: ${describeIssues(appUser.error)}`);

  const embedded = appUser.data._embedded?.user;
  if (embedded === undefined || embedded === null) {
    // A next link that dropped expand=user would look like this; source.ts puts expand back on each one.
    return reject(raw, 'the app user came without its Okta user (_embedded.user): the request lacked expand=user');
  }
  const user = oktaUserSchema.safeParse(embedded);
  if (!user.success) return reject(raw, `the embedded Okta user is malformed: ${describeIssues(user.error)}`);
  if (user.data.id !== appUser.data.id) {
    return reject(raw, `the embedded Okta user ${user.data.id} is not the app user ${appUser.data.id}`);
  }

  const wrongType = readAttributeProblem(embedded, raw, reading.keepAttributes);
  if (wrongType !== null) return reject(raw, wrongType);

  const pool = reading.pool ?? StringPool.none;
  return {
    oktaUserId: appUser.data.id,
    scope: pool.intern(appUser.data.scope),
    appUserStatus: pool.intern(appUser.data.status),
    status: pool.intern(user.data.status),
    profile: compactProfile(user.data.profile, reading.keepAttributes, pool),
    appProfile: compactProfile(appUser.data.profile, reading.keepAttributes, pool),
  };
}

/**
 * The first attribute dialsync reads (the kept ones) whose value has a type it cannot read, as a reason naming
 * the profile, or null. Checked on the wire values: the parsed profile has dropped objects already.
 */
function readAttributeProblem(user: unknown, appUser: unknown, keep: ReadonlySet<string> | undefined): string | null {
  if (keep === undefined) return null;
  // Base attributes are read from the user profile only (plan/rules/profile-attribute.ts).
  const profiles = [
    { where: 'the Okta user profile', profile: wireProfile(user), readsBase: true },
    { where: 'the app user profile', profile: wireProfile(appUser), readsBase: false },
  ];
  for (const { where, profile, readsBase } of profiles) {
    for (const name of keep) {
      if (!Object.hasOwn(profile, name) || (!readsBase && OKTA_BASE_PROFILE_ATTRIBUTES.has(name))) continue;
      const problem = attributeTypeProblem(name, profile[name]);
      if (problem !== null) return `${where} is malformed: ${problem}`;
    }
  }
  return null;
}

function wireProfile(raw: unknown): Record<string, unknown> {
  const profile = typeof raw === 'object' && raw !== null ? (raw as { profile?: unknown }).profile : undefined;
  return typeof profile === 'object' && profile !== null && !Array.isArray(profile) ? (profile as Record<string, unknown>) : {};
}

/** The profile with only the kept attributes, its text values shared through the pool (login and email are often one). */
function compactProfile(profile: Profile, keep: ReadonlySet<string> | undefined, pool: StringPool): Profile {
  const compact: Record<string, ProfileValue> = {};
  for (const [key, value] of Object.entries(profile)) {
    if (keep !== undefined && !keep.has(key)) continue;
    compact[key] = typeof value === 'string' ? pool.intern(value) : value;
  }
  return compact;
}

function reject(raw: unknown, reason: string): OktaRejectedAssignment {
  return { oktaUserId: pickString(raw, ['id']), login: pickLogin(raw), reason };
}

/** The login, wherever the broken item still has one: the embedded user's profile, then the app credentials. */
function pickLogin(raw: unknown): string | null {
  return (
    pickString(raw, ['_embedded', 'user', 'profile', 'login']) ??
    pickString(raw, ['credentials', 'userName'])
  );
}

function pickString(raw: unknown, path: readonly string[]): string | null {
  let current: unknown = raw;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return null;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' && current.trim() !== '' ? current : null;
}

/** "status: Invalid option: expected one of …; profile.login: Invalid input: expected string, received undefined". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
