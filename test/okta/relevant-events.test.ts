import { describe, expect, it } from 'vitest';
import type { OktaLogEvent, OktaLogTarget } from '../../src/okta/log-event.js';
import { parseLogEvents } from '../../src/okta/log-event.js';
import { affectedUserId, affectedUserIds, RELEVANT_EVENT_TYPES, relevantEventsFilter, type RelevanceContext } from '../../src/okta/relevant-events.js';

const APP = '0oaDIALPAD';
const OTHER_APP = '0oaOTHER';
const GROUP = '00gSALES';
const OTHER_GROUP = '00gOTHER';
const SELF = '00uDIALSYNC';
const ADMIN = '00uADMIN';
const USER = '00uUSER';

const context: RelevanceContext = { appId: APP, appGroupIds: new Set([GROUP]), selfActorIds: new Set([SELF]) };

const user: OktaLogTarget = { id: USER, type: 'User', alternateId: 'u@example.com' };
const appInstance = (id: string): OktaLogTarget => ({ id, type: 'AppInstance', alternateId: 'Dialpad' });
const appUser: OktaLogTarget = { id: '0uaUSER', type: 'AppUser', alternateId: 'u@example.com' };
const group = (id: string): OktaLogTarget => ({ id, type: 'UserGroup', alternateId: 'unknown' });

function event(eventType: string, targets: OktaLogTarget[], actorId: string | null = ADMIN, outcome: string | null = 'SUCCESS'): OktaLogEvent {
  return { uuid: `${eventType}-${targets.map((t) => t.id).join('-')}`, published: '2026-11-29T10:00:00.000Z', eventType, actorId, targets, outcome };
}

describe('affectedUserId', () => {
  const cases: [string, OktaLogEvent, string | null][] = [
    ['assignment to our app', event('application.user_membership.add', [appUser, appInstance(APP), user]), USER],
    ['unassignment from our app', event('application.user_membership.remove', [appUser, appInstance(APP), user]), USER],
    ['app profile edit in our app', event('application.user_membership.update', [appUser, appInstance(APP), user]), USER],
    ['username change in our app', event('application.user_membership.change_username', [appUser, appInstance(APP), user]), USER],
    ['assignment to another app', event('application.user_membership.add', [appUser, appInstance(OTHER_APP), user]), null],
    ['app membership without the User target', event('application.user_membership.add', [appUser, appInstance(APP)]), null],
    ['profile update by an admin', event('user.account.update_profile', [user]), USER],
    ["profile update by dialsync's own token (its write-back)", event('user.account.update_profile', [user], SELF), null],
    ['profile update with no actor', event('user.account.update_profile', [user], null), USER],
    ['deactivation (drops the user from every app)', event('user.lifecycle.deactivate', [user]), USER],
    ['suspension', event('user.lifecycle.suspend', [user]), USER],
    ['lifecycle change made by dialsync itself still counts', event('user.lifecycle.unsuspend', [user], SELF), USER],
    ['deletion', event('user.lifecycle.delete.initiated', [user]), USER],
    ['creation', event('user.lifecycle.create', [user]), USER],
    ['added to a group assigned to the app', event('group.user_membership.add', [user, group(GROUP)]), USER],
    ['removed from a group assigned to the app', event('group.user_membership.remove', [user, group(GROUP)]), USER],
    ['added to a group not assigned to the app', event('group.user_membership.add', [user, group(OTHER_GROUP)]), null],
    ['a failed assignment changed nothing', event('application.user_membership.add', [appUser, appInstance(APP), user], ADMIN, 'FAILURE'), null],
    ['an unrelated event type', event('user.session.start', [user]), null],
    ['a password change', event('user.account.update_password', [user]), null],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(affectedUserId(input, context)).toBe(expected);
  });

  it('counts membership changes of a scoping group (scope.groups, not assigned to the app) when its id is in appGroupIds', () => {
    const PILOT = '00gPILOT';
    const withScoping: RelevanceContext = { ...context, appGroupIds: new Set([GROUP, PILOT]) };
    expect(affectedUserId(event('group.user_membership.add', [user, group(PILOT)]), withScoping)).toBe(USER);
    expect(affectedUserId(event('group.user_membership.remove', [user, group(PILOT)]), withScoping)).toBe(USER);
    expect(affectedUserId(event('group.user_membership.add', [user, group(PILOT)]), context)).toBeNull();
  });
});

describe('affectedUserIds', () => {
  it('returns each user once, in the order first seen', () => {
    const other: OktaLogTarget = { id: '00uOTHER', type: 'User', alternateId: 'o@example.com' };
    const ids = affectedUserIds(
      [
        event('user.lifecycle.suspend', [other]),
        event('application.user_membership.add', [appUser, appInstance(APP), user]),
        event('user.account.update_profile', [other]),
        event('user.account.update_profile', [user], SELF),
      ],
      context,
    );
    expect(ids).toEqual(['00uOTHER', USER]);
  });
});

describe('relevantEventsFilter', () => {
  it('selects exactly the relevant event types with eq joined by or', () => {
    const filter = relevantEventsFilter();
    const types = [...filter.matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1]);
    expect(types).toEqual([...RELEVANT_EVENT_TYPES]);
    expect(filter.split(' or ')).toHaveLength(RELEVANT_EVENT_TYPES.length);
    expect(types).toContain('group.user_membership.remove');
    expect(types).toContain('user.lifecycle.deactivate');
  });
});

describe('parseLogEvents', () => {
  it("keeps what dialsync reads from Okta's LogEvent, tolerating nulls, and skips what is not a LogEvent", () => {
    const parsed = parseLogEvents([
      {
        uuid: 'dc9fd3c0-598c-11ef-8478-2b7584bf8d5a',
        published: '2024-08-13T15:58:20.353Z',
        eventType: 'application.user_membership.add',
        version: '0',
        actor: { id: ADMIN, type: 'User', alternateId: 'admin@example.com', displayName: 'Admin', detailEntry: null },
        target: [
          { id: '0uaX', type: 'AppUser', alternateId: null, displayName: 'U', detailEntry: null },
          { id: APP, type: 'AppInstance', alternateId: 'Dialpad', displayName: 'Dialpad' },
          { type: 'User' },
        ],
        outcome: { result: 'SUCCESS', reason: null },
      },
      { uuid: 'no-type', published: '2024-08-13T15:58:20.353Z' },
      'junk',
    ]);
    expect(parsed.rejected).toBe(2);
    expect(parsed.events).toEqual([
      {
        uuid: 'dc9fd3c0-598c-11ef-8478-2b7584bf8d5a',
        published: '2024-08-13T15:58:20.353Z',
        eventType: 'application.user_membership.add',
        actorId: ADMIN,
        targets: [
          { id: '0uaX', type: 'AppUser', alternateId: null },
          { id: APP, type: 'AppInstance', alternateId: 'Dialpad' },
        ],
        outcome: 'SUCCESS',
      },
    ]);
  });
});
