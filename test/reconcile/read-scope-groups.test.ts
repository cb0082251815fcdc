import { describe, expect, it } from 'vitest';
import { OktaError } from '../../src/okta/errors.js';
import type { OktaGateway, OktaGroup } from '../../src/okta/types.js';
import { addUserGroups, readScopeGroupMembers, readScopeGroupsOf } from '../../src/reconcile/read-scope-groups.js';
import { rules } from '../plan/fixtures.js';

const PILOT: OktaGroup = { id: '00gpilot000000000001', name: 'Dialpad pilot' };
const PHONES: OktaGroup = { id: '00gphones00000000001', name: 'Phones' };
const OTHER = '00gother000000000001';

/** An Okta org with two scoping groups and one more, counting the requests each read would send. */
class GroupsOkta {
  readonly calls: string[] = [];
  failMembersOf: string | null = null;
  private readonly members = new Map<string, string[]>([
    [PILOT.id, ['00uA', '00uB']],
    [PHONES.id, ['00uC']],
    [OTHER, ['00uA', '00uD']],
  ]);

  gateway(): OktaGateway {
    return {
      resolveGroups: (entries: readonly string[]) => {
        this.calls.push(`resolve ${entries.join(',')}`);
        return Promise.resolve(entries.map((entry) => (entry === PHONES.id || entry === PHONES.name ? PHONES : PILOT)));
      },
      listGroupMemberIds: (groupId: string) => {
        this.calls.push(`members ${groupId}`);
        if (groupId === this.failMembersOf) return Promise.reject(new OktaError({ code: 'api_error', message: 'Okta answered 500' }));
        return Promise.resolve(new Set(this.members.get(groupId)));
      },
      listUserGroupIds: (oktaUserId: string) => {
        this.calls.push(`groups of ${oktaUserId}`);
        return Promise.resolve([...this.members].filter(([, ids]) => ids.includes(oktaUserId)).map(([id]) => id));
      },
    } as unknown as OktaGateway;
  }
}

const scoping = (groups: string[]) => rules({ scope: { groups, include: [], exclude: [], onOutOfScope: 'suspend' } });

describe('readScopeGroupMembers (full runs)', () => {
  it("lists each scoping group's members once, nothing user by user", async () => {
    const okta = new GroupsOkta();
    const membership = await readScopeGroupMembers(okta.gateway(), scoping(['Dialpad pilot', PHONES.id]));
    expect(membership?.groups).toEqual([PILOT, PHONES]);
    expect(membership?.members).toEqual(new Map([[PILOT.id, new Set(['00uA', '00uB'])], [PHONES.id, new Set(['00uC'])]]));
    expect(okta.calls).toEqual([`resolve Dialpad pilot,${PHONES.id}`, `members ${PILOT.id}`, `members ${PHONES.id}`]);
  });

  it('reads nothing without scope.groups', async () => {
    const okta = new GroupsOkta();
    expect(await readScopeGroupMembers(okta.gateway(), scoping([]))).toBeUndefined();
    expect(okta.calls).toEqual([]);
  });

  it('fails when a group cannot be read: never a partial membership', async () => {
    const okta = new GroupsOkta();
    okta.failMembersOf = PHONES.id;
    await expect(readScopeGroupMembers(okta.gateway(), scoping(['Dialpad pilot', 'Phones']))).rejects.toThrow('Okta answered 500');
  });
});

describe('readScopeGroupsOf (targeted runs)', () => {
  it("reads each run user's groups by id, one request per user, and counts only the scoping groups", async () => {
    const okta = new GroupsOkta();
    const membership = await readScopeGroupsOf(okta.gateway(), scoping(['Dialpad pilot']), ['00uA', '00uD', '00uA'], 2);
    expect(membership?.members).toEqual(new Map([[PILOT.id, new Set(['00uA'])]]));
    expect(okta.calls.filter((call) => call.startsWith('groups of')).sort()).toEqual(['groups of 00uA', 'groups of 00uD']);
    expect(okta.calls.filter((call) => call.startsWith('members'))).toEqual([]);
  });

  it('adds more users (link owners) without changing the membership it was given', async () => {
    const okta = new GroupsOkta();
    const membership = await readScopeGroupsOf(okta.gateway(), scoping(['Dialpad pilot']), ['00uD'], 2);
    const more = await addUserGroups(okta.gateway(), membership ?? { groups: [], members: new Map() }, ['00uB'], 2);
    expect(more.members.get(PILOT.id)).toEqual(new Set(['00uB']));
    expect(membership?.members.get(PILOT.id)).toEqual(new Set());
  });
});
