// The source health gate: when Okta's listing looks broken (nobody assigned while dialsync manages users, far
// fewer than the last healthy listing, or several users left out who a read by id still finds assigned), no
// suspend or delete is planned at all. An outage or a misconfigured app on the Okta side must never read as
// "everyone left". Example: 14 assigned users, the listing answers 200 with 11 of them; the read step reads the
// 3 missing ones by id and finds them still assigned: they are planned as listed, and the listing is unhealthy.
import { APPROVE_HELD, withholdRetiring, type Approval, type SafetyPassResult } from './held-back.js';
import type { Plan } from '../types.js';

/** The facts the source health gate judges Okta's listing by. */
export interface SourceHealthInput {
  /** Assignments in this run's listing (rejected ones included: they are still assignments). */
  assignments: number;
  /** Users dialsync has linked. */
  managedUsers: number;
  /** Assignments in the last full listing that passed this gate; null when there was none. */
  lastHealthyAssignments: number | null;
  /** Below this fraction of lastHealthyAssignments the listing is unhealthy. */
  minFraction: number;
  /** A targeted run (--user, incremental, hook) does not list everyone: the gate does not apply. */
  targeted: boolean;
  /** --allow-mass-changes on the command line: a person has looked at the drop and confirms it. */
  allow: boolean;
  /** Approved held actions: when the gate holds, exactly these pass (see withholdRetiring). */
  approvals?: readonly Approval[];
  /**
   * Linked users the listing left out (see ListingGaps): how many a read by id still found assigned, and how many
   * were not read (more than a run reads one by one). Absent: nothing was left out.
   */
  leftOut?: { stillAssigned: number; unconfirmed: number };
}

/** A listing may leave out this many users who are still there and stay healthy (one is a warning; more, a gate). */
export const LEFT_OUT_TOLERATED = 1;

/** How to let held suspends and deletes through, as the run prints it. */
export const SOURCE_HEALTH_RELEASE =
  `check the Okta app and its assignments first; if the drop is real, ${APPROVE_HELD}, or run \`dialsync reconcile --apply --allow-mass-changes\` once (or lower safety.sourceHealthMinFraction)`;

/** Why the listing looks unhealthy, or null when it looks fine. */
export function sourceHealthProblem(input: SourceHealthInput): string | null {
  if (input.targeted) return null;
  const leftOut = input.leftOut;
  if (leftOut !== undefined && leftOut.unconfirmed > 0) {
    return `Okta's listing left out ${leftOut.unconfirmed} linked users, more than dialsync reads one by one in a run, so their absence is unproven`;
  }
  if (leftOut !== undefined && leftOut.stillAssigned > LEFT_OUT_TOLERATED) {
    return `Okta's listing left out ${leftOut.stillAssigned} users who are still assigned (each read by id)`;
  }
  if (input.assignments === 0 && input.managedUsers > 0) {
    return `Okta listed no assigned users while dialsync manages ${input.managedUsers}`;
  }
  const last = input.lastHealthyAssignments;
  if (last !== null && last > 0 && input.assignments < input.minFraction * last) {
    return `Okta listed ${input.assignments} assigned users, fewer than ${input.minFraction * 100}% of the ${last} of the last healthy run`;
  }
  return null;
}

/**
 * Holds every suspend and delete (with their write-back clears) when the listing looks unhealthy and the run does
 * not allow it; `held` says what and why (gate `source-health`), or is null when nothing was held.
 */
export function gateOnSourceHealth(plan: Plan, input: SourceHealthInput): SafetyPassResult {
  const problem = sourceHealthProblem(input);
  if (problem === null || input.allow) return { plan, held: null };
  const reason = `source health gate: ${problem}`;
  const result = withholdRetiring(plan, new Set(['suspend', 'delete']), {
    gate: 'source-health',
    reasonFor: (action) => `held back by the ${reason}; ${SOURCE_HEALTH_RELEASE}: ${action.reason}`,
    ...(input.approvals ? { approvals: input.approvals } : {}),
  });
  if (!result || result.users === 0) return { plan: result?.plan ?? plan, held: null };
  return {
    plan: result.plan,
    held: { gate: 'source-health', counts: result.counts, users: result.users, reason, release: SOURCE_HEALTH_RELEASE },
  };
}
