// The Okta writes an administrator makes through the Management API, as the sandbox serves them: group
// membership (assignUserToGroup, unassignUserFromGroup), app assignment (assignUserToApplication,
// unassignUserFromApplication, assignGroupToApplication, unassignApplicationFromGroup) and the user lifecycle
// (activateUser, reactivateUser, deactivateUser, suspendUser, unsuspendUser, deleteUser). They change the
// AuditedOktaDirectory, so each appends the System Log events Okta would and the daemon's incremental runs see them.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SandboxRequest } from '../http/server.js';
import type { AuditedOktaDirectory } from './audited-directory.js';
import type { OktaProfilePatch } from './directory.js';
import { OktaSandboxError } from './errors.js';
import { parseRequestBody, profileValue } from './request-body.js';
import type { OktaUserStatus } from './user-status.js';
import { appUserJson } from './wire.js';

/** An HTTP answer of the admin routes; body undefined for 204 No Content. */
export interface AdminReply {
  status: number;
  body: unknown;
}

/** What the admin routes work on: the org's directory and its one app. */
export interface AdminApiContext {
  directory: AuditedOktaDirectory;
  baseUrl: string;
  appId: string;
  /** The app user profile's attributes when the sandbox enforces a schema; undefined: any attribute. */
  appUserAttributes: ReadonlySet<string> | undefined;
  /** When the app was created: the timestamps of group assignments. */
  appCreated: Date;
}

/** The lifecycle operations of POST /api/v1/users/{userId}/lifecycle/{operation}. */
export const LIFECYCLE_OPERATIONS = ['activate', 'reactivate', 'deactivate', 'suspend', 'unsuspend'] as const;
export type LifecycleOperation = (typeof LIFECYCLE_OPERATIONS)[number];

/** AppUserAssignRequest: an AppUser with `id` required (the user's id); scope and credentials are accepted and not kept. */
const appUserAssignBody = z.object({ id: z.string().min(1), scope: z.string().optional(), profile: z.record(z.string(), profileValue).optional() }).loose();
/** ApplicationGroupAssignment: priority and profile, both optional. */
const groupAssignBody = z.object({ priority: z.number().int().optional(), profile: z.record(z.string(), profileValue).optional() }).loose();

function requireApp(context: AdminApiContext, appId: string): void {
  if (appId !== context.appId) throw OktaSandboxError.notFound(appId, 'AppInstance');
}

function requireUserById(context: AdminApiContext, userId: string): void {
  if (context.directory.findUser(userId)?.id !== userId) throw OktaSandboxError.notFound(userId, 'User');
}

function requireGroup(context: AdminApiContext, groupId: string): void {
  if (context.directory.findGroup(groupId) === undefined) throw OktaSandboxError.notFound(groupId, 'UserGroup');
}

function checkAppProfile(context: AdminApiContext, profile: OktaProfilePatch): void {
  const schema = context.appUserAttributes;
  const unknown = schema === undefined ? [] : Object.keys(profile).filter((name) => !schema.has(name));
  if (unknown.length > 0) {
    throw OktaSandboxError.validation('profile', unknown.map((name) => `Property name '${name}' is not defined in profile schema`));
  }
}

/** Okta's answer to a lifecycle operation the user's status does not allow (E0000038). */
function notAllowedInStatus(): OktaSandboxError {
  return new OktaSandboxError(403, 'E0000038', "This operation is not allowed in the user's current status.");
}

/** PUT /api/v1/groups/{groupId}/users/{userId} (assignUserToGroup): 204; a member already stays one, no event. 404 for an unknown group or user. */
export function serveAddGroupMember(context: AdminApiContext, groupId: string, userId: string): AdminReply {
  requireGroup(context, groupId);
  requireUserById(context, userId);
  if (!context.directory.groupMemberIds(groupId).includes(userId)) context.directory.addToGroup(groupId, userId);
  return { status: 204, body: undefined };
}

/** DELETE /api/v1/groups/{groupId}/users/{userId} (unassignUserFromGroup): 204, also for a user who was no member. 404 for an unknown group or user. */
export function serveRemoveGroupMember(context: AdminApiContext, groupId: string, userId: string): AdminReply {
  requireGroup(context, groupId);
  requireUserById(context, userId);
  if (context.directory.groupMemberIds(groupId).includes(userId)) context.directory.removeFromGroup(groupId, userId);
  return { status: 204, body: undefined };
}

/**
 * POST /api/v1/apps/{appId}/users (assignUserToApplication): assigns the user `id` of the body directly, with the
 * app profile given; 200 with the AppUser. 404 for an unknown app or user; 400 for a deactivated user or an app
 * profile attribute the schema lacks.
 */
export function serveAssignUser(context: AdminApiContext, appId: string, request: SandboxRequest): AdminReply {
  requireApp(context, appId);
  const body = parseRequestBody(request.bodyText, appUserAssignBody, 'appUser');
  requireUserById(context, body.id);
  checkAppProfile(context, body.profile ?? {});
  context.directory.assignUser(body.id, body.profile ?? {});
  const view = context.directory.appUser(body.id);
  if (view === undefined) throw OktaSandboxError.notFound(body.id, 'AppUser');
  return { status: 200, body: appUserJson(context.baseUrl, context.appId, view, false) };
}

/**
 * DELETE /api/v1/apps/{appId}/users/{userId} (unassignUserFromApplication): removes the direct assignment; 204.
 * 404 when the user is not in the app. A user in the app only through a group cannot be unassigned directly
 * (Okta refuses it; the sandbox answers 403 E0000038 — remove them from the group or unassign the group).
 */
