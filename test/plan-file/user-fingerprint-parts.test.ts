// A planned user's fingerprints, then and now: each change between the two is named by the part that changed, and
// what dialsync writes itself (the write-back attribute) is no change.
import { describe, expect, it } from 'vitest';
import type { PlanInput, UserPlan } from '../../src/plan/types.js';
import { fingerprintChanges, UserFingerprints } from '../../src/plan-file/user-fingerprint-parts.js';
import { AppliedValueIndexBuilder } from '../../src/store/applied-value-index.js';
import { assignment, dialpadUser, link, planInput, rules, SF } from '../plan/fixtures.js';

const LINKED: Pick<UserPlan, 'oktaUserId' | 'dialpadUserId' | 'email'> = { oktaUserId: 'ann', dialpadUserId: '7', email: 'ann@example.com' };
const TO_CREATE: Pick<UserPlan, 'oktaUserId' | 'dialpadUserId' | 'email'> = { oktaUserId: 'ann', dialpadUserId: null, email: 'ann@example.com' };
const DIALPAD_ONLY: Pick<UserPlan, 'oktaUserId' | 'dialpadUserId' | 'email'> = { oktaUserId: null, dialpadUserId: '7', email: 'ann@example.com' };

/** Ann assigned and linked to Dialpad user 7. */
function linked(overrides: Partial<PlanInput> = {}): PlanInput {
  return planInput({ assignments: [assignment('ann')], dialpadUsers: [dialpadUser('7', 'ann@example.com')], links: [link('ann', '7')], ...overrides });
}

/** Ann assigned, no Dialpad user and no link: planned to be created. */
function unlinked(overrides: Partial<PlanInput> = {}): PlanInput {
  return planInput({ assignments: [assignment('ann')], ...overrides });
}

/** Ann's Okta user is gone from the app (deactivated); Dialpad user 7 still linked: planned to be suspended. */
function gone(overrides: Partial<PlanInput> = {}): PlanInput {
  return planInput({ dialpadUsers: [dialpadUser('7', 'ann@example.com')], links: [link('ann', '7')], fates: { ann: { kind: 'exists', status: 'DEPROVISIONED' } }, ...overrides });
}

const groups = (members: string[]): PlanInput['scopeGroups'] => ({ groups: [{ id: '00g1', name: 'Pilot' }], members: new Map([['00g1', new Set(members)]]) });
const applied = (title: string): PlanInput['appliedValues'] => new Map([['7', { job_title: { applied: title, okta: title, at: '2026-11-30T09:00:00Z' } }]]);
/** The same values as a full run reads them: packed, without the decision time. */
function packed(title: string): PlanInput['appliedValues'] {
  const builder = new AppliedValueIndexBuilder();
  builder.add('7', { field: 'job_title', applied: title, okta: title });
  return builder.build();
}

function changes(user: typeof LINKED, then: PlanInput, now: PlanInput): string[] {
  return fingerprintChanges(new UserFingerprints(then, rules()).of(user), new UserFingerprints(now, rules()).of(user));
}

