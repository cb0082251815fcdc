// A user's actions form a small dependency graph, not an all-or-nothing chain: an action runs unless an action
// it depends on (of the same user, earlier in the plan) failed or did not run. So a title Dialpad refuses does
// not keep the number from being written back, and a failed update does not keep a suspend from happening.
//
//   step             runs only if these went through (when the plan has them)
//   create           -
//   adopt            -
//   relink           -                        (a re-hire: the link passes to the new Okta account)
//   set_job_title    create                   (the PATCH needs the user's id)
//   reactivate       create, adopt, relink
//   update           create, adopt, relink
//   move_office      create, adopt, relink
//   assign_number    create, adopt, relink, reactivate, move_office   (the number comes from the new office's pool)
//   suspend          create, adopt, relink
//   delete           create, adopt, relink
//   write_back       create, adopt, relink, assign_number, suspend, delete
//
// write_back depends on the number existing (create, assign_number) and on the state its value stands for (a
// clear follows its suspend or delete), not on fields or the office: after a failed move it writes the number
// the user still has. A new action kind gets its row here; the compiler asks for it.
import type { Action, Plan } from '../plan/types.js';

/**
 * Dialpad's create takes no job title (docs/rules.md#mapping): apply follows a create with this PATCH, reported and
 * journaled as its own step, so a refused title leaves the create `done`.
 */
export interface SetJobTitleStep {
  kind: 'set_job_title';
  jobTitle: string;
  reason: string;
}

/** One thing apply does for a user: a planned action, or the follow-up a create brings with it. */
export type Step = Action | SetJobTitleStep;

/** The kinds apply reports outcomes for (the plan's action kinds and set_job_title). */
export type StepKind = Step['kind'];

/** Which steps each step depends on: the table above, in one place. */
export const DEPENDS_ON: Readonly<Record<StepKind, readonly StepKind[]>> = {
  create: [],
  adopt: [],
  relink: [],
  set_job_title: ['create'],
  reactivate: ['create', 'adopt', 'relink'],
  update: ['create', 'adopt', 'relink'],
  move_office: ['create', 'adopt', 'relink'],
  assign_number: ['create', 'adopt', 'relink', 'reactivate', 'move_office'],
  suspend: ['create', 'adopt', 'relink'],
  delete: ['create', 'adopt', 'relink'],
  write_back: ['create', 'adopt', 'relink', 'assign_number', 'suspend', 'delete'],
};

/** A user's steps in the order they run: the plan's actions, each create followed by its title PATCH. */
export function stepsOf(actions: readonly Action[]): Step[] {
  return actions.flatMap((action): Step[] =>
    action.kind === 'create' && action.jobTitle
      ? [action, { kind: 'set_job_title', jobTitle: action.jobTitle, reason: "Dialpad's create takes no job title: set right after" }]
      : [action],
  );
}

/** How many steps applying the plan takes: its actions and the title PATCHes after creates (a run's planned count). */
export function countSteps(plan: Plan): number {
  return plan.users.reduce((sum, user) => sum + stepsOf(user.actions).length, 0);
}

/** How a step ended, as far as the steps after it care. */
export type StepOutcome = 'done' | 'unchanged' | 'failed' | 'not_run';

/**
 * Why a step was not run: dialsync was shutting down (the next run does it), this process lost the run lock (the
 * process that holds it now does it), or a step it needs (blockingStep) failed or was not run itself.
 */
export type NotRunReason = 'shutdown' | 'lease_lost' | 'earlier_failure' | 'earlier_not_run';

/**
 * The first step this one depends on that did not go through, among those already run for the user (in plan
 * order), or null when it may run. `ran` holds each earlier step's kind and outcome.
 */
export function blockingStep(kind: StepKind, ran: readonly { kind: StepKind; outcome: StepOutcome }[]): { kind: StepKind; outcome: StepOutcome } | null {
  const needs = DEPENDS_ON[kind];
  return ran.find((earlier) => needs.includes(earlier.kind) && earlier.outcome !== 'done' && earlier.outcome !== 'unchanged') ?? null;
}
