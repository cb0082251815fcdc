// The sandbox org's directory with its System Log: every change, by an admin or through the API, appends
// the LogEvents Okta would. Assignment changes are found by comparing who is in the app before and after,
// so group assignments, deactivation and deletion produce application.user_membership events as in Okta.
import type { OktaUserStatus } from './user-status.js';
import {
  OktaDirectory,
  type OktaAppUserView,
  type OktaDirectoryOptions,
  type OktaProfileInput,
  type OktaProfilePatch,
  type OktaUserRecord,
} from './directory.js';
import type { LogContext, LogEntity, OktaSystemLog } from './system-log.js';

export interface AuditedOktaDirectoryOptions extends OktaDirectoryOptions {
  log: OktaSystemLog;
  appId: string;
  appLabel: string;
  /** Who is acting right now: an admin in the console, or the API token's owner during an API request. */
  context: () => LogContext;
}

const DISPLAY_MESSAGES: Record<string, string> = {
  'application.user_membership.add': 'Add user to application membership',
  'application.user_membership.remove': "Remove user's application membership",
  'application.user_membership.update': 'Updated user application property',
  'group.user_membership.add': 'Add user to group membership',
  'group.user_membership.remove': 'Remove user from group membership',
  'user.account.update_profile': 'Update user profile for Okta',
  'user.lifecycle.create': 'Create Okta user',
  'user.lifecycle.activate': 'Activate Okta user',
  'user.lifecycle.reactivate': 'Reactivate Okta user',
  'user.lifecycle.deactivate': 'Deactivate Okta user',
  'user.lifecycle.suspend': 'Suspend Okta user',
  'user.lifecycle.unsuspend': 'Unsuspend Okta user',
  'user.lifecycle.delete.initiated': 'Delete Okta user initiated',
};

export class AuditedOktaDirectory extends OktaDirectory {
  private readonly log: OktaSystemLog;
  private readonly appEntity: LogEntity;
  private readonly context: () => LogContext;

  constructor(options: AuditedOktaDirectoryOptions) {
    super(options);
    this.log = options.log;
    this.context = options.context;
    this.appEntity = { id: options.appId, type: 'AppInstance', alternateId: options.appLabel, displayName: options.appLabel, detailEntry: null };
  }

  override createUser(profile: OktaProfileInput, opts: { status?: OktaUserStatus; id?: string } = {}): string {
    const id = super.createUser(profile, opts);
    const user = this.requireUser(id);
    this.emit('user.lifecycle.create', [userEntity(user)]);
    if (user.status !== 'STAGED') this.emit('user.lifecycle.activate', [userEntity(user)]);
    return id;
  }

  override updateProfile(userId: string, patch: OktaProfilePatch): void {
    super.updateProfile(userId, patch);
    this.emit('user.account.update_profile', [userEntity(this.requireUser(userId))]);
  }

  override partialUpdate(userId: string, patch: OktaProfilePatch): OktaUserRecord {
    const user = super.partialUpdate(userId, patch);
    this.emit('user.account.update_profile', [userEntity(user)]);
    return user;
  }

  override replaceProfile(userId: string, profile: OktaProfilePatch): OktaUserRecord {
    const user = super.replaceProfile(userId, profile);
    this.emit('user.account.update_profile', [userEntity(user)]);
    return user;
  }

  override setStatus(userId: string, status: OktaUserStatus): void {
    const before = this.requireUser(userId).status;
    if (before === status) return;
    this.tracked([userId], () => {
      super.setStatus(userId, status);
      const eventType = lifecycleEvent(before, status);
      if (eventType !== null) this.emit(eventType, [userEntity(this.requireUser(userId))]);
    });
  }

  /** Restarts a PROVISIONED user's activation (reactivateUser): the status stays, the System Log records it. */
  reactivate(userId: string): void {
    this.emit('user.lifecycle.reactivate', [userEntity(this.requireUser(userId))]);
  }

  override deleteUser(userId: string): void {
    const entity = userEntity(this.requireUser(userId));
    this.tracked([userId], () => {
      super.deleteUser(userId);
      this.emit('user.lifecycle.delete.initiated', [entity]);
    });
  }

