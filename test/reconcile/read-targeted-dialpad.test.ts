import { describe, expect, it } from 'vitest';
import type { DialpadGateway, DialpadUserListing } from '../../src/dialpad/types.js';
import { readTargetedDialpadUsers } from '../../src/reconcile/read-targeted-dialpad.js';
import { assignment, dialpadUser, link, rules } from '../plan/fixtures.js';

const EMPTY: DialpadUserListing = { users: [], rejected: [] };

/** A gateway answering the two targeted look-ups from fixed data, recording each request. */
function targetedGateway(byId: Record<string, DialpadUserListing>, byEmail: Record<string, DialpadUserListing>) {
  const requests: string[] = [];
  const dialpad = {
    getUserListing: (id: string) => {
      requests.push(`id:${id}`);
      return Promise.resolve(byId[id] ?? EMPTY);
    },
    listUsersByEmail: (email: string) => {
      requests.push(`email:${email}`);
      return Promise.resolve(byEmail[email] ?? EMPTY);
    },
    listUsers: () => Promise.reject(new Error('a targeted run must not list every user')),
  } as unknown as DialpadGateway;
  return { dialpad, requests };
}

describe('readTargetedDialpadUsers', () => {
  it('reads a linked user by id only, when it already has the desired email', async () => {
    const linked = dialpadUser('7001', 'u1@example.com');
    const { dialpad, requests } = targetedGateway({ '7001': { users: [linked], rejected: [] } }, {});
    const listing = await readTargetedDialpadUsers(
      dialpad,
      { oktaUserIds: ['u1'], assignments: [assignment('u1')], links: [link('u1', '7001'), link('u2', '7002')] },
      rules(),
      4,
    );
    expect(requests).toEqual(['id:7001']);
    expect(listing.users.map((u) => u.id)).toEqual(['7001']);
  });

  it('also looks up the desired email when the user is new, its email changed, or its linked user is gone', async () => {
    const holder = dialpadUser('7009', 'new@example.com');
    const renamed = dialpadUser('7002', 'old@example.com');
    const { dialpad, requests } = targetedGateway(
      { '7002': { users: [renamed], rejected: [] } },
      { 'new@example.com': { users: [holder], rejected: [] }, 'u3@example.com': { users: [], rejected: [{ id: '7010', reason: 'bad state', emails: ['u3@example.com'] }] } },
    );
    const listing = await readTargetedDialpadUsers(
      dialpad,
      {
        oktaUserIds: ['u1', 'u2', 'u3'],
        assignments: [assignment('u1'), assignment('u2', { profile: { login: 'new@example.com', email: 'new@example.com' } }), assignment('u3')],
        links: [link('u2', '7002'), link('u3', '7003')],
      },
      rules(),
      2,
    );
    expect([...requests].sort()).toEqual(['email:new@example.com', 'email:u1@example.com', 'email:u3@example.com', 'id:7002', 'id:7003']);
    expect(listing.users.map((u) => u.id)).toEqual(['7002', '7009']);
    // The unreadable holder of u3's email is reported, so the planner leaves u3 alone as a full run would.
    expect(listing.rejected).toEqual([{ id: '7010', reason: 'bad state', emails: ['u3@example.com'] }]);
  });

  it('reads the linked user of a targeted Okta user that is no longer assigned (its fate decides the plan)', async () => {
    const linked = dialpadUser('7004', 'u4@example.com');
    const { dialpad, requests } = targetedGateway({ '7004': { users: [linked], rejected: [] } }, {});
    const listing = await readTargetedDialpadUsers(dialpad, { oktaUserIds: ['u4'], assignments: [], links: [link('u4', '7004')] }, rules(), 4);
    expect(requests).toEqual(['id:7004']);
    expect(listing.users).toEqual([linked]);
  });
});
