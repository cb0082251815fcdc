import { describe, expect, it } from 'vitest';
import { PlanIndex } from '../../src/plan/plan-index.js';
import { retiredOktaUserId } from '../../src/plan/retire.js';
import { assignment, dialpadUser, link, planInput } from './fixtures.js';

describe('PlanIndex', () => {
  const index = new PlanIndex(
    planInput({
      assignments: [assignment('00u2'), assignment('00u1'), assignment('00u2', { status: 'SUSPENDED' })],
      rejectedAssignments: [
        { oktaUserId: '00u7', login: 'seven@example.com', reason: 'bad' },
        { oktaUserId: null, login: 'Nobody@Example.com', reason: 'bad' },
      ],
      ownerAssignments: [assignment('00u8')],
      dialpadUsers: [
        dialpadUser('10', 'ann@example.com', { emails: ['ann@example.com', 'ann.other@example.com'] }),
        dialpadUser('11', 'gone@example.com', { state: 'deleted' }),
        dialpadUser('12', 'ANN@example.com'),
      ],
      links: [link('00u1', '10'), link('00u3', '11'), link('00u1', '12')],
      fates: { '00u3': { kind: 'deleted' } },
    }),
  );

  it('keeps the first assignment of each Okta user; an unreadable one still counts as assigned', () => {
    expect(index.assignmentOf('00u2')?.status).toBe('ACTIVE');
    expect(index.assignmentOf('00u8')?.oktaUserId).toBe('00u8');
    expect(['00u1', '00u7', '00u8', '00u9'].map((id) => index.isAssigned(id))).toEqual([true, true, false, false]);
    expect(index.hasRejectedAssignment('00u7')).toBe(true);
    expect(index.hasRejectedLogin('nobody@example.com')).toBe(true);
    expect(index.hasRejectedLogin('seven@example.com')).toBe(false);
  });

  it('finds live users by primary email first, then by other email; gone users by neither', () => {
    expect(index.primaryHoldersOf('ann@example.com').map((u) => u.id)).toEqual(['10', '12']);
    expect(index.holdersOf('ann.other@example.com').map((u) => u.id)).toEqual(['10']);
    expect(index.holdersOf('gone@example.com')).toEqual([]);
  });

  it('follows the first link of an Okta user, and says why a link cannot be used', () => {
    expect(index.liveLinkedUser('00u1')?.id).toBe('10');
    expect(index.liveLinkedUser('00u3')).toBeNull();
    expect(index.brokenLinkNote('00u3')).toBe('the linked Dialpad user 11 is deleted');
    expect(index.brokenLinkNote('00u1')).toBe('the linked Dialpad user 10 is active');
    expect(index.brokenLinkNote('00u4')).toBeNull();
    expect(index.fateOf('00u3')).toEqual({ kind: 'deleted' });
    expect(index.fateOf('toString')).toBeUndefined();
  });
});

describe('retiredOktaUserId', () => {
  it.each([
    ['deleted in Okta: no Okta user left to name', { kind: 'deleted' } as const, null],
    ['deactivated: still named', { kind: 'exists', status: 'DEPROVISIONED' } as const, '00u1'],
    ['not read: still named', undefined, '00u1'],
  ])('%s', (_situation, fate, expected) => {
    expect(retiredOktaUserId(link('00u1', '10'), fate)).toBe(expected);
  });
});
