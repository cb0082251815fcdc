// The Dialpad health gate, the source health gate's twin on the Dialpad side: when Dialpad's user listing looks
// broken, nothing is planned on what it failed to show. A linked Dialpad user missing from a listing would be
// created again (Dialpad then refuses the email with 409, or bills a second seat), so while the listing is
// unhealthy no linked user is created or adopted anew, and no suspend or delete goes through either.
// Example: dialsync links 12 users; Dialpad answers `{"items":[]}`. The read step reads the 12 by id (found:
// planned as listed), and this gate finds the listing unhealthy (0 of 12, under the 50 % of
// safety.sourceHealthMinFraction): one of them that Dialpad really deleted is not created again this run.
import { withholdRetiring, type Approval, type SafetyPassResult } from './held-back.js';
import { LEFT_OUT_TOLERATED } from './source-health-gate.js';
import type { Action, ActionKind, Link, ListingGaps, Plan, UserPlan } from '../types.js';
import { withheldUser } from '../withheld-user.js';

/** The facts the Dialpad health gate judges Dialpad's user listing by. */
export interface DialpadHealthInput {
  /** What the read step found about the users the listing left out; absent (no full listing): not judged. */
  gaps: ListingGaps | undefined;
  /** dialsync's links: creates and adoptions for their Okta users are what an unhealthy listing would get wrong. */
  links: readonly Link[];
  /** The same fraction as the source health gate (safety.sourceHealthMinFraction), of the links this time. */
  minFraction: number;
  /** A targeted run reads its users by id, not from a listing: not gated. */
  targeted: boolean;
  /** --allow-mass-changes: a person has looked and lets the run through. */
  allow: boolean;
  /** Approved held suspends and deletes: when the gate holds, exactly these pass (see withholdRetiring). */
  approvals?: readonly Approval[];
}

/** How to let held actions through, as the run prints it. */
export const DIALPAD_HEALTH_RELEASE =
  "check Dialpad's user listing (GET /api/v2/users?state=all) first; if it is right, run `dialsync reconcile --apply --allow-mass-changes` once";

/** Why Dialpad's user listing looks unhealthy, or null when it looks fine. */
export function dialpadHealthProblem(input: DialpadHealthInput): string | null {
  const gaps = input.gaps;
  if (input.targeted || gaps === undefined) return null;
  const { expected, listed } = gaps.dialpadLinked;
  if (gaps.dialpadUnconfirmed > 0) {
    return `Dialpad's listing left out ${gaps.dialpadUnconfirmed} linked users, more than dialsync reads one by one in a run, so their absence is unproven`;
  }
  if (expected > 0 && listed === 0) return `Dialpad listed none of the ${expected} users dialsync manages`;
  if (expected > 0 && listed < input.minFraction * expected) {
    return `Dialpad listed ${listed} of the ${expected} users dialsync manages, fewer than ${input.minFraction * 100}%`;
  }
  if (gaps.dialpadStillThere.length > LEFT_OUT_TOLERATED) {
    return `Dialpad's listing left out ${gaps.dialpadStillThere.length} linked users who are still there (each read by id)`;
  }
  return null;
}

/**
 * Holds, when the listing is unhealthy and the run does not allow it, every suspend and delete (with their
 * write-back clears) and every user plan that creates or adopts a Dialpad user for a linked Okta user (with its
 * other actions, which depend on it). Returns the plan unchanged and held null otherwise.
 */
export function gateOnDialpadHealth(plan: Plan, input: DialpadHealthInput): SafetyPassResult {
  const problem = dialpadHealthProblem(input);
  if (problem === null || input.allow) return { plan, held: null };
  const reason = `Dialpad health gate: ${problem}`;
  const because = (action: Action): string => `held back by the ${reason}; ${DIALPAD_HEALTH_RELEASE}: ${action.reason}`;
  const linked = new Set(input.links.map((link) => link.oktaUserId));

  const counts: Partial<Record<ActionKind, number>> = {};
  const withheld = [...plan.withheld];
  const users: UserPlan[] = [];
  let relinked = 0;
  for (const user of plan.users) {
    const anew = user.oktaUserId !== null && linked.has(user.oktaUserId) && user.actions.some(isCreateOrAdopt);
    if (!anew) {
      users.push(user);
      continue;
    }
    relinked += 1;
    for (const action of user.actions) {
      withheld.push({ ...withheldUser(user), kind: action.kind, reason: because(action), gate: 'dialpad-health' });
      counts[action.kind] = (counts[action.kind] ?? 0) + 1;
    }
  }
  const retiring = withholdRetiring({ ...plan, users, withheld }, new Set(['suspend', 'delete']), {
    gate: 'dialpad-health',
    reasonFor: because,
    ...(input.approvals ? { approvals: input.approvals } : {}),
  });
  if (retiring) for (const [kind, n] of Object.entries(retiring.counts)) counts[kind as ActionKind] = (counts[kind as ActionKind] ?? 0) + n;
  const affected = relinked + (retiring?.users ?? 0);
  if (affected === 0) return { plan: retiring?.plan ?? plan, held: null };
  return {
    plan: retiring?.plan ?? { ...plan, users, withheld },
    held: { gate: 'dialpad-health', counts, users: affected, reason, release: DIALPAD_HEALTH_RELEASE },
  };
}

function isCreateOrAdopt(action: Action): boolean {
  return action.kind === 'create' || action.kind === 'adopt';
}
