// The plan is plain data: what the planner decided, per user, and why. Nothing here does I/O.
import type { DialpadLicense, DialpadNumber, DialpadOffice, DialpadRejectedUser, DialpadUser } from '../dialpad/types.js';
import type { OktaAssignment, OktaRejectedAssignment, OktaUserFate, OktaUserStatus, WriteBackTarget } from '../okta/types.js';

/**
 * Which kinds of action a run may carry out (docs/rules.md#policy): `sync` all; `upsert-only` no suspend or delete
 * (nor the write-back that clears with them); `create-only` only creates, adopts and relinks (and a create's
 * write-back). What a policy removes is recorded as withheld.
 */
export type Policy = 'sync' | 'upsert-only' | 'create-only';

/** Okta attribute names that feed each Dialpad field (docs/rules.md#mapping); each is configurable. */
export interface AttributeMapping {
  firstName: string;
  lastName: string;
  /** Tried in order: the first non-empty is the primary email. */
  email: string[];
  title: string;
  /** Tried in order: the first non-empty names the office (docs/rules.md#office, step 1). */
  office: string[];
  country: string;
  language: string;
  license: string;
}

/** The rules the planner applies; built from the config file (config/schema.ts). */
export interface Rules {
  mapping: AttributeMapping;
  /** Okta user statuses that count as still employed (docs/rules.md#scope). */
  inScopeStatuses: OktaUserStatus[];
  /** Lower-cased licenseType value → Dialpad license (docs/rules.md#license). */
  licenseAliases: Record<string, DialpadLicense>;
  defaultLicense: DialpadLicense;
  /** Licenses that get no number (docs/rules.md#number); default lite_support_agents. */
  noNumberLicenses: DialpadLicense[];
  /** Country (lower-case alpha-2) → office name, to choose among several offices in one country (docs/rules.md#office, step 2). */
  countryOffices: Record<string, string>;
  /** Office name used when neither name nor country decides (docs/rules.md#office, step 3); else the primary office. */
  defaultOffice: string | null;
  /** What to do in Dialpad when the Okta user is deactivated or deleted (docs/rules.md#lifecycle). */
  onDeactivated: 'suspend' | 'delete';
  /** What to do when the Okta user is suspended (docs/rules.md#lifecycle). */
  onOktaSuspended: 'suspend' | 'ignore';
  /** Writing the Dialpad number back to Okta (docs/rules.md#write-back). */
  writeBack: {
    enabled: boolean;
    attribute: string;
    target: WriteBackTarget;
    /** For users suspended in Dialpad: keep (default) or clear the attribute. */
    onSuspended: 'keep' | 'clear';
  };
  policy: Policy;
  /** Scoping groups and filters (docs: README, Scoping); an assigned user they leave out is treated per onOutOfScope. */
  scope: ScopeRules;
  /** What a run does when Dialpad's value of a field differs from Okta's (docs: README, Drift). */
  drift: DriftPolicies;
}

/** How a scoping clause tests an attribute's value (config scope.include / scope.exclude, Entra's operators). */
export type ScopeOperator = 'equals' | 'notEquals' | 'oneOf' | 'matches' | 'isEmpty' | 'isNotEmpty' | 'startsWith' | 'endsWith';

/** One clause: `attribute` (read as the mapping reads attributes) tested by `operator` against `value` or `values`. */
export interface ScopeClause {
  attribute: string;
  operator: ScopeOperator;
  /** For equals, notEquals, startsWith, endsWith; the regular expression (JavaScript syntax) for matches. */
  value?: string | undefined;
  /** For oneOf. */
  values?: string[] | undefined;
  /** Compare without regard to case; default exact. */
  ignoreCase: boolean;
}

/** A scoping filter: holds when every clause holds (AND). A list of filters holds when any one does (OR). */
export interface ScopeFilter {
  /** Shown in the plan and explain; default "include filter 1", "exclude filter 2", ... */
  name?: string | undefined;
  clauses: ScopeClause[];
}

/** scope.groups, scope.include, scope.exclude and scope.onOutOfScope of the config file. */
export interface ScopeRules {
  /** Okta group ids (00g…) or exact names; empty: no group scoping. */
  groups: string[];
  /** Not empty: only users matching one of these are in scope. */
  include: ScopeFilter[];
  /** Users matching one of these are out of scope. */
  exclude: ScopeFilter[];
  /** suspend: a user left out is treated as unassigned; ignore: its Dialpad user is left as it is. */
  onOutOfScope: 'suspend' | 'ignore';
}

/** report: list the difference, change nothing; revert: write Okta's value; adopt: keep Dialpad's until Okta's changes. */
export type DriftPolicy = 'report' | 'revert' | 'adopt';

