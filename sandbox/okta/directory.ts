// The state of the simulated Okta org: users, groups, and who is assigned to the one Dialpad app.
// Indexed for large orgs: the app's assignment list is kept sorted and rebuilt only after an assignment change.
import type { OktaUserStatus } from './user-status.js';
import { OktaSandboxError } from './errors.js';

export type OktaProfileValue = string | number | boolean | null | readonly (string | number | boolean)[];
export type OktaProfile = Record<string, OktaProfileValue>;

export interface OktaProfileInput {
  login: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  [attribute: string]: OktaProfileValue | undefined;
}

export type OktaProfilePatch = Record<string, OktaProfileValue | undefined>;

export interface OktaUserRecord {
  id: string;
  /** Creation order: the stable key the app-user listing is sorted by. */
  seq: number;
  status: OktaUserStatus;
  created: Date;
  activated: Date | null;
  statusChanged: Date | null;
  lastUpdated: Date;
  passwordChanged: Date | null;
  profile: OktaProfile;
}

export interface OktaAppUserView {
  user: OktaUserRecord;
  scope: 'USER' | 'GROUP';
  profile: OktaProfile;
  created: Date;
  lastUpdated: Date;
}

export interface OktaAppUserPage {
  items: OktaAppUserView[];
  /** The `after` cursor of the next page, when more remain. */
  nextAfter: string | undefined;
}

/** The base attributes of Okta's default user profile schema (UserProfile in the Management API spec). */
const BASE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'city', 'costCenter', 'countryCode', 'department', 'displayName', 'division', 'email', 'employeeNumber',
  'firstName', 'honorificPrefix', 'honorificSuffix', 'lastName', 'locale', 'login', 'manager', 'managerId',
  'middleName', 'mobilePhone', 'nickName', 'organization', 'postalAddress', 'preferredLanguage', 'primaryPhone',
  'profileUrl', 'secondEmail', 'state', 'streetAddress', 'timezone', 'title', 'userType', 'zipCode',
]);

interface GroupRecord {
  id: string;
  name: string;
  members: Set<string>;
}

interface AppUserMeta {
  created: Date;
  lastUpdated: Date;
}

export interface OktaDirectoryOptions {
  now: () => Date;
  customAttributes: readonly string[];
}

export class OktaDirectory {
  private readonly now: () => Date;
  private readonly customAttributes: Set<string>;
  private readonly users = new Map<string, OktaUserRecord>();
  private readonly idByLogin = new Map<string, string>();
  /** Kept after deletion so that an `after` cursor naming a deleted user still resolves. */
  private readonly seqById = new Map<string, number>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly groupsByUser = new Map<string, Set<string>>();
  private readonly directAssignments = new Set<string>();
  /** Group assignments in assignment order, which stands in for Okta's group priority. */
  private readonly groupAssignments = new Map<string, OktaProfile>();
  /** App-user profiles of direct assignments, and of group members whose profile was edited individually. */
  private readonly ownAppProfiles = new Map<string, OktaProfile>();
  private readonly appUserMeta = new Map<string, AppUserMeta>();
  private sortedAssigned: string[] | undefined;
  private userCounter = 0;
  private groupCounter = 0;

  constructor(options: OktaDirectoryOptions) {
    this.now = options.now;
    this.customAttributes = new Set(options.customAttributes);
  }

  defineUserAttribute(name: string): void {
    this.customAttributes.add(name);
  }

  createUser(profile: OktaProfileInput, opts: { status?: OktaUserStatus; id?: string } = {}): string {
    const login = profile.login;
    if (typeof login !== 'string' || login.trim() === '') {
      throw OktaSandboxError.validation('login', ['login: The field cannot be left blank']);
    }
    if (this.idByLogin.has(login.toLowerCase())) {
      throw OktaSandboxError.validation('login', ['login: An object with this field already exists in the current organization']);
    }
    this.userCounter += 1;
    const id = opts.id ?? `00usbx${this.userCounter.toString(36).padStart(14, '0')}`;
    if (this.users.has(id) || this.seqById.has(id)) throw new Error(`Okta user id ${id} is already used`);
    const status = opts.status ?? 'ACTIVE';
    const now = this.now();
    const stored: OktaProfile = {};
    for (const [name, value] of Object.entries(profile)) {
      if (value === undefined || value === null) continue;
      this.admitAttribute(name);
      stored[name] = value;
    }
    const record: OktaUserRecord = {
      id,
      seq: this.userCounter,
      status,
      created: now,
      activated: status === 'STAGED' ? null : now,
      statusChanged: status === 'STAGED' ? null : now,
      lastUpdated: now,
      passwordChanged: status === 'STAGED' || status === 'PROVISIONED' ? null : now,
      profile: stored,
    };
    this.users.set(id, record);
    this.seqById.set(id, record.seq);
    this.idByLogin.set(login.toLowerCase(), id);
    return id;
  }

