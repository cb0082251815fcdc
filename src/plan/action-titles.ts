// The words people read for each action kind, shared by the command line's plan table and the console.
import type { ActionKind } from './types.js';

/** The action kinds in the order a run applies them (and the plan table and the console list them). */
export const ACTION_ORDER: readonly ActionKind[] = ['create', 'adopt', 'relink', 'reactivate', 'update', 'move_office', 'assign_number', 'suspend', 'delete', 'write_back'];

/** Each action kind's heading, as the plan table prints it ("Move office (3)"). */
export const ACTION_TITLES: Readonly<Record<ActionKind, string>> = {
  create: 'Create',
  adopt: 'Adopt (link an existing Dialpad user)',
  relink: 'Relink (a re-hire takes over the Dialpad user of a previous Okta account)',
  reactivate: 'Reactivate',
  update: 'Update',
  move_office: 'Move office',
  assign_number: 'Assign number',
  suspend: 'Suspend',
  delete: 'Delete',
  write_back: 'Write number back to Okta',
};

/**
 * What a run records an outcome for: the plan's action kinds, and `set_job_title`, the PATCH apply sends right after
 * a create because Dialpad's create takes no job title (apply's step kinds).
 */
export type StepKindName = ActionKind | 'set_job_title';

/** The step kinds in the order a run carries them out: each create's title follows the create. */
export const STEP_ORDER: readonly StepKindName[] = ['create', 'set_job_title', ...ACTION_ORDER.filter((kind) => kind !== 'create')];

/** Each step kind's heading: the action titles, and the job title set after a create. */
export const STEP_TITLES: Readonly<Record<StepKindName, string>> = {
  ...ACTION_TITLES,
  set_job_title: 'Set job title (after a create)',
};

/**
 * The heading of a recorded kind (a step kind, as runs store it): its STEP_TITLES entry, or the kind itself for a
 * kind this version does not know (a row written by a newer version).
 */
export function stepTitle(kind: string): string {
  return (STEP_TITLES as Readonly<Record<string, string>>)[kind] ?? kind;
}