/** The drift policy of each field dialsync syncs (config drift.*). */
export interface DriftPolicies {
  name: DriftPolicy;
  job_title: DriftPolicy;
  office: DriftPolicy;
  license: DriftPolicy;
}

/** The Dialpad fields whose last applied value the store keeps (store table applied_values); `office` is the office id. */
export type AppliedField = 'first_name' | 'last_name' | 'job_title' | 'office' | 'license';

/** What dialsync last applied to (or adopted from) one field of a Dialpad user, and Okta's value at that time. */
export interface AppliedValue {
  /** The value Dialpad held after dialsync wrote or adopted it. */
  applied: string | null;
  /** Okta's value (as the rules read it) when dialsync last decided the field. */
  okta: string | null;
  /** ISO 8601 time of that decision; absent in the full run's packed form (the planner never reads it). */
  at?: string;
}

/** One Dialpad user's last applied values, by field (a field never decided is absent). */
export type AppliedValues = Partial<Record<AppliedField, AppliedValue>>;

/**
 * Dialpad user id → its last applied values: all the planner asks of PlanInput.appliedValues. A Map is one; a
 * full run's is a packed index (store: AppliedValueIndex).
 */
export interface AppliedValueLookup {
  /** The user's values (a field never decided absent), or undefined when none are recorded. */
  get(dialpadUserId: string): AppliedValues | undefined;
  /** The Dialpad user ids that have values, in no promised order. */
  keys(): IterableIterator<string>;
}

/** One row of the store table applied_values as a run writes it (the time is the store's clock). */
export interface AppliedRecord {
  dialpadUserId: string;
  field: AppliedField;
  /** The value Dialpad holds now (written by dialsync, or adopted from Dialpad). */
  applied: string | null;
  /** Okta's value (as the rules read it) at this decision. */
  okta: string | null;
}

/**
 * What a run decided about a field whose Dialpad value differs from Okta's (docs: README, Drift): reported (listed,
 * nothing changed), reverted (Okta's value written), adopted (Dialpad's kept), okta_changed (Okta's value changed
 * since the last decision and Okta's is written: ordinary sync when Dialpad still held the last applied value, Okta
 * winning over an adopted value or, under adopt, over an edit made in Dialpad).
 */
export type DriftDecision = 'reported' | 'reverted' | 'adopted' | 'okta_changed';

/**
 * One drift: a field edited in Dialpad (or adopted from it) whose value differs from Okta's (as the rules compute
 * it), with the policy that decided it; a plain Okta change is not drift and has none; `applied` is the last applied value the store holds (null: none recorded). `office` values are office ids.
 */
export interface DriftFinding {
  oktaUserId: string;
  dialpadUserId: string;
  email: string;
  field: AppliedField;
  okta: string | null;
  dialpad: string | null;
  applied: string | null;
  policy: DriftPolicy;
  decision: DriftDecision;
}

/**
 * The members of the scoping groups (scope.groups) as the read step found them: in a full run each group's members
 * read once (paged); in a targeted run only the run's users (their group memberships read by id).
 */