  /** By id, or by login (case-insensitive), as GET /api/v1/users/{idOrLogin} resolves it. */
  findUser(idOrLogin: string): OktaUserRecord | undefined {
    const byId = this.users.get(idOrLogin);
    if (byId !== undefined) return byId;
    const id = this.idByLogin.get(idOrLogin.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Users that are not deleted, in creation order. */
  userList(): OktaUserRecord[] {
    return [...this.users.values()].sort((a, b) => a.seq - b.seq);
  }

  requireUser(userId: string): OktaUserRecord {
    const user = this.users.get(userId);
    if (user === undefined) throw OktaSandboxError.notFound(userId, 'User');
    return user;
  }

  /** Admin edit (the Okta console): an attribute the schema lacks is added to it first. */
  updateProfile(userId: string, patch: OktaProfilePatch): void {
    for (const name of Object.keys(patch)) this.admitAttribute(name);
    this.mergeProfile(userId, patch);
  }

  /** POST /api/v1/users/{id}: merge; null clears; attributes outside the schema are refused. */
  partialUpdate(userId: string, patch: OktaProfilePatch): OktaUserRecord {
    const user = this.requireUser(userId);
    this.validateAttributes(Object.keys(patch));
    this.mergeProfile(user.id, patch);
    return user;
  }

  /** PUT /api/v1/users/{id}: the profile becomes exactly what was sent; everything unspecified is gone. */
  replaceProfile(userId: string, profile: OktaProfilePatch): OktaUserRecord {
    const user = this.requireUser(userId);
    this.validateAttributes(Object.keys(profile));
    const login = profile.login;
    if (typeof login !== 'string' || login.trim() === '') {
      throw OktaSandboxError.validation('login', ['login: The field cannot be left blank']);
    }
    this.assertLoginFree(login, user.id);
    const next: OktaProfile = {};
    for (const [name, value] of Object.entries(profile)) {
      if (value !== undefined && value !== null) next[name] = value;
    }
    this.reindexLogin(user, login);
    user.profile = next;
    user.lastUpdated = this.now();
    return user;
  }

  setStatus(userId: string, status: OktaUserStatus): void {
    const user = this.requireUser(userId);
    if (user.status === status) return;
    const now = this.now();
    user.status = status;
    user.statusChanged = now;
    user.lastUpdated = now;
    if (status !== 'STAGED' && user.activated === null) user.activated = now;
    if (status === 'DEPROVISIONED') {
      // Okta deprovisions a deactivated user from every app; group memberships stay.
      this.directAssignments.delete(userId);
    }
    this.assignmentsChanged([userId]);
  }

  deleteUser(userId: string): void {
    const user = this.requireUser(userId);
    this.users.delete(userId);
    const login = user.profile.login;
    if (typeof login === 'string') this.idByLogin.delete(login.toLowerCase());
    this.directAssignments.delete(userId);
    for (const groupId of this.groupsByUser.get(userId) ?? []) this.groups.get(groupId)?.members.delete(userId);
    this.groupsByUser.delete(userId);
    this.assignmentsChanged([userId]);
  }

  assignUser(userId: string, appProfile: OktaProfilePatch = {}): void {
    const user = this.requireUser(userId);
    if (user.status === 'DEPROVISIONED') {
      throw OktaSandboxError.validation('user', ['Deactivated users cannot be assigned to applications']);
    }
    this.directAssignments.add(userId);
    const profile = { ...(this.ownAppProfiles.get(userId) ?? {}) };
    applyPatch(profile, appProfile);
    this.ownAppProfiles.set(userId, profile);
    this.assignmentsChanged([userId]);
  }

  unassignUser(userId: string): void {
    this.requireUser(userId);
    this.directAssignments.delete(userId);
    // Unassigning is destructive to the app-user profile; a group assignment, if any, supplies it again.
    this.ownAppProfiles.delete(userId);
    this.assignmentsChanged([userId]);
  }

  createGroup(name: string): string {
    this.groupCounter += 1;
    const id = `00gsbx${this.groupCounter.toString(36).padStart(14, '0')}`;
    this.groups.set(id, { id, name, members: new Set() });
    return id;
  }

  addToGroup(groupId: string, userId: string): void {
    const group = this.requireGroup(groupId);
    this.requireUser(userId);
    group.members.add(userId);
    let memberships = this.groupsByUser.get(userId);
    if (memberships === undefined) {
      memberships = new Set();
      this.groupsByUser.set(userId, memberships);
    }
    memberships.add(groupId);
    if (this.groupAssignments.has(groupId)) this.assignmentsChanged([userId]);
  }

  removeFromGroup(groupId: string, userId: string): void {
    const group = this.requireGroup(groupId);
    group.members.delete(userId);
    this.groupsByUser.get(userId)?.delete(groupId);
    if (this.groupAssignments.has(groupId)) this.assignmentsChanged([userId]);
  }

  assignGroup(groupId: string, appProfile: OktaProfilePatch = {}): void {
    const group = this.requireGroup(groupId);
    const profile: OktaProfile = { ...(this.groupAssignments.get(groupId) ?? {}) };
    applyPatch(profile, appProfile);
    this.groupAssignments.set(groupId, profile);
    this.assignmentsChanged([...group.members]);
  }

  unassignGroup(groupId: string): void {
    const group = this.requireGroup(groupId);
    this.groupAssignments.delete(groupId);
    this.assignmentsChanged([...group.members]);
  }

  /**
   * Edits one app user's profile (admin, or POST /api/v1/apps/{appId}/users/{userId}). For a user assigned only
   * through a group, the edit starts from the group's profile and stays with the user; the scope stays GROUP.
   */
  setAppProfile(userId: string, patch: OktaProfilePatch): OktaAppUserView {
    const view = this.appUser(userId);
    if (view === undefined) throw OktaSandboxError.notFound(userId, 'AppUser');
    const profile: OktaProfile = { ...view.profile };
    applyPatch(profile, patch);
    this.ownAppProfiles.set(userId, profile);
    this.touchAppUser(userId).lastUpdated = this.now();
    return this.appUser(userId) as OktaAppUserView;
  }

  isAssigned(userId: string): boolean {
    const user = this.users.get(userId);
    if (user === undefined || user.status === 'DEPROVISIONED') return false;
    return this.directAssignments.has(userId) || this.assignedGroupOf(userId) !== undefined;
  }

  appUser(userId: string): OktaAppUserView | undefined {
    if (!this.isAssigned(userId)) return undefined;
    const user = this.users.get(userId) as OktaUserRecord;
    const direct = this.directAssignments.has(userId);
    const own = this.ownAppProfiles.get(userId);
    const groupId = this.assignedGroupOf(userId);
    const profile = own ?? (groupId === undefined ? {} : (this.groupAssignments.get(groupId) ?? {}));
    const meta = this.touchAppUser(userId);
    return { user, scope: direct ? 'USER' : 'GROUP', profile, created: meta.created, lastUpdated: meta.lastUpdated };
  }

  /** One page of the app's users in a stable order; `q` is a starts-with match on login, names and email. */
  listAppUsers(options: { after?: string; limit: number; q?: string }): OktaAppUserPage {
    const ids = this.assignedInOrder();
    let start = 0;
    if (options.after !== undefined) {
      const seq = this.seqById.get(options.after);
      if (seq === undefined) throw OktaSandboxError.validation('after', [`after: Invalid cursor ${options.after}`]);
      start = this.firstIndexAfterSeq(ids, seq);
    }
    const q = options.q?.toLowerCase();
    const items: OktaAppUserView[] = [];
    let index = start;
    for (; index < ids.length && items.length < options.limit; index += 1) {
      const view = this.appUser(ids[index] as string);
      if (view !== undefined && (q === undefined || matchesQuery(view.user.profile, q))) items.push(view);
    }
    let more = false;
    for (; index < ids.length; index += 1) {
      const user = this.users.get(ids[index] as string);
      if (user !== undefined && (q === undefined || matchesQuery(user.profile, q))) {
        more = true;
        break;
      }
    }
    const last = items[items.length - 1];
    return { items, nextAfter: more && last !== undefined ? last.user.id : undefined };
  }

  // ---- reads for the System Log and GET /api/v1/apps/{appId}/groups ----

  groupName(groupId: string): string | undefined {
    return this.groups.get(groupId)?.name;
  }

  groupMemberIds(groupId: string): string[] {
    return [...(this.requireGroup(groupId).members)];
  }

  /** Every group (id and name), in creation order (GET /api/v1/groups). */
  allGroups(): { id: string; name: string }[] {
    return [...this.groups.values()].map(({ id, name }) => ({ id, name }));
  }

  /** One group by id, or undefined (GET /api/v1/groups/{groupId}). */
  findGroup(groupId: string): { id: string; name: string } | undefined {
    const group = this.groups.get(groupId);
    return group === undefined ? undefined : { id: group.id, name: group.name };
  }

  /** A group's members, in user creation order (GET /api/v1/groups/{groupId}/users); throws a 404 for an unknown group. */
  groupMembers(groupId: string): OktaUserRecord[] {
    const members = [...this.requireGroup(groupId).members].flatMap((id) => {
      const user = this.users.get(id);
      return user === undefined ? [] : [user];
    });
    return members.sort((a, b) => a.seq - b.seq);
  }

  /** The groups a user is a member of, in group creation order (GET /api/v1/users/{userId}/groups). */
  groupsOf(userId: string): { id: string; name: string }[] {
    const memberships = this.groupsByUser.get(userId) ?? new Set<string>();
    return [...this.groups.values()].filter((group) => memberships.has(group.id)).map(({ id, name }) => ({ id, name }));
  }

  /** The names of the groups the user is a member of, in group creation order (the authorization server's groups claim). */
  groupNamesOf(userId: string): string[] {
    const memberships = this.groupsByUser.get(userId) ?? new Set<string>();
    return [...this.groups.values()].filter((group) => memberships.has(group.id)).map((group) => group.name);
  }

  /** The groups assigned to the app, in assignment order (which stands in for priority), with their app profile. */
  assignedGroups(): { groupId: string; profile: OktaProfile }[] {
    return [...this.groupAssignments].map(([groupId, profile]) => ({ groupId, profile: { ...profile } }));
  }

  private assignedInOrder(): string[] {
    if (this.sortedAssigned === undefined) {
      const ids = new Set<string>();
      for (const userId of this.directAssignments) ids.add(userId);
      for (const groupId of this.groupAssignments.keys()) {
        for (const userId of this.groups.get(groupId)?.members ?? []) ids.add(userId);
      }
      const assigned = [...ids].filter((userId) => this.isAssigned(userId));
      assigned.sort((a, b) => (this.seqById.get(a) ?? 0) - (this.seqById.get(b) ?? 0));
      this.sortedAssigned = assigned;
    }
    return this.sortedAssigned;
  }

  private firstIndexAfterSeq(ids: readonly string[], seq: number): number {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqById.get(ids[mid] as string) ?? 0) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private assignedGroupOf(userId: string): string | undefined {
    const memberships = this.groupsByUser.get(userId);
    if (memberships === undefined || memberships.size === 0) return undefined;
    for (const groupId of this.groupAssignments.keys()) if (memberships.has(groupId)) return groupId;
    return undefined;
  }

  private assignmentsChanged(userIds: readonly string[]): void {
    this.sortedAssigned = undefined;
    for (const userId of userIds) {
      if (this.isAssigned(userId)) {
        this.touchAppUser(userId);
        continue;
      }
      // No longer in the app: Okta drops the app user and its profile.
      this.appUserMeta.delete(userId);
      this.ownAppProfiles.delete(userId);
    }
  }

  private touchAppUser(userId: string): AppUserMeta {
    let meta = this.appUserMeta.get(userId);
    if (meta === undefined) {
      const now = this.now();
      meta = { created: now, lastUpdated: now };
      this.appUserMeta.set(userId, meta);
    }
    return meta;
  }

  private requireGroup(groupId: string): GroupRecord {
    const group = this.groups.get(groupId);
    if (group === undefined) throw OktaSandboxError.notFound(groupId, 'UserGroup');
    return group;
  }

  private mergeProfile(userId: string, patch: OktaProfilePatch): void {
    const user = this.requireUser(userId);
    const login = patch.login;
    if (login !== undefined) {
      if (typeof login !== 'string' || login.trim() === '') {
        throw OktaSandboxError.validation('login', ['login: The field cannot be left blank']);
      }
      this.assertLoginFree(login, user.id);
      this.reindexLogin(user, login);
    }
    applyPatch(user.profile, patch);
    user.lastUpdated = this.now();
  }

  private assertLoginFree(login: string, ownerId: string): void {
    const holder = this.idByLogin.get(login.toLowerCase());
    if (holder !== undefined && holder !== ownerId) {
      throw OktaSandboxError.validation('login', ['login: An object with this field already exists in the current organization']);
    }
  }

  private reindexLogin(user: OktaUserRecord, login: string): void {
    const previous = user.profile.login;
    if (typeof previous === 'string') this.idByLogin.delete(previous.toLowerCase());
    this.idByLogin.set(login.toLowerCase(), user.id);
  }

  private validateAttributes(names: readonly string[]): void {
    const unknown = names.filter((name) => !BASE_ATTRIBUTES.has(name) && !this.customAttributes.has(name));
    if (unknown.length > 0) {
      throw OktaSandboxError.validation(
        'profile',
        unknown.map((name) => `Property name '${name}' is not defined in profile schema`),
      );
    }
  }

  private admitAttribute(name: string): void {
    if (!BASE_ATTRIBUTES.has(name)) this.customAttributes.add(name);
  }
}

function applyPatch(target: OktaProfile, patch: OktaProfilePatch): void {
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete target[name];
    else target[name] = value;
  }
}

function matchesQuery(profile: OktaProfile, q: string): boolean {
  for (const name of ['login', 'firstName', 'lastName', 'email']) {
    const value = profile[name];
    if (typeof value === 'string' && value.toLowerCase().startsWith(q)) return true;
  }
  return false;
}
