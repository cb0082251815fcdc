// Which System Log / Event Hook events concern the users of dialsync's Okta app, and whom they affect. Pure.
import type { OktaLogEvent } from './log-event.js';

const APP_MEMBERSHIP_TYPES = [
  'application.user_membership.add',
  'application.user_membership.remove',
  'application.user_membership.update',
  'application.user_membership.change_username',
] as const;

const PROFILE_UPDATE = 'user.account.update_profile';

/**
 * The user.lifecycle events that change whether or how a user belongs in Dialpad. Deactivation removes the
 * user from every app and suspension keeps them assigned, so both must reach the targeted reconcile.
 */
const LIFECYCLE_TYPES = [
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.reactivate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.delete.initiated',
  'user.lifecycle.delete.completed',
] as const;

const GROUP_MEMBERSHIP_TYPES = ['group.user_membership.add', 'group.user_membership.remove'] as const;

/** Every event type dialsync reacts to, for the System Log filter and the Event Hook registration. */
export const RELEVANT_EVENT_TYPES: readonly string[] = [
  ...APP_MEMBERSHIP_TYPES,
  PROFILE_UPDATE,
  ...LIFECYCLE_TYPES,
  ...GROUP_MEMBERSHIP_TYPES,
];

const appMembership: ReadonlySet<string> = new Set(APP_MEMBERSHIP_TYPES);
const lifecycle: ReadonlySet<string> = new Set(LIFECYCLE_TYPES);
const groupMembership: ReadonlySet<string> = new Set(GROUP_MEMBERSHIP_TYPES);

/** The System Log filter expression selecting RELEVANT_EVENT_TYPES (SCIM syntax, `eq` joined by `or`). */
export function relevantEventsFilter(): string {
  return RELEVANT_EVENT_TYPES.map((type) => `eventType eq "${type}"`).join(' or ');
}

/** What tells a relevant event from another: the app, its groups, and dialsync's own actor ids. */
export interface RelevanceContext {
  /** dialsync's Okta app id (0oa…). */
  appId: string;
  /**
   * The groups assigned to the app, whose membership changes add or remove app users, and the scoping groups
   * (scope.groups, as ids), whose membership changes bring users into scope or take them out.
   */
  appGroupIds: ReadonlySet<string>;
  /** The actor ids of dialsync's own writes (token owner or service app client id): its write-backs are ignored. */
  selfActorIds: ReadonlySet<string>;
}

/** The Okta user id an event calls for a look at, or null when the event does not concern the app's users. */
export function affectedUserId(event: OktaLogEvent, context: RelevanceContext): string | null {
  // A failed change changed nothing.
  if (event.outcome === 'FAILURE' || event.outcome === 'DENY') return null;
  const user = event.targets.find((target) => target.type === 'User');
  if (user === undefined) return null;
  const type = event.eventType;
  if (appMembership.has(type)) {
    return event.targets.some((target) => target.type === 'AppInstance' && target.id === context.appId) ? user.id : null;
  }
  if (type === PROFILE_UPDATE) {
    // dialsync's own dialpadPhone write-back must not come back as work.
    return event.actorId !== null && context.selfActorIds.has(event.actorId) ? null : user.id;
  }
  if (lifecycle.has(type)) return user.id;
  if (groupMembership.has(type)) {
    return event.targets.some((target) => target.type === 'UserGroup' && context.appGroupIds.has(target.id)) ? user.id : null;
  }
  return null;
}

/** The distinct Okta user ids the events affect, in the order first seen. */
export function affectedUserIds(events: readonly OktaLogEvent[], context: RelevanceContext): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = affectedUserId(event, context);
    if (id !== null) ids.add(id);
  }
  return [...ids];
}
