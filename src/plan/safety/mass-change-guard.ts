// The mass-change guard: a run never suspends or deletes a large part of the company on its own.
//
// The rule, per kind (suspend and delete are counted separately): the kind is held back when the number of
// planned actions of that kind is greater than `count` AND greater than `percent` % of the managed users
// (users dialsync has linked). Defaults: more than 10 and more than 5 %. So with 100 managed users, 11
// suspends are held (11 > 10 and 11 > 5); with 1000 managed users, 40 are not (40 ≤ 50). Held actions leave
// the plan (with the write-back clears that go with them) and are listed in plan.withheld; everything else
// still applies.
import { APPROVE_HELD, countKind, withholdRetiring, type Approval, type RetiringKind, type SafetyPassResult } from './held-back.js';
import type { MassThreshold } from './safety.js';
import type { Plan } from '../types.js';

/** The facts the guard needs: how many users dialsync manages, the thresholds, and whether the run allows all. */
export interface MassChangeOptions {
  /** Users dialsync has linked (the whole store's links, in a targeted run too). */
  managedUsers: number;
  thresholds: { suspend: MassThreshold; delete: MassThreshold };
  /** --allow-mass-changes or safety.allowMassChanges: nothing is held. */
  allow: boolean;
  /** Approved held actions: when the guard holds, exactly these pass (see withholdRetiring). */
  approvals?: readonly Approval[];
}

/** How to let held suspends and deletes through, as the run prints it. */
export const MASS_CHANGE_RELEASE =
  `${APPROVE_HELD}, or run \`dialsync reconcile --apply --allow-mass-changes\` once (re-planned: lets every such change through), or set safety.allowMassChanges: true (or raise safety.massSuspend / safety.massDelete)`;

/** True when `planned` actions are more than threshold.count AND more than threshold.percent % of `managedUsers`. */
export function exceedsThreshold(planned: number, managedUsers: number, threshold: MassThreshold): boolean {
  // planned / managed > percent / 100, in integers-friendly form.
  return planned > threshold.count && planned * 100 > threshold.percent * managedUsers;
}

/**
 * Holds every suspend (or every delete) when that kind exceeds its threshold, with the write-back clears that go with
 * them; `held` says what and why (gate `mass-change`), or is null when nothing was held.
 */
export function guardMassChanges(plan: Plan, options: MassChangeOptions): SafetyPassResult {
  if (options.allow) return { plan, held: null };
  const over: string[] = [];
  const kinds = new Set<RetiringKind>();
  for (const kind of ['suspend', 'delete'] as const) {
    const planned = countKind(plan, kind);
    const threshold = options.thresholds[kind];
    if (!exceedsThreshold(planned, options.managedUsers, threshold)) continue;
    kinds.add(kind);
    over.push(
      `${planned} ${kind}s planned (more than ${threshold.count} and more than ${threshold.percent}% of ${options.managedUsers} managed users)`,
    );
  }
  if (kinds.size === 0) return { plan, held: null };
  const reason = `mass-change guard: ${over.join('; ')}`;
  const result = withholdRetiring(plan, kinds, {
    gate: 'mass-change',
    reasonFor: (action) => `held back by the ${reason}; to let them through, ${MASS_CHANGE_RELEASE}: ${action.reason}`,
    ...(options.approvals ? { approvals: options.approvals } : {}),
  });
  if (!result || result.users === 0) return { plan: result?.plan ?? plan, held: null };
  return {
    plan: result.plan,
    held: { gate: 'mass-change', counts: result.counts, users: result.users, reason, release: MASS_CHANGE_RELEASE },
  };
}
