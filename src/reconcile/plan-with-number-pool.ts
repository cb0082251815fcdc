// Planning in two passes, so a run asks Dialpad for its free numbers only when it hands one out: a cycle
// where every user already has a number (the usual one) spends no request on GET /numbers.
import type { DialpadGateway } from '../dialpad/types.js';
import { calculatePlan } from '../plan/calculate.js';
import type { Plan, PlanInput, Rules } from '../plan/types.js';

/** True when some user of the plan is to be given a number (the only thing the pool of free numbers decides). */
export function wantsPoolNumber(plan: Plan): boolean {
  return plan.users.some((user) => user.actions.some((action) => action.kind === 'assign_number'));
}

/**
 * Plans without the free numbers; when the plan assigns a number, lists the free numbers and plans again.
 * The planner stays pure: the pool only changes which number an assign_number asks for, so the second plan
 * is the first one with pool numbers filled in. Returns the input the plan was made from (with the free numbers
 * when they were listed) and the plan. Throws DialpadError when the listing (`numbers.list`) fails.
 */
export async function planWithNumberPool(input: PlanInput, rules: Rules, dialpad: DialpadGateway): Promise<{ input: PlanInput; plan: Plan }> {
  const first = calculatePlan(input, rules);
  if (!wantsPoolNumber(first)) return { input, plan: first };
  const withNumbers: PlanInput = { ...input, availableNumbers: await dialpad.listAvailableNumbers() };
  return { input: withNumbers, plan: calculatePlan(withNumbers, rules) };
}
