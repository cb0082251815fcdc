// What a safety pass held back. The run-wide gates (the source and Dialpad health gates, the mass-change guard)
// describe it as a HeldBack: the CLI prints it and exits 5. The passes that hold single users (quarantine, license
// caps, seat check) list them in the plan itself (skipped or withheld) and report no HeldBack: the run goes on.
import type { Action, ActionKind, Plan, UserPlan } from '../types.js';

/** The action kinds that take a user out of service: what the health gates and the mass-change guard hold back. */
export type RetiringKind = 'suspend' | 'delete';

/** A run-wide hold by one gate, with the sentence the run prints about it. */
export interface HeldBack {
  gate: 'mass-change' | 'source-health' | 'dialpad-health';
  /** Actions held back, per kind (a write-back clear that goes with a suspend is held with it). */
  counts: Partial<Record<ActionKind, number>>;
  /** Users whose suspend or delete was held back. */
  users: number;
  /** Why, in one sentence. */
  reason: string;
  /** How to let them through. */
  release: string;
}

/**
 * The one shape of every safety pass, `(plan, facts) → { plan, held }`: the plan with what the pass held back taken
 * out (and listed in plan.skipped or plan.withheld), and the run-wide hold to report, or null. The per-user passes
 * (quarantine, license caps, seat check) always return null: their holds are the plan's own entries.
 */
export interface SafetyPassResult {
  plan: Plan;
  held: HeldBack | null;
}

const isRetiring = (action: Action): boolean => action.kind === 'suspend' || action.kind === 'delete';
/** A write-back that clears the number: it belongs to the suspend or delete it follows. */
const isClear = (action: Action): boolean => action.kind === 'write_back' && action.to === null && !action.pending;

/**
 * Removes the given kinds of retiring actions (and the write-back clears that go with them) from the plan,
 * listing each in plan.withheld with `reason`. Returns null when nothing was removed.
 */
export function withholdRetiring(
  plan: Plan,
  kinds: ReadonlySet<RetiringKind>,
  reasonFor: (action: Action) => string,
): { plan: Plan; counts: Partial<Record<ActionKind, number>>; users: number } | null {
  const users: UserPlan[] = [];
  const withheld = [...plan.withheld];
  const counts: Partial<Record<ActionKind, number>> = {};
  let affected = 0;
  for (const user of plan.users) {
    const held = user.actions.some((a) => isRetiring(a) && kinds.has(a.kind as RetiringKind));
    if (!held) {
      users.push(user);
      continue;
    }
    affected += 1;
    const kept: Action[] = [];
    for (const action of user.actions) {
      if ((isRetiring(action) && kinds.has(action.kind as RetiringKind)) || isClear(action)) {
        withheld.push({ email: user.email, kind: action.kind, reason: reasonFor(action) });
        counts[action.kind] = (counts[action.kind] ?? 0) + 1;
      } else {
        kept.push(action);
      }
    }
    if (kept.length > 0) users.push({ ...user, actions: kept });
  }
  return affected === 0 ? null : { plan: { ...plan, users, withheld }, counts, users: affected };
}

/** Planned actions of one kind, over all users. */
export function countKind(plan: Plan, kind: ActionKind): number {
  let n = 0;
  for (const user of plan.users) for (const action of user.actions) if (action.kind === kind) n += 1;
  return n;
}