describe('fingerprintChanges of a planned user', () => {
  it.each<[string, typeof LINKED, PlanInput, PlanInput, string[]]>([
    ['nothing changed', LINKED, linked(), linked(), []],
    ['the Okta title changed', LINKED, linked(), linked({ assignments: [assignment('ann', { profile: { title: 'CTO' } })] }), ['Okta profile changed']],
    ['only the write-back attribute changed (dialsync writes it)', LINKED, linked(), linked({ assignments: [assignment('ann', { profile: { dialpadPhone: '+12125550111' } })] }), []],
    ['the app profile changed', LINKED, linked(), linked({ assignments: [assignment('ann', { appProfile: { officeName: 'San Francisco' } })] }), ['Okta app profile changed']],
    ['the Okta user was suspended', LINKED, linked(), linked({ assignments: [assignment('ann', { status: 'SUSPENDED' })] }), ['Okta status changed']],
    ['the Okta user was unassigned', LINKED, linked(), linked({ assignments: [], fates: { ann: { kind: 'exists', status: 'ACTIVE' } } }), ['Okta status changed', 'Okta profile changed', 'Okta app profile changed']],
    ['the Dialpad user was suspended', LINKED, linked(), linked({ dialpadUsers: [dialpadUser('7', 'ann@example.com', { state: 'suspended' })] }), ['Dialpad user changed: state']],
    ['title and office edited in Dialpad', LINKED, linked(), linked({ dialpadUsers: [dialpadUser('7', 'ann@example.com', { jobTitle: 'Boss', officeId: SF.id })] }), ['Dialpad user changed: job_title, office']],
    ['the Dialpad user deleted', LINKED, linked(), linked({ dialpadUsers: [] }), ['Dialpad user no longer exists']],
    ['the Dialpad user deleted and the link removed', LINKED, linked(), linked({ dialpadUsers: [], links: [] }), ['Dialpad user no longer exists', "dialsync's link changed"]],
    ['a Dialpad user missing then, there now', LINKED, linked({ dialpadUsers: [] }), linked(), ['Dialpad user changed: state, name, emails, job_title, office, license, numbers, locale']],
    ['the link removed', LINKED, linked(), linked({ links: [] }), ["dialsync's link changed"]],
    ['the scoping group membership changed', LINKED, linked({ scopeGroups: groups(['ann']) }), linked({ scopeGroups: groups([]) }), ['Okta group membership changed']],
    ['the scoping group membership unchanged', LINKED, linked({ scopeGroups: groups(['ann']) }), linked({ scopeGroups: groups(['ann', 'bob']) }), []],
    ['the last applied values changed', LINKED, linked({ appliedValues: applied('CTO') }), linked({ appliedValues: applied('CEO') }), ['the last applied values changed']],
    // A full run's packed values carry no decision times, a targeted re-read's do: the same values are no change.
    ['the same applied values, with and without their decision time', LINKED, linked({ appliedValues: packed('CTO') }), linked({ appliedValues: applied('CTO') }), []],
    ['the same applied values decided again later', LINKED, linked({ appliedValues: applied('CTO') }), linked({ appliedValues: new Map([['7', { job_title: { applied: 'CTO', okta: 'CTO', at: '2026-11-30T10:00:00Z' } }]]) }), []],
    ['a create: still nobody holds the email', TO_CREATE, unlinked(), unlinked(), []],
    ['a create: a Dialpad user with the email appeared', TO_CREATE, unlinked(), unlinked({ dialpadUsers: [dialpadUser('8', 'ANN@example.com')] }), ['Dialpad users holding the email changed']],
    ['a create done: the user and its link now exist', TO_CREATE, unlinked(), linked(), ['Dialpad users holding the email changed', "dialsync's link changed"]],
    ['a suspend of an unassigned user: still gone', DIALPAD_ONLY, gone(), gone(), []],
    ['a suspend of an unassigned user: now deleted in Okta', DIALPAD_ONLY, gone(), gone({ fates: { ann: { kind: 'deleted' } } }), ['Okta status changed']],
    ['a suspend of an unassigned user: assigned again', DIALPAD_ONLY, gone(), gone({ assignments: [assignment('ann')], fates: {} }), ['Okta status changed', 'Okta profile changed', 'Okta app profile changed']],
  ])('%s', (_situation, user, then, now, expected) => {
    expect(changes(user, then, now)).toEqual(expected);
  });

  it("reads a Dialpad-only user's Okta side through its link", () => {
    const fingerprints = new UserFingerprints(gone(), rules());
    expect(fingerprints.oktaUserIdOf(DIALPAD_ONLY)).toBe('ann');
    expect(fingerprints.oktaUserIdOf({ oktaUserId: null, dialpadUserId: '9' })).toBeNull();
  });

  it('fingerprints the groups only when scope.groups is set, and the applied values only when the store keeps them', () => {
    expect(Object.keys(new UserFingerprints(linked(), rules()).of(LINKED).okta)).toEqual(['status', 'profile', 'appProfile']);
    expect(Object.keys(new UserFingerprints(linked({ scopeGroups: groups([]) }), rules()).of(LINKED).okta)).toContain('groups');
    expect(Object.keys(new UserFingerprints(linked({ appliedValues: applied('CTO') }), rules()).of(LINKED).dialpad)).toContain('applied');
  });
});
