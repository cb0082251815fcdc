// Our own types for the Dialpad side. Ids are int64 in Dialpad's API: they are strings here, end to end.

/**
 * The license types a create or update may send: the enum of `CreateUserMessage.license` and `UpdateUserMessage.license`
 * in Dialpad's OpenAPI spec (`user` since its 2026 edition). Chosen by the license rule (docs/rules.md#license).
 */
export const DIALPAD_LICENSES = [
  'admins',
  'agents',
  'dpde_all',
  'dpde_one',
  'lite_lines',
  'lite_support_agents',
  'magenta_lines',
  'talk',
  'user',
] as const;
/** One of DIALPAD_LICENSES. */
export type DialpadLicense = (typeof DIALPAD_LICENSES)[number];

/** UserProto.state. Other values Dialpad may add are kept as strings. */
export type DialpadUserState = 'active' | 'cancelled' | 'deleted' | 'pending' | 'suspended' | (string & {});

/**
 * A Dialpad user as read (`UserProto`), parsed once by schema.ts. Ids are decimal strings; absent fields are null.
 */
export interface DialpadUser {
  id: string;
  /** First is the primary email. Kept as Dialpad returns them (case preserved). */
  emails: string[];
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  officeId: string | null;
  license: string | null;
  state: DialpadUserState;
  /** E.164; the first is the primary number. */
  phoneNumbers: string[];
  country: string | null;
  language: string | null;
}

/** A Dialpad office as read (`OfficeProto`, GET /api/v2/offices `offices.list`). */
export interface DialpadOffice {
  id: string;
  name: string;
  /** ISO 3166 alpha-2 as Dialpad returns it (e.g. "us"); compare case-insensitively. */
  country: string | null;
  state: string | null;
  isPrimary: boolean;
  /** The office main line numbers (E.164). */
  phoneNumbers: string[];
}

/**
 * A Dialpad phone number (`NumberProto`): `number` is E.164; `status` is Dialpad's (e.g. "available"), empty when
 * not sent; `targetId`/`targetType` name who holds it (e.g. a user).
 */
export interface DialpadNumber {
  number: string;
  status: string;
  officeId: string | null;
  targetId: string | null;
  targetType: string | null;
  areaCode: string | null;
}

/**
 * Seats left in an office's plan (`AvailableLicensesProto`, GET /api/v2/offices/{office_id}/available_licenses
 * `plan.available_licenses.get`), counts of lines; null when Dialpad did not say.
 */
export interface DialpadAvailableLicenses {
  talkLines: number | null;
  sellLines: number | null;
  contactCenterLines: number | null;
}

/** The company an API key belongs to (GET /api/v2/company): what a store is pinned to on the Dialpad side. */
export interface DialpadCompany {
  /** int64 as a decimal string. */
  id: string;
  name: string | null;
}

/** A user Dialpad returned that did not pass the schema: left alone, reported. */
export interface DialpadRejectedUser {
  id: string | null;
  reason: string;
  /** The emails the item carried, when readable: an Okta user with one of them is not acted on either. */
  emails?: string[];
}

/** A read of Dialpad users: those that passed the schema, and those that did not (left alone, reported). */
export interface DialpadUserListing {
  users: DialpadUser[];
  rejected: DialpadRejectedUser[];
}

/**
 * What a create sends (`CreateUserMessage`, POST /api/v2/users `users.create`): `officeId` an int64 id string;
 * `autoAssign` asks Dialpad to give the user a number from the office's pool.
 */
export interface CreateUserInput {
  email: string;
  officeId: string;
  firstName: string;
  lastName: string;
  license: DialpadLicense;
  autoAssign: boolean;
}

/**
 * What an update sends (`UpdateUserMessage`, PATCH /api/v2/users/{id} `users.update`): only the fields set are sent.
 * `keepPaidNumbers` keeps the user's numbers when the license changes to a support one.
 */
export interface UpdateUserInput {
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  emails?: string[];
  state?: 'active' | 'suspended';
  license?: DialpadLicense;
  keepPaidNumbers?: boolean;
}

/**
 * What a number assignment sends (`AssignNumberMessage`, `numbers.assign_user_number.post`): a given E.164
 * `number`, or one from the office's pool (by `areaCode` when given); primary unless `primary` is false.
 */
export interface AssignNumberInput {
  number?: string;
  areaCode?: string;
  primary?: boolean;
}

/** Dialpad's REST API v2, as the reconciler uses it; implemented by dialpad/client.ts over fetch. */
export interface DialpadGateway {
  /** GET /api/v2/company: checks the key once at start; throws DialpadError. */
  checkAccess(): Promise<void>;
  /** GET /api/v2/company (`company.get`): the company the key belongs to, read once per run to check the tenant pin. */
  getCompany(): Promise<DialpadCompany>;
  /** GET /api/v2/users (`users.list`, state=all): every user, each once by id. Throws DialpadError. */
  listUsers(): Promise<DialpadUserListing>;
  /** GET /api/v2/users?email=... (state=all): used to settle creates after a crash and on 409. */
  findUsersByEmail(email: string): Promise<DialpadUser[]>;
  /** GET /api/v2/users/{id} (`users.get`): null when Dialpad answers 404. Throws DialpadError otherwise. */
  getUser(id: string): Promise<DialpadUser | null>;
  /**
   * Targeted runs read only their users: the users holding this email (any state, matched case-insensitively)
   * and one user by id (empty when it is gone), each with the items that did not pass the schema, as a listing
   * reports them, so the planner leaves a half-readable user alone exactly as in a full run.
   */
  listUsersByEmail(email: string): Promise<DialpadUserListing>;
  getUserListing(id: string): Promise<DialpadUserListing>;
  /** GET /api/v2/offices (`offices.list`): every office, each once. Throws DialpadError, also when none is listed. */
  listOffices(): Promise<DialpadOffice[]>;
  /** GET /api/v2/numbers?status=available (`numbers.list`): unreadable numbers are skipped. Throws DialpadError. */
  listAvailableNumbers(): Promise<DialpadNumber[]>;
  /** GET /api/v2/offices/{office_id}/available_licenses (`plan.available_licenses.get`). Throws DialpadError. */
  getAvailableLicenses(officeId: string): Promise<DialpadAvailableLicenses>;
  /** POST /api/v2/users (`users.create`): the user as created. Throws DialpadError; retried only when Dialpad surely did not act. */
  createUser(input: CreateUserInput): Promise<DialpadUser>;
  /** PATCH /api/v2/users/{id} (`users.update`): the user as updated. Throws DialpadError. */
  updateUser(id: string, input: UpdateUserInput): Promise<DialpadUser>;
  /** PATCH /api/v2/users/{id}/move_office (`users.move_office.patch`): the user as moved. Throws DialpadError. */
  moveOffice(id: string, officeId: string): Promise<DialpadUser>;
  /** POST /api/v2/users/{id}/assign_number (`numbers.assign_user_number.post`): the number assigned. Throws DialpadError. */
  assignNumber(id: string, input: AssignNumberInput): Promise<DialpadNumber>;
  /** DELETE /api/v2/users/{id} (`users.delete`): null when already gone (404) or no body. Throws DialpadError. */
  deleteUser(id: string): Promise<DialpadUser | null>;
}
