// How a run ended, decided once, where the run finishes: the run's record, the CLI's exit code and the daemon's
// metrics all read this value instead of each weighing the run's failures, shutdown and quarantine again.
import type { ActionResult } from '../apply/apply-plan.js';
import type { SystemicFailure } from '../plan/systemic-failure.js';

/**
 * How a finished run ended; the first that applies, in this order:
 * - `lease_lost`: this process lost the run lock during the run (paused past its TTL, or the database out of reach
 *   too long), so it wrote nothing more; the process that holds the lock now does the rest;
 * - `interrupted`: a shutdown left actions not run (the next run does them);
 * - `systemic`: some actions failed for a cause the run's users shared (reported once, counted toward nobody's
 *   quarantine);
 * - `users_failed`: some users' actions failed (the others were applied);
 * - `all_quarantined`: the quarantine held every user the run would act on, so nothing was tried;
 * - `unprovisioned`: everything else went through (or was planned), but an email held elsewhere left some assigned
 *   users without a Dialpad user;
 * - `succeeded`: everything planned went through (a dry run: the plan was made).
 * What the safety gates held back is the report's `held`, beside this: a run can be held back and partial at once.
 * A run that throws has no outcome; its record says `failed`.
 */
export type ReconcileOutcome = 'succeeded' | 'unprovisioned' | 'all_quarantined' | 'users_failed' | 'systemic' | 'interrupted' | 'lease_lost';

/** What the run's record (store/runs.ts) says of a run that did not throw. */
export type RecordedOutcome = 'succeeded' | 'partial';

/** The facts of a finished run the outcome is decided from. */
export interface RunFacts {
  /** The applied actions' results; empty for a dry run. */
  actions: readonly Pick<ActionResult, 'notRunReason'>[];
  /** Users with a failed action (a count). */
  failedUsers: number;
  systemic: readonly SystemicFailure[];
  /** Users the quarantine held when it held every user the plan would act on, else 0 (plan/safety/quarantine.ts). */
  quarantineStall: number;
  /** Assigned, in-scope users an email conflict leaves without a Dialpad user. */
  unprovisioned: number;
}

/** The run's outcome from its facts (see ReconcileOutcome for the order). Pure. */
export function runOutcome(facts: RunFacts): ReconcileOutcome {
  if (facts.actions.some((action) => action.notRunReason === 'lease_lost')) return 'lease_lost';
  if (facts.actions.some((action) => action.notRunReason === 'shutdown')) return 'interrupted';
  if (facts.systemic.length > 0) return 'systemic';
  if (facts.failedUsers > 0) return 'users_failed';
  if (facts.quarantineStall > 0) return 'all_quarantined';
  if (facts.unprovisioned > 0) return 'unprovisioned';
  return 'succeeded';
}

/**
 * What the run's record says: `partial` when the run applied and a user failed, a shutdown cut it short or the
 * quarantine held everyone (a dry run is recorded as succeeded: it planned).
 */
export function recordedOutcome(outcome: ReconcileOutcome, apply: boolean): RecordedOutcome {
  if (!apply) return 'succeeded';
  return outcome === 'succeeded' || outcome === 'unprovisioned' ? 'succeeded' : 'partial';
}

/**
 * Whether users' actions were left undone by a failure or a shutdown: the daemon's runs metric and log call such a
 * run `partial`. A run the quarantine held entirely tried nothing and failed nothing, so the daemon counts it as
 * succeeded (its record says partial, and `dialsync status` shows why).
 */
export function leftActionsUndone(outcome: ReconcileOutcome): boolean {
  return outcome === 'interrupted' || outcome === 'lease_lost' || outcome === 'systemic' || outcome === 'users_failed';
}

/** What the run's record notes went wrong, if anything: a shutdown, a systemic failure, or a quarantine that held everyone. */
export function runProblem(outcome: ReconcileOutcome, systemic: readonly SystemicFailure[], quarantineStall: number): string | undefined {
  switch (outcome) {
    case 'interrupted':
      return 'interrupted by shutdown';
    case 'lease_lost':
      return 'the run lock was lost during the run: this process wrote nothing more, the one that holds it now does the rest';
    case 'systemic':
      return `systemic failure: ${systemic.map((failure) => failure.summary).join('; ')}`;
    case 'all_quarantined':
      return `every planned user is quarantined (${quarantineStall})`;
    default:
      return undefined;
  }
}
