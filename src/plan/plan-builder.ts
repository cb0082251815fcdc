// The plan as the planner builds it, and the stable order its lists come out in, whatever order Okta or Dialpad
// listed things in.
import { compareText } from '../collections/compare-text.js';
import { compareDialpadIds } from './dialpad-id.js';
import type { AppliedRecord, DriftFinding, Plan, PlanWarning, SkippedUser, UnmanagedUser, UserPlan } from './types.js';

/** Case-insensitive order of two emails, a missing one first. */
export function compareEmails(a: string | null, b: string | null): number {
  return compareText((a ?? '').toLowerCase(), (b ?? '').toLowerCase());
}

/** Collects a plan's users, skipped users and warnings as the planner finds them. */
export class PlanBuilder {
  readonly users: UserPlan[] = [];
  readonly skipped: SkippedUser[] = [];
  readonly warnings: PlanWarning[] = [];
  /** Dialpad users whose link passes to a re-hire in this plan: their previous owner's suspend or delete is dropped. */
  readonly relinked = new Set<string>();
  /** Fields whose Dialpad value differs from Okta's, with their decisions (docs: README, Drift). */
  readonly drift: DriftFinding[] = [];
  /** Baselines and adoptions an applying run records. */
  readonly appliedRecords: AppliedRecord[] = [];

  /** Adds one Dialpad user's drift findings and the applied values to record for it. */
  addDrift(diff: { drift: readonly DriftFinding[]; records: readonly AppliedRecord[] }): void {
    this.drift.push(...diff.drift);
    for (const record of diff.records) this.appliedRecords.push(record);
  }

  /** Adds a user's plan, when it has any action. */
  addUser(plan: UserPlan): void {
    if (plan.actions.length > 0) this.users.push(plan);
  }

  /** Adds one warning per message, about this user. */
  warn(oktaUserId: string | null, email: string | null, messages: readonly string[]): void {
    for (const message of messages) this.warnings.push({ oktaUserId, email, message });
  }

  /** The plan, every list in a stable order (by email, then id), with the given unmanaged users and nothing withheld. */
  toPlan(unmanaged: UnmanagedUser[]): Plan {
    return {
      users: [...this.users].sort(
        (a, b) =>
          compareEmails(a.email, b.email) ||
          compareText(a.oktaUserId ?? '', b.oktaUserId ?? '') ||
          compareDialpadIds(a.dialpadUserId ?? '', b.dialpadUserId ?? ''),
      ),
      skipped: [...this.skipped].sort(
        (a, b) => compareEmails(a.email, b.email) || compareText(a.oktaUserId ?? '', b.oktaUserId ?? '') || compareText(a.code, b.code),
      ),
      unmanaged,
      // Stable sort: one user's warnings keep the order they were found in.
      warnings: [...this.warnings].sort(
        (a, b) => compareEmails(a.email, b.email) || compareText(a.oktaUserId ?? '', b.oktaUserId ?? ''),
      ),
      withheld: [],
      // Stable sort: one user's fields keep the order the drift rule lists them in.
      ...(this.drift.length > 0 ? { drift: [...this.drift].sort((a, b) => compareEmails(a.email, b.email) || compareText(a.oktaUserId, b.oktaUserId)) } : {}),
      ...(this.appliedRecords.length > 0 ? { appliedRecords: this.appliedRecords } : {}),
    };
  }
}