export interface ScopeGroupMembership {
  /** The scoping groups, resolved: id and name. */
  groups: { id: string; name: string }[];
  /** Group id → the Okta user ids that are members (only the run's users in a targeted run). */
  members: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Which Dialpad user dialsync keeps in step with which Okta user, as the store remembers it (docs/rules.md#link). */
export interface Link {
  oktaUserId: string;
  dialpadUserId: string;
  /** created: dialsync created the Dialpad user; adopted: it matched an existing one by email. */
  origin: 'created' | 'adopted';
}

/**
 * What the read step hands the planner: both sides and what dialsync remembers. Plain data; ids are strings
 * (Okta user ids, Dialpad int64 ids as decimal digits).
 */
export interface PlanInput {
  assignments: OktaAssignment[];
  rejectedAssignments: OktaRejectedAssignment[];
  dialpadUsers: DialpadUser[];
  offices: DialpadOffice[];
  availableNumbers: DialpadNumber[];
  links: Link[];
  /**
   * Fates of linked Okta users that are no longer assigned (looked up by the read step): those whose Dialpad user
   * is still to be suspended or deleted, and those whose Dialpad user an assigned user's email points at (re-hire).
   */
  fates: Record<string, OktaUserFate>;
  /**
   * Assignments of link owners read by id: Okta users not among `assignments` (in a targeted run, anyone outside
   * it) whose linked Dialpad user holds the email of an assigned user without a link, so the planner can tell
   * whether they still hold it. An owner neither here, nor in `assignments`, nor in `fates` is taken to hold it.
   */
  ownerAssignments?: OktaAssignment[];
  /** Only plan for these Okta user ids (reconcile --user); null = everyone. */
  onlyOktaUserIds: string[] | null;
  /** Dialpad users the listing could not read (no id, no state, ...): reported, never acted on. */
  rejectedDialpadUsers?: DialpadRejectedUser[];
  /** What the targeted reads found about users a full listing left out; absent when nothing was left out or nothing listed. */
  listingGaps?: ListingGaps | undefined;
  /** Members of the scoping groups; absent when scope.groups is empty (no group scoping). */
  scopeGroups?: ScopeGroupMembership | undefined;
  /** Dialpad user id → the values dialsync last applied (store table applied_values); absent: none known. */
  appliedValues?: AppliedValueLookup | undefined;
}

/** A user a listing left out, by id (Okta user id or Dialpad user id) and email when known. */
export interface LeftOutUser {
  id: string;
  email: string | null;
}

/**
 * The read step confirms at the source every absence a plan would act on: a linked Okta user missing from the
 * app-user listing (would be suspended) is read by id, and so is a linked Dialpad user missing from the Dialpad
 * listing (would be created again). Those still there are planned from that read as if listed; these are the
 * facts the health gates judge the listings by.
 */
export interface ListingGaps {
  /** Linked Okta users the listing left out whose assignment, read by id, still exists. */
  oktaStillAssigned: LeftOutUser[];
  /** Linked Okta users left out and not read by id (more than a run reads one by one): their absence is unproven. */
  oktaUnconfirmed: number;
  /** Linked Dialpad users the listing left out that a read by id still found. */
  dialpadStillThere: LeftOutUser[];
  /** Linked Dialpad users left out and not read by id: their absence is unproven. */
  dialpadUnconfirmed: number;
  /** dialsync's links, and how many of their Dialpad users the Dialpad listing held (the Dialpad health gate's measure). */
  dialpadLinked: { expected: number; listed: number };
}

/** What the rules make of one Okta assignment (docs/rules.md#mapping to #number). */
export interface DesiredUser {
  oktaUserId: string;
  /** Primary email, as in Okta (case kept; NFC, no trailing root dot); matching uses its emailKey (rules/email-identity.ts). */
  email: string;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  officeId: string;
  officeName: string;
  /** How the office was chosen, for the plan and `explain`. */
  officeRule: 'name' | 'country' | 'country-configured' | 'country-primary' | 'country-lowest-id' | 'default' | 'primary';
  license: DialpadLicense;
  wantsNumber: boolean;
  country: string | null;
  language: string | null;
  /** The current value of the write-back attribute in Okta. */
  currentWriteBack: string | null;
  /** Whether the Okta user is in scope (status); out-of-scope assignments lead to suspend. */
  inScope: boolean;
  status: OktaUserStatus;
}

/** The Dialpad user fields an update may change (`UpdateUserMessage` field names in Dialpad's OpenAPI spec). */
export type UpdatableField = 'first_name' | 'last_name' | 'job_title' | 'emails' | 'license';

/** One field an update changes: the Dialpad value now (null when unset) and the value wanted. */
export interface FieldChange {
  field: UpdatableField;
  from: string | string[] | null;
  to: string | string[];
}

/**
 * One step of a user's plan, as a discriminated union on `kind`; each carries a `reason` in words for the report
 * and `explain`. Ids are Dialpad int64 ids as strings; numbers are E.164.
 */
export type Action =
  | {
      kind: 'create';
      email: string;
      firstName: string;
      lastName: string;
      officeId: string;
      license: DialpadLicense;
      autoAssign: boolean;
      /** job_title cannot be set at create: the create is followed by a PATCH. */
      jobTitle: string | null;
      reason: string;
    }
  | { kind: 'adopt'; dialpadUserId: string; reason: string }
  /**
   * A re-hire: the link of Dialpad user `dialpadUserId` passes from `previousOktaUserId` (who let go of it, see
   * RelinkCause) to this Okta user, keeping its origin, so the same Dialpad user (and number) serves the new
   * Okta account. The actions after it reactivate and update that user.
   */
  | { kind: 'relink'; dialpadUserId: string; previousOktaUserId: string; cause: RelinkCause; origin: Link['origin']; reason: string }
  | { kind: 'reactivate'; reason: string }
  | { kind: 'update'; changes: FieldChange[]; reason: string }
  | { kind: 'move_office'; fromOfficeId: string | null; toOfficeId: string; international: boolean; reason: string }
  | { kind: 'assign_number'; number: string | null; areaCode: string | null; reason: string }
  /** approvedBy: the audit actor whose approval let it through a run-wide gate that would have held it. */
  | { kind: 'suspend'; reason: string; approvedBy?: string }
  | { kind: 'delete'; reason: string; approvedBy?: string }
  /** value null with pending true: the number is only known once the Dialpad side is done (after a create). */
  | { kind: 'write_back'; from: string | null; to: string | null; pending: boolean; reason: string };

/** The kinds of action, e.g. `create`, `suspend`, `write_back`. */
export type ActionKind = Action['kind'];

/**
 * Why the previous owner of a link let go of it: deactivated or deleted in Okta, no longer assigned to the app,
 * suspended in Okta (when onOktaSuspended is suspend), assigned in another status that is not in scope, or left out
 * by scope.groups or a filter (when scope.onOutOfScope is suspend).
 */
export type RelinkCause = 'deactivated' | 'deleted' | 'unassigned' | 'suspended' | 'not_in_scope' | 'out_of_scope';

/** Everything planned for one user, in the order it must run. */
export interface UserPlan {
  /** null for a Dialpad-only user (suspend/delete of a linked user whose Okta user is gone). */
  oktaUserId: string | null;
  /** null until created. */
  dialpadUserId: string | null;
  email: string;
  actions: Action[];
}

/** Why a user was left alone this run (docs/rules.md#bad-data, #duplicate-email, #policy, #safety). */
export type SkipCode =
  | 'invalid_okta_data'
  | 'missing_email'
  | 'invalid_email'
  | 'missing_name'
  /** A name Dialpad would not take (longer than DIALPAD_NAME_MAX_LENGTH). */
  | 'invalid_name'
  /** Dialpad sent the user's Dialpad side in a shape dialsync cannot act on safely (no id, unknown state, no emails). */
  | 'invalid_dialpad_data'
  | 'unknown_license'
  | 'no_office'
  | 'duplicate_email'
  | 'ambiguous_dialpad_match'
  /** The Dialpad user with the email is linked to another Okta user that still holds it (assigned and in scope). */
  | 'email_linked_elsewhere'
  /** Status not in scope: the Okta status is not one of scope.statuses (a code kept as stored in run history). */
  | 'not_in_scope'
  /** Left out by scope.groups or a scope.include / scope.exclude filter; the reason names the group or clause. */
  | 'out_of_scope'
  | 'policy'
  /** Failed in several runs in a row and left alone until its Okta data changes or it is released. */
  | 'quarantined';

/** A user the plan leaves alone, with why in words and as a code. Either id or email may be unknown. */
export interface SkippedUser {
  oktaUserId: string | null;
  email: string | null;
  code: SkipCode;
  reason: string;
  /**
   * Set when an assigned, in-scope Okta user is left without a Dialpad user because its email is held elsewhere
   * (another Okta user, or several Dialpad users): what an admin can do about it. Such users count as
   * unprovisioned (the run's summary, exit code 7).
   */
  remedy?: string;
}

/** Something worth telling an admin that changes no action (e.g. license drift left as it is). */
export interface PlanWarning {
  oktaUserId: string | null;
  email: string | null;
  message: string;
}

/**
 * A Dialpad user dialsync neither created nor adopted (docs/rules.md#ownership); `state` is `UserProto.state`.
 */
export interface UnmanagedUser {
  dialpadUserId: string;
  email: string | null;
  state: string;
}

/**
 * What calculatePlan decided: per user, the actions in the order they must run; plus who is left alone and why.
 * Plain data: a dry run prints it, `explain` reads it, apply carries it out.
 */
export interface Plan {
  users: UserPlan[];
  skipped: SkippedUser[];
  /** Dialpad users dialsync neither created nor adopted, and will not touch. */
  unmanaged: UnmanagedUser[];
  warnings: PlanWarning[];
  /** Actions a policy or a safety pass removed, for the record. */
  withheld: WithheldAction[];
  /** Every field edited in Dialpad that differs from Okta's, with its decision (docs: README, Drift); absent: none. */
  drift?: DriftFinding[];
  /**
   * The applied values an applying run records without writing to Dialpad: baselines (both sides agree and the store
   * holds no such record, or an outdated one) and adoptions (decision adopted). A dry run records nothing; the
   * values a run writes to Dialpad are recorded by apply after each confirmed write. Absent: none.
   */
  appliedRecords?: AppliedRecord[];
}

/**
 * An action the plan does not carry out this run, with why. The ids are the user's (as in its UserPlan) when the
 * pass that removed it knew them; `gate` names the run-wide gate that held it (absent: the policy or a per-user
 * pass withheld it).
 */
export interface WithheldAction {
  email: string;
  kind: ActionKind;
  reason: string;
  oktaUserId?: string | null;
  dialpadUserId?: string | null;
  gate?: 'mass-change' | 'source-health' | 'dialpad-health';
}
