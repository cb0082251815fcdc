import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS_CLAIM, groupsClaimValue, type GroupsClaim } from '../../../sandbox/okta/groups-claim.js';

const GROUPS = ['Everyone', 'Sales', 'dialsync-admins', 'Dialsync-Viewers'];

describe('groupsClaimValue', () => {
  it.each<[string, GroupsClaim['filter'], string[] | undefined]>([
    ['starts with, case-insensitively', { type: 'STARTS_WITH', value: 'dialsync-' }, ['dialsync-admins', 'Dialsync-Viewers']],
    ['equals, case-insensitively', { type: 'EQUALS', value: 'sales' }, ['Sales']],
    ['contains', { type: 'CONTAINS', value: 'admin' }, ['dialsync-admins']],
    ['a regex matching the whole name', { type: 'REGEX', value: '.*' }, GROUPS],
    ['a regex that matches only part of a name', { type: 'REGEX', value: 'dialsync' }, undefined],
    ['no match: the claim is left out', { type: 'EQUALS', value: 'Finance' }, undefined],
  ])('filters by %s', (_name, filter, expected) => {
    expect(groupsClaimValue({ ...DEFAULT_GROUPS_CLAIM, filter }, GROUPS, ['openid'])).toEqual(expected);
  });

  it('is included only when a scope of its condition was granted', () => {
    const claim: GroupsClaim = { ...DEFAULT_GROUPS_CLAIM, scopes: ['groups'] };
    expect(groupsClaimValue(claim, GROUPS, ['openid', 'profile'])).toBeUndefined();
    expect(groupsClaimValue(claim, GROUPS, ['openid', 'groups'])).toEqual(['dialsync-admins', 'Dialsync-Viewers']);
  });
});
