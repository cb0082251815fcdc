import { describe, expect, it } from 'vitest';
import type { DialpadGateway, DialpadNumber } from '../../src/dialpad/types.js';
import { planWithNumberPool } from '../../src/reconcile/plan-with-number-pool.js';
import { actionOf, assignment, dialpadUser, link, NY, planInput, poolNumber, rules, userPlanFor } from '../plan/fixtures.js';

/** A gateway that only answers listAvailableNumbers, and counts the calls. */
function numbersGateway(numbers: DialpadNumber[]): { dialpad: DialpadGateway; calls: () => number } {
  let calls = 0;
  const dialpad = {
    listAvailableNumbers: () => {
      calls += 1;
      return Promise.resolve(numbers);
    },
  } as unknown as DialpadGateway;
  return { dialpad, calls: () => calls };
}

describe('planWithNumberPool', () => {
  it('does not list the free numbers when nobody needs one', async () => {
    const { dialpad, calls } = numbersGateway([poolNumber('+12125550199', NY.id)]);
    const input = planInput({
      assignments: [assignment('u1')],
      dialpadUsers: [dialpadUser('7001', 'u1@example.com')],
      links: [link('u1', '7001')],
    });
    const { plan, input: used } = await planWithNumberPool(input, rules({ writeBack: { enabled: false } }), dialpad);
    expect(calls()).toBe(0);
    expect(plan.users).toEqual([]);
    expect(used.availableNumbers).toEqual([]);
  });

  it('lists them once and plans again when a user is to be given a number, handing out the pool number', async () => {
    const { dialpad, calls } = numbersGateway([poolNumber('+12125550199', NY.id)]);
    // A linked user without a number (creates get theirs from Dialpad's auto-assign, not from the pool).
    const input = planInput({
      assignments: [assignment('u1')],
      dialpadUsers: [dialpadUser('7001', 'u1@example.com', { phoneNumbers: [] })],
      links: [link('u1', '7001')],
    });
    const { plan, input: used } = await planWithNumberPool(input, rules(), dialpad);
    expect(calls()).toBe(1);
    expect(used.availableNumbers.map((n) => n.number)).toEqual(['+12125550199']);
    expect(actionOf(userPlanFor(plan, 'u1@example.com'), 'assign_number')?.number).toBe('+12125550199');
  });
});
