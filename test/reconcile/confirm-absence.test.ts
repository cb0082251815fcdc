import { describe, expect, it } from 'vitest';
import type { DialpadGateway, DialpadUserListing } from '../../src/dialpad/types.js';
import { OktaError } from '../../src/okta/errors.js';
import type { OktaAssignment, OktaGateway } from '../../src/okta/types.js';
import { absenceReadBudget, confirmDialpadAbsences, confirmOktaAbsences, dialpadStillThere } from '../../src/reconcile/confirm-absence.js';
import { assignment, dialpadUser, link } from '../plan/fixtures.js';

/** An Okta side that answers the assignment by id from fixed data (undefined: 404; 'garbled': unreadable), recording each request. */
function oktaGateway(assignments: Record<string, OktaAssignment | 'garbled'>) {
  const requests: string[] = [];
  const okta = {
    getAssignment: (id: string) => {
      requests.push(`assignment:${id}`);
      const found = assignments[id];
      if (found === 'garbled') return Promise.reject(new OktaError({ code: 'invalid_response', message: `Okta user ${id} has no profile` }));
      return Promise.resolve(found ?? null);
    },
    getUserFate: (id: string) => {
      requests.push(`user:${id}`);
      return Promise.resolve(id === 'gone' ? { kind: 'deleted' as const } : { kind: 'exists' as const, status: 'ACTIVE' as const });
    },
  } as unknown as OktaGateway;
  return { okta, requests };
}

function dialpadGateway(byId: Record<string, DialpadUserListing>) {
  const requests: string[] = [];
  const dialpad = {
    getUserListing: (id: string) => {
      requests.push(id);
      return Promise.resolve(byId[id] ?? { users: [], rejected: [] });
    },
  } as unknown as DialpadGateway;
  return { dialpad, requests };
}

const reads = { concurrency: 2, readAll: false, budget: 100 };

describe('absenceReadBudget', () => {
  it('is 100, or 1 % of the links in a larger org', () => {
    expect([0, 12, 10_000, 10_001, 100_000].map(absenceReadBudget)).toEqual([100, 100, 100, 101, 1000]);
  });
});

describe('confirmOktaAbsences', () => {
  it('keeps a user still assigned, reads the fate of a user proven unassigned (404), and skips an unreadable one', async () => {
    const kept = assignment('kept');
    const { okta, requests } = oktaGateway({ kept, odd: 'garbled' });
    const result = await confirmOktaAbsences(okta, [link('kept', '1'), link('left', '2'), link('gone', '3'), link('odd', '4')], reads);
    expect(result.found).toEqual([kept]);
    expect(result.fates).toEqual({ left: { kind: 'exists', status: 'ACTIVE' }, gone: { kind: 'deleted' } });
    expect(result.rejected).toEqual([{ oktaUserId: 'odd', login: null, reason: expect.stringContaining('has no profile') }]);
    expect(result.stillAssigned.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'kept', email: 'kept@example.com' },
      { id: 'odd', email: null },
    ]);
    expect(result.unconfirmed).toBe(0);
    // One assignment read per absence, and one user read for each proven one.
    expect([...requests].sort()).toEqual(['assignment:gone', 'assignment:kept', 'assignment:left', 'assignment:odd', 'user:gone', 'user:left']);
  });

  it('reads nothing past the budget: every absence stays unproven, unless the run reads them all', async () => {
    const missing = [link('a', '1'), link('b', '2'), link('c', '3')];
    const over = oktaGateway({});
    expect(await confirmOktaAbsences(over.okta, missing, { ...reads, budget: 2 })).toEqual({ fates: {}, found: [], rejected: [], stillAssigned: [], unconfirmed: 3 });
    expect(over.requests).toEqual([]);

    const all = oktaGateway({});
    const result = await confirmOktaAbsences(all.okta, missing, { ...reads, budget: 2, readAll: true });
    expect(Object.keys(result.fates).sort()).toEqual(['a', 'b', 'c']);
    expect(result.unconfirmed).toBe(0);
  });

  it('lets a failed read fail the run', async () => {
    const okta = { getAssignment: () => Promise.reject(new OktaError({ code: 'api_error', message: 'Okta answered 500' })) } as unknown as OktaGateway;
    await expect(confirmOktaAbsences(okta, [link('a', '1')], reads)).rejects.toMatchObject({ code: 'api_error' });
  });
});

describe('confirmDialpadAbsences', () => {
  it('returns what the reads by id found; dialpadStillThere leaves out the gone and the 404s', async () => {
    const live = dialpadUser('1', 'a@x.com');
    const deleted = { ...dialpadUser('2', 'b@x.com'), state: 'deleted' };
    const { dialpad, requests } = dialpadGateway({
      '1': { users: [live], rejected: [] },
      '2': { users: [deleted], rejected: [] },
      '4': { users: [], rejected: [{ id: '4', reason: 'state is missing', emails: ['d@x.com'] }] },
    });
    const found = await confirmDialpadAbsences(dialpad, [link('a', '1'), link('b', '2'), link('c', '3'), link('d', '4')], reads);
    expect([...requests].sort()).toEqual(['1', '2', '3', '4']);
    expect(found.users).toEqual([live, deleted]);
    expect(dialpadStillThere(found)).toEqual([
      { id: '1', email: 'a@x.com' },
      { id: '4', email: 'd@x.com' },
    ]);
  });

  it('reads nothing past the budget', async () => {
    const { dialpad, requests } = dialpadGateway({});
    expect(await confirmDialpadAbsences(dialpad, [link('a', '1'), link('b', '2')], { ...reads, budget: 1 })).toEqual({ users: [], rejected: [], unconfirmed: 2 });
    expect(requests).toEqual([]);
  });
});
