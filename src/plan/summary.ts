// Counting what a plan would do, for logs, metrics and the mass-change guard.
import type { ActionKind, Plan, SkippedUser } from './types.js';

/** Every action kind, with 0 for those the plan does not contain. */
export function countActions(plan: Plan): Record<ActionKind, number> {
  // A literal, so adding a kind to Action fails to compile until it is counted here.
  const counts: Record<ActionKind, number> = {
    create: 0,
    adopt: 0,
    relink: 0,
    reactivate: 0,
    update: 0,
    move_office: 0,
    assign_number: 0,
    suspend: 0,
    delete: 0,
    write_back: 0,
  };
  for (const user of plan.users) for (const action of user.actions) counts[action.kind] += 1;
  return counts;
}

/** True when the plan has nothing to do (skips, warnings and unmanaged users are only reports). */
export function planIsEmpty(plan: Plan): boolean {
  return plan.users.every((user) => user.actions.length === 0);
}

/**
 * The skipped users the plan leaves unprovisioned: assigned and in scope, but without a Dialpad user because
 * their email is held elsewhere (another Okta user, or several Dialpad users). Each carries a `remedy`.
 */
export function unprovisionedUsers(plan: Pick<Plan, 'skipped'>): SkippedUser[] {
  return plan.skipped.filter((skipped) => skipped.remedy !== undefined);
}
