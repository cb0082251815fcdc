// Our own types for the Dialpad side. Ids are int64 in Dialpad's API: they are strings here, end to end.

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
export type DialpadLicense = (typeof DIALPAD_LICENSES)[number];

/** UserProto.state. Other values Dialpad may add are kept as strings. */
export type DialpadUserState = 'active' | 'cancelled' | 'deleted' | 'pending' | 'suspended' | (string & {});

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

export interface DialpadNumber {
  number: string;
  status: string;
  officeId: string | null;
  targetId: string | null;
  targetType: string | null;
  areaCode: string | null;
}

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

export interface DialpadUserListing {
  users: DialpadUser[];
  rejected: DialpadRejectedUser[];
}

export interface CreateUserInput {
  email: string;
  officeId: string;
  firstName: string;
  lastName: string;
  license: DialpadLicense;
  autoAssign: boolean;
}

export interface UpdateUserInput {
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  emails?: string[];
  state?: 'active' | 'suspended';
  license?: DialpadLicense;
  keepPaidNumbers?: boolean;
}

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
  listUsers(): Promise<DialpadUserListing>;
  /** GET /api/v2/users?email=... (state=all): used to settle creates after a crash and on 409. */
  findUsersByEmail(email: string): Promise<DialpadUser[]>;
  getUser(id: string): Promise<DialpadUser | null>;
  /**
   * Targeted runs read only their users: the users holding this email (any state, matched case-insensitively)
   * and one user by id (empty when it is gone), each with the items that did not pass the schema, as a listing
   * reports them, so the planner leaves a half-readable user alone exactly as in a full run.
   */
  listUsersByEmail(email: string): Promise<DialpadUserListing>;
  getUserListing(id: string): Promise<DialpadUserListing>;
  listOffices(): Promise<DialpadOffice[]>;
  /** GET /api/v2/numbers?status=available */
  listAvailableNumbers(): Promise<DialpadNumber[]>;
  getAvailableLicenses(officeId: string): Promise<DialpadAvailableLicenses>;
  createUser(input: CreateUserInput): Promise<DialpadUser>;
  updateUser(id: string, input: UpdateUserInput): Promise<DialpadUser>;
  moveOffice(id: string, officeId: string): Promise<DialpadUser>;
  /** Returns the number assigned. */
  assignNumber(id: string, input: AssignNumberInput): Promise<DialpadNumber>;
  deleteUser(id: string): Promise<DialpadUser | null>;
}
