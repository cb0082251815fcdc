// What a run keeps of its plan beyond its counts: every action with what became of it (run_actions), and the
// suspends and deletes its run-wide gates held (held_actions), built from the plan after the safety passes and
// apply's per-step results. Pure: reconcile.ts writes what these return.
//
// Example: a plan creates a@ (with a title) and suspends b@, and the mass-change guard held c@'s suspend and its
// write-back clear. Applied, with the title PATCH refused: a@ create done, a@ set_job_title failed (its error), b@
// suspend done, c@ suspend held (gate mass-change), c@ write_back held — five rows; one held action (c@ suspend).
// As a dry run: the first three are planned.
import { stepsOf } from '../apply/action-graph.js';
import type { ActionResult, ApplyResult } from '../apply/apply-plan.js';
import type { RetiringKind } from '../plan/safety/held-back.js';
import type { Plan } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import type { HeldActionInput } from '../store/held-actions.js';
import type { RunActionInput, RunActionOutcome } from '../store/run-actions.js';

/**
 * Every action of the run, in plan order (each user's steps as apply takes them, a create's title PATCH included),
 * then the withheld ones: with `result` (an applied run) each step's outcome and error, without it (a dry run)
 * `planned`; withheld actions are `held` with their gate when a run-wide gate held them, else `withheld`.
 */
export function runActionsOf(plan: Plan, result: ApplyResult | null): RunActionInput[] {
  const results = resultsByStep(result);
  const rows: RunActionInput[] = [];
  for (const user of plan.users) {
    const userKey = userKeyOf(user);
    for (const step of stepsOf(user.actions)) {
      const outcome = result === null ? null : (results.get(stepKey(user.email, user.oktaUserId, step.kind))?.shift() ?? null);
      rows.push({
        userKey,
        oktaUserId: user.oktaUserId,
        dialpadUserId: outcome?.dialpadUserId ?? user.dialpadUserId,
        email: user.email,
        kind: step.kind,
        reason: step.reason,
        outcome: result === null ? 'planned' : outcomeOf(outcome),
        error: outcome === null ? null : (outcome.error ?? (outcome.outcome === 'not_run' ? outcome.detail : null)),
        gate: null,
        approvedBy: (step.kind === 'suspend' || step.kind === 'delete') && step.approvedBy !== undefined ? step.approvedBy : null,
      });
    }
  }
  for (const w of plan.withheld) {
    const user = { oktaUserId: w.oktaUserId ?? null, dialpadUserId: w.dialpadUserId ?? null, email: w.email };
    rows.push({
      userKey: userKeyOf(user),
      ...user,
      kind: w.kind,
      reason: w.reason,
      outcome: w.gate === undefined ? 'withheld' : 'held',
      error: null,
      gate: w.gate ?? null,
      approvedBy: null,
    });
  }
  return rows;
}

/** The suspends and deletes a run-wide gate held (each user and kind once): what held_actions keeps until decided. */
export function heldActionsOf(plan: Plan): HeldActionInput[] {
  const held = new Map<string, HeldActionInput>();
  for (const w of plan.withheld) {
    if (w.gate === undefined || (w.kind !== 'suspend' && w.kind !== 'delete')) continue;
    const user = { oktaUserId: w.oktaUserId ?? null, dialpadUserId: w.dialpadUserId ?? null, email: w.email };
    const userKey = userKeyOf(user);
    if (!held.has(`${w.kind} ${userKey}`)) held.set(`${w.kind} ${userKey}`, { userKey, ...user, kind: w.kind, gate: w.gate, reason: w.reason });
  }
  return [...held.values()];
}

/** The suspends and deletes apply carried out (outcome done), by user key and kind. */
export function retiringDone(result: ApplyResult): { userKey: string; kind: RetiringKind }[] {
  return result.actions.flatMap((r) => ((r.kind === 'suspend' || r.kind === 'delete') && r.outcome === 'done' ? [{ userKey: userKeyOf(r), kind: r.kind }] : []));
}

/** Apply's results, queued per user and step kind (a user has one step of a kind; a queue keeps any repeat in order). */
function resultsByStep(result: ApplyResult | null): Map<string, ActionResult[]> {
  const byStep = new Map<string, ActionResult[]>();
  for (const r of result?.actions ?? []) {
    const key = stepKey(r.email, r.oktaUserId, r.kind);
    const queue = byStep.get(key);
    if (queue) queue.push(r);
    else byStep.set(key, [r]);
  }
  return byStep;
}

function stepKey(email: string, oktaUserId: string | null, kind: string): string {
  return `${oktaUserId ?? ''}\u0000${email}\u0000${kind}`;
}

/** Apply's outcome as run_actions keeps it: `unchanged` (nothing to write) counts as done; no result, not run. */
function outcomeOf(result: ActionResult | null): RunActionOutcome {
  if (result === null) return 'not_run';
  return result.outcome === 'unchanged' ? 'done' : result.outcome;
}
