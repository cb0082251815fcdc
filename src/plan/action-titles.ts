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
