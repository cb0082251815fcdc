import { describe, expect, it } from 'vitest';
import { OKTA_SEARCH_LIMIT, searchAssignedUsers } from '../../src/console/assigned-user-search.js';
import type { OktaAssignment, OktaAssignmentSearch } from '../../src/okta/types.js';

const MAPPING = { email: ['login', 'email'], firstName: 'firstName', lastName: 'lastName' };

const assigned = (id: string, profile: Record<string, string>): OktaAssignment => ({
  oktaUserId: id,
  scope: 'USER',
  appUserStatus: 'ACTIVE',
  status: 'ACTIVE',
  profile,
  appProfile: {},
});

/** A gateway whose search answers `page`, recording what it was asked. */
function gateway(page: Partial<OktaAssignmentSearch>, asked: [string, number][] = []) {
  return {
    searchAssignments: (query: string, limit: number) => {
      asked.push([query, limit]);
      return Promise.resolve({ assignments: [], rejected: [], more: false, ...page });
    },
  };
}

describe('searchAssignedUsers', () => {
  it('reads each user Okta found with the rules’ mapping: the email dialsync keys it by, its name and status', async () => {
    const asked: [string, number][] = [];
    const okta = gateway(
      {
        assignments: [
          assigned('00u1', { login: 'ann.lee@acme.com', email: 'ann@private.example', firstName: 'Ann', lastName: 'Lee' }),
          assigned('00u2', { login: 'lee', email: 'lee.ko@acme.com', firstName: 'Lee', lastName: '' }),
          assigned('00u3', { login: 'nobody', firstName: '', lastName: '' }),
        ],
        more: true,
      },
      asked,
    );
    expect(await searchAssignedUsers(okta, MAPPING, ' Lee ')).toEqual({
      users: [
        { oktaUserId: '00u1', email: 'ann.lee@acme.com', login: 'ann.lee@acme.com', name: 'Ann Lee', status: 'ACTIVE' },
        { oktaUserId: '00u2', email: 'lee.ko@acme.com', login: 'lee', name: 'Lee', status: 'ACTIVE' },
        { oktaUserId: '00u3', email: null, login: 'nobody', name: null, status: 'ACTIVE' },
      ],
      more: true,
    });
    expect(asked).toEqual([['lee', OKTA_SEARCH_LIMIT]]);
  });

  it('asks Okta for the first word of a full name and keeps the users every word starts a part of', async () => {
    const asked: [string, number][] = [];
    const okta = gateway(
      {
        assignments: [
          assigned('00u1', { login: 'ann.lee@acme.com', firstName: 'Ann', lastName: 'Lee' }),
          assigned('00u2', { login: 'ann.smith@acme.com', firstName: 'Ann', lastName: 'Smith' }),
          assigned('00u3', { login: 'annika.leeds@acme.com', firstName: 'Annika', lastName: 'Leeds' }),
        ],
      },
      asked,
    );
    const found = await searchAssignedUsers(okta, MAPPING, 'ann lee');
    expect(asked).toEqual([['ann', OKTA_SEARCH_LIMIT]]);
    expect(found.users.map((u) => u.oktaUserId)).toEqual(['00u1', '00u3']);
  });

  it('asks nothing for a blank query', async () => {
    const asked: [string, number][] = [];
    expect(await searchAssignedUsers(gateway({}, asked), MAPPING, '  ')).toEqual({ users: [], more: false });
    expect(asked).toEqual([]);
  });
});