  override assignUser(userId: string, appProfile: OktaProfilePatch = {}): void {
    const wasAssigned = this.isAssigned(userId);
    this.tracked([userId], () => super.assignUser(userId, appProfile));
    // Assigning someone already in the app (through a group) edits their app user instead.
    if (wasAssigned) this.emitAppUser('application.user_membership.update', this.requireUser(userId));
  }

  override unassignUser(userId: string): void {
    this.tracked([userId], () => super.unassignUser(userId));
  }

  override addToGroup(groupId: string, userId: string): void {
    this.tracked([userId], () => {
      super.addToGroup(groupId, userId);
      this.emit('group.user_membership.add', [userEntity(this.requireUser(userId)), this.groupEntity(groupId)]);
    });
  }

  override removeFromGroup(groupId: string, userId: string): void {
    this.tracked([userId], () => {
      super.removeFromGroup(groupId, userId);
      const user = this.findUser(userId);
      if (user?.id === userId) this.emit('group.user_membership.remove', [userEntity(user), this.groupEntity(groupId)]);
    });
  }

  override assignGroup(groupId: string, appProfile: OktaProfilePatch = {}): void {
    this.tracked(this.groupMemberIds(groupId), () => super.assignGroup(groupId, appProfile));
  }

  override unassignGroup(groupId: string): void {
    this.tracked(this.groupMemberIds(groupId), () => super.unassignGroup(groupId));
  }

  override setAppProfile(userId: string, patch: OktaProfilePatch): OktaAppUserView {
    const view = super.setAppProfile(userId, patch);
    this.emitAppUser('application.user_membership.update', view.user);
    return view;
  }

  /** Runs a change, then logs application.user_membership.add/remove for each user it moved in or out of the app. */
  private tracked(userIds: readonly string[], change: () => void): void {
    const before = userIds.map((id) => {
      const user = this.findUser(id);
      return { id, assigned: this.isAssigned(id), entity: user?.id === id ? userEntity(user) : undefined };
    });
    change();
    for (const { id, assigned, entity } of before) {
      const now = this.isAssigned(id);
      if (now === assigned) continue;
      const user = this.findUser(id);
      const current = user?.id === id ? userEntity(user) : entity;
      if (current === undefined) continue;
      this.emit(now ? 'application.user_membership.add' : 'application.user_membership.remove', [
        appUserEntity(current),
        this.appEntity,
        current,
      ]);
    }
  }

  private emitAppUser(eventType: string, user: OktaUserRecord): void {
    const entity = userEntity(user);
    this.emit(eventType, [appUserEntity(entity), this.appEntity, entity]);
  }

  private groupEntity(groupId: string): LogEntity {
    const name = this.groupName(groupId) ?? groupId;
    return { id: groupId, type: 'UserGroup', alternateId: 'unknown', displayName: name, detailEntry: null };
  }

  private emit(eventType: string, target: LogEntity[]): void {
    this.log.append({ eventType, displayMessage: DISPLAY_MESSAGES[eventType] ?? eventType, target }, this.context());
  }
}

function userEntity(user: OktaUserRecord): LogEntity {
  const login = typeof user.profile.login === 'string' ? user.profile.login : user.id;
  const name = [user.profile.firstName, user.profile.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return { id: user.id, type: 'User', alternateId: login, displayName: name === '' ? login : name, detailEntry: null };
}

/** App users have their own ids (0ua…) in Okta's System Log; the sandbox derives one from the user id. */
function appUserEntity(user: LogEntity): LogEntity {
  return { id: `0ua${user.id.slice(3)}`, type: 'AppUser', alternateId: user.alternateId, displayName: user.displayName, detailEntry: null };
}

function lifecycleEvent(from: OktaUserStatus, to: OktaUserStatus): string | null {
  if (to === 'SUSPENDED') return 'user.lifecycle.suspend';
  if (to === 'DEPROVISIONED') return 'user.lifecycle.deactivate';
  if (to === 'ACTIVE' || to === 'PROVISIONED') {
    if (from === 'SUSPENDED') return 'user.lifecycle.unsuspend';
    if (from === 'STAGED' || from === 'DEPROVISIONED') return 'user.lifecycle.activate';
  }
  return null;
}
