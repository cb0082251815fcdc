// Our own types for the Okta side. Everything from the wire is parsed into these at the boundary (schema.ts).

/** Every Okta user status (User.status in the Management API); any other value rejects the assignment. */
export const OKTA_USER_STATUSES = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
] as const;
/** An Okta user's status; which ones count as employed is a rule (docs/rules.md#scope). */
export type OktaUserStatus = (typeof OKTA_USER_STATUSES)[number];

/**
 * The attributes of Okta's base user profile schema (UserProfile in the management API spec): they live on the
 * user profile only, and the spec types every one of them as a string.
 */
export const OKTA_BASE_PROFILE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'login',
  'email',
  'secondEmail',
  'firstName',
  'lastName',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
  'title',
  'displayName',
  'nickName',
  'profileUrl',
  'primaryPhone',
  'mobilePhone',
  'streetAddress',
  'city',
  'state',
  'zipCode',
  'countryCode',
  'postalAddress',
  'preferredLanguage',
  'locale',
  'timezone',
  'userType',
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
  'managerId',
  'manager',
]);

/** A scalar profile value as Okta returns it; arrays are joined by the schema, objects dropped. */
export type ProfileValue = string | number | boolean | null;
/** An Okta user or app-user profile: attribute name → value (only the attributes dialsync reads, when told which). */
export type Profile = Readonly<Record<string, ProfileValue>>;

/** One user assigned to the Dialpad app in Okta (directly or through a group), with the Okta user embedded. */
export interface OktaAssignment {
  oktaUserId: string;
  /** USER: assigned directly; GROUP: through a group assigned to the app. */
  scope: 'USER' | 'GROUP';
  /** The app-user status (not the Okta user status). */
  appUserStatus: string;
  /** The Okta user's own status. */
  status: OktaUserStatus;
  /** The Okta user profile (login, email, firstName, ... and custom attributes such as dialpadPhone). */
  profile: Profile;
  /** The app-user profile (custom app attributes such as licenseType, officeName). */
  appProfile: Profile;
}

/** An assignment the boundary could not parse: the user is skipped with this reason, the rest go on. */
export interface OktaRejectedAssignment {
  oktaUserId: string | null;
  login: string | null;
  reason: string;
}

/** A full listing of the app's assignments: the users read, and the items the boundary rejected. */
export interface OktaAssignmentListing {
  assignments: OktaAssignment[];
  rejected: OktaRejectedAssignment[];
}

/** One page of the app's assignments that match a search (OktaGateway.searchAssignments). */
export interface OktaAssignmentSearch extends OktaAssignmentListing {
  /** Okta has more matches than this page holds (its answer has a next link). */
  more: boolean;
}

/** What became of an Okta user that is no longer assigned to the app (looked up by id). */
export type OktaUserFate =
  | { kind: 'exists'; status: OktaUserStatus }
  | { kind: 'deleted' };

/** An Okta group (Group in the management API: its id and profile.name). */
export interface OktaGroup {
  id: string;
  name: string;
}

/** Where dialsync writes the Dialpad number back. */
export type WriteBackTarget = 'user' | 'appUser';

/** The Okta side as the reconciler uses it; implemented by okta/source.ts over the SDK. */
export interface OktaGateway {
  /** Checks the credentials and the app id once (the SDK swallows token errors); throws OktaError. */
  checkAccess(): Promise<void>;
  /** Every user assigned to the app (`listApplicationUsers` with expand=user), each once; throws OktaError. */
  listAssignments(): Promise<OktaAssignmentListing>;
  /**
   * The app's users whose user name, first name, last name or email starts with `query` (`listApplicationUsers`
   * with `q` and expand=user): one page of at most `limit` (1 to 500), no next page read. Throws OktaError.
   */
  searchAssignments(query: string, limit: number): Promise<OktaAssignmentSearch>;
  /** One user's assignment, or null when the user is not assigned (404). Used by --user. */
  getAssignment(oktaUserId: string): Promise<OktaAssignment | null>;
  /** The id of the Okta user with this login, or null (for --user EMAIL). */
  findUserIdByLogin(login: string): Promise<string | null>;
  /** Status of an Okta user by id, or deleted when Okta answers 404. */
  getUserFate(oktaUserId: string): Promise<OktaUserFate>;
  /** Partial update (POST) of one profile attribute, on the user or the app user. value null clears it. */
  writeProfileAttribute(oktaUserId: string, target: WriteBackTarget, attribute: string, value: string | null): Promise<void>;
  /** The ids of the groups assigned to the app: their membership events add or remove app users (incremental sync). */
  listAppGroupIds(): Promise<string[]>;
  /**
   * The scoping groups (config scope.groups) as Okta groups, each once: an entry shaped like a group id (00g…) is
   * read by id (`getGroup`), any other is an exact name (`listGroups` with search `profile.name eq`, paged, then
   * compared exactly). Throws ScopeGroupError when an entry names no group or a name several; OktaError otherwise.
   */
  resolveGroups(entries: readonly string[]): Promise<OktaGroup[]>;
  /**
   * The ids of a group's members (`listGroupUsers`, paged by 200 as the spec recommends, Link headers followed):
   * only the ids are kept. Throws OktaError (`not_found` for an unknown group, `invalid_response` for a page that
   * is not a list of users with ids).
   */
  listGroupMemberIds(groupId: string): Promise<Set<string>>;
  /**
   * The ids of the groups a user is a member of (`listUserGroups`: one request, not paged); empty for a user Okta
   * no longer has (404). Throws OktaError.
   */
  listUserGroupIds(oktaUserId: string): Promise<string[]>;
  /**
   * The System Log actor id of dialsync's own writes, so its write-backs are not taken for changes: the API
   * token's owner (`getUser` of `me`) or the service app's client id. null when it cannot be told.
   */
  whoAmI(): Promise<string | null>;
  /**
   * The org's id (`getWellknownOrgMetadata`): kept with the tenant pin, and read again only when the org URL
   * differs from the pinned one. null when the org does not tell.
   */
  getOrgId(): Promise<string | null>;
}
