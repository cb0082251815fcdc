// The source health gate: when Okta's listing looks broken (nobody assigned while dialsync manages users, or far
// fewer than the last healthy listing), no suspend or delete is planned at all. An outage or a misconfigured
// app on the Okta side must never read as "everyone left".
import { withholdRetiring, type HeldBack } from './held-back.js';
import type { Plan } from './types.js';

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
}

export const SOURCE_HEALTH_RELEASE =
  'check the Okta app and its assignments first; if the drop is real, run `dialsync reconcile --apply --allow-mass-changes` once (or lower safety.sourceHealthMinFraction)';

/** Why the listing looks unhealthy, or null when it looks fine. */
export function sourceHealthProblem(input: SourceHealthInput): string | null {
  if (input.targeted) return null;
  if (input.assignments === 0 && input.managedUsers > 0) {
    return `Okta listed no assigned users while dialsync manages ${input.managedUsers}`;
  }
  const last = input.lastHealthyAssignments;
  if (last !== null && last > 0 && input.assignments < input.minFraction * last) {
    return `Okta listed ${input.assignments} assigned users, fewer than ${input.minFraction * 100}% of the ${last} of the last healthy run`;
  }
  return null;
}

export function gateOnSourceHealth(plan: Plan, input: SourceHealthInput): { plan: Plan; held: HeldBack | null } {
  const problem = sourceHealthProblem(input);
  if (problem === null || input.allow) return { plan, held: null };
  const reason = `source health gate: ${problem}`;
  const result = withholdRetiring(plan, new Set(['suspend', 'delete']), (action) => `held back by the ${reason}; ${SOURCE_HEALTH_RELEASE}: ${action.reason}`);
  if (!result) return { plan, held: null };
  return {
    plan: result.plan,
    held: { gate: 'source-health', counts: result.counts, users: result.users, reason, release: SOURCE_HEALTH_RELEASE },
  };
}