export function serveUnassignUser(context: AdminApiContext, appId: string, userId: string): AdminReply {
  requireApp(context, appId);
  const view = context.directory.appUser(userId);
  if (view === undefined) throw OktaSandboxError.notFound(userId, 'AppUser');
  if (view.scope === 'GROUP') {
    throw new OktaSandboxError(403, 'E0000038', 'This operation is not allowed: the user is assigned to the application through a group.');
  }
  context.directory.unassignUser(userId);
  return { status: 204, body: undefined };
}

/** PUT /api/v1/apps/{appId}/groups/{groupId} (assignGroupToApplication): 200 with the ApplicationGroupAssignment. 404 for an unknown app or group. */
export function serveAssignGroup(context: AdminApiContext, appId: string, groupId: string, request: SandboxRequest): AdminReply {
  requireApp(context, appId);
  requireGroup(context, groupId);
  const body = parseRequestBody(request.bodyText, groupAssignBody, 'applicationGroupAssignment');
  checkAppProfile(context, body.profile ?? {});
  context.directory.assignGroup(groupId, body.profile ?? {});
  const assigned = context.directory.assignedGroups();
  const index = assigned.findIndex((group) => group.groupId === groupId);
  return {
    status: 200,
    body: {
      id: groupId,
      lastUpdated: context.appCreated.toISOString(),
      priority: index,
      profile: assigned[index]?.profile ?? {},
      _links: {
        app: { href: `${context.baseUrl}/api/v1/apps/${context.appId}` },
        group: { href: `${context.baseUrl}/api/v1/groups/${groupId}` },
      },
    },
  };
}

/** DELETE /api/v1/apps/{appId}/groups/{groupId} (unassignApplicationFromGroup): 204. 404 for an unknown app, or a group not assigned. */
export function serveUnassignGroup(context: AdminApiContext, appId: string, groupId: string): AdminReply {
  requireApp(context, appId);
  if (!context.directory.assignedGroups().some((group) => group.groupId === groupId)) throw OktaSandboxError.notFound(groupId, 'UserGroup');
  context.directory.unassignGroup(groupId);
  return { status: 204, body: undefined };
}

/**
 * POST /api/v1/users/{userId}/lifecycle/{operation}: the status changes of Okta's lifecycle operations, 200.
 * - activate: STAGED or DEPROVISIONED → ACTIVE (sandbox users have a password, so none waits in PROVISIONED);
 *   the body is a UserActivationToken when `sendEmail=false`, else {};
 * - reactivate: PROVISIONED stays PROVISIONED, the activation restarts (a user.lifecycle.reactivate event);
 * - deactivate: any status but DEPROVISIONED → DEPROVISIONED (the user leaves every app; groups stay);
 * - suspend: ACTIVE → SUSPENDED (assignments kept); unsuspend: SUSPENDED → ACTIVE.
 * Other statuses: 403 E0000038. 404 for an unknown user (or an operation Okta does not have).
 */
export function serveLifecycle(context: AdminApiContext, userId: string, operation: string, request: SandboxRequest): AdminReply {
  if (!(LIFECYCLE_OPERATIONS as readonly string[]).includes(operation)) {
    throw OktaSandboxError.noSuchEndpoint(`/api/v1/users/${userId}/lifecycle/${operation}`);
  }
  requireUserById(context, userId);
  const status = context.directory.requireUser(userId).status;
  const allowed: Record<LifecycleOperation, readonly OktaUserStatus[]> = {
    activate: ['STAGED', 'DEPROVISIONED'],
    reactivate: ['PROVISIONED'],
    deactivate: ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED'],
    suspend: ['ACTIVE'],
    unsuspend: ['SUSPENDED'],
  };
  const op = operation as LifecycleOperation;
  if (!allowed[op].includes(status)) throw notAllowedInStatus();
  switch (op) {
    case 'activate':
      context.directory.setStatus(userId, 'ACTIVE');
      return { status: 200, body: request.query.get('sendEmail') === 'false' ? activationToken(context.baseUrl) : {} };
    case 'reactivate':
      context.directory.reactivate(userId);
      return { status: 200, body: request.query.get('sendEmail') === 'true' ? {} : activationToken(context.baseUrl) };
    case 'deactivate':
      context.directory.setStatus(userId, 'DEPROVISIONED');
      return { status: 200, body: {} };
    case 'suspend':
      context.directory.setStatus(userId, 'SUSPENDED');
      return { status: 200, body: {} };
    case 'unsuspend':
      context.directory.setStatus(userId, 'ACTIVE');
      return { status: 200, body: {} };
  }
}

/**
 * DELETE /api/v1/users/{userId} (deleteUser): a DEPROVISIONED user is deleted; any other is deactivated first
 * (the spec: "A second delete operation is required to delete the user"). 204; 404 for an unknown user.
 */
export function serveDeleteUser(context: AdminApiContext, userId: string): AdminReply {
  requireUserById(context, userId);
  if (context.directory.requireUser(userId).status === 'DEPROVISIONED') context.directory.deleteUser(userId);
  else context.directory.setStatus(userId, 'DEPROVISIONED');
  return { status: 204, body: undefined };
}

function activationToken(baseUrl: string): { activationToken: string; activationUrl: string } {
  const token = randomBytes(15).toString('base64url');
  return { activationToken: token, activationUrl: `${baseUrl}/tokens/${token}/verify` };
}
