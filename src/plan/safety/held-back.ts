// What a safety pass held back. The run-wide gates (the source and Dialpad health gates, the mass-change guard)
// describe it as a HeldBack: the CLI prints it and exits 5. The passes that hold single users (quarantine, license
// caps, seat check) list them in the plan itself (skipped or withheld) and report no HeldBack: the run goes on.
import type { Action, ActionKind, Plan, UserPlan } from '../types.js';
import { userKeyOf } from '../user-key.js';
import { withheldUser } from '../withheld-user.js';

/** The action kinds that take a user out of service: what the health gates and the mass-change guard hold back. */
export type RetiringKind = 'suspend' | 'delete';

/** The approval step of the release advice, as an applying run says it: that run recorded its holds for approval. */
export const APPROVE_HELD = 'approve exactly these on the console\'s Held changes page or with `dialsync approve` (the next run applies them)';

/** The approval step as a dry run says it: a dry run records no hold, so `dialsync held` has nothing to approve yet. */
export const APPROVE_HELD_DRY_RUN =
  'an applying run (`dialsync reconcile --apply` or the daemon) records them as held for approval, then approve exactly these with `dialsync approve` or on the console\'s Held changes page (the run after that applies them)';

/**
 * A hold's release advice (or a withheld action's reason that quotes it) as a dry run prints it: APPROVE_HELD
 * replaced by APPROVE_HELD_DRY_RUN; any other text unchanged.
 */
export function releaseForDryRun(text: string): string {
  return text.replaceAll(APPROVE_HELD, APPROVE_HELD_DRY_RUN);
}

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

const isRetiring = (action: Action): action is RetiringAction => action.kind === 'suspend' || action.kind === 'delete';
/** A write-back that clears the number: it belongs to the suspend or delete it follows. */
const isClear = (action: Action): boolean => action.kind === 'write_back' && action.to === null && !action.pending;

/** A suspend or a delete. */
type RetiringAction = Extract<Action, { kind: RetiringKind }>;

/**
 * An admin's approval of one held action that counts now (approved, not expired): a gate that would hold this user's
 * suspend (or delete) lets exactly it through. `approvedBy` is the audit actor who approved it.
 */
export interface Approval {
  userKey: string;
  kind: RetiringKind;
  approvedBy: string;
}

/** How a run-wide gate holds: its name, each held action's reason, and the approvals that let actions through. */
export interface RetiringHold {
  gate: HeldBack['gate'];
  reasonFor: (action: Action) => string;
  /** Approved (user, kind) pairs: these pass, marked with who approved them; everything else is held. */
  approvals?: readonly Approval[];
}

/** The gates in words, as a run's output and an approved action's reason name them. */
export const GATE_NAMES: Readonly<Record<HeldBack['gate'], string>> = {
  'mass-change': 'mass-change guard',
  'source-health': 'source health gate',
  'dialpad-health': 'Dialpad health gate',
};

/**
 * Removes the given kinds of retiring actions (and the write-back clears that go with them) from the plan,
 * listing each in plan.withheld with `hold.reasonFor(action)` and `hold.gate`. An approved action (hold.approvals,
 * matched by userKeyOf and kind; or one an earlier gate let through) stays in the plan, marked `approvedBy` with
 * a reason that says so, and its clear stays with it. Returns null when the plan is unchanged; `users` counts the
 * users with a held action (0 when approvals let every one through).
 *
 * Example: 12 suspends of 100 managed users; 11 are approved. The 11 stay, each reason starting "approved by
 * cli:ana@host past the mass-change guard"; the 12th and its clear are withheld; users is 1.
 */
export function withholdRetiring(
  plan: Plan,
  kinds: ReadonlySet<RetiringKind>,
  hold: RetiringHold,
): { plan: Plan; counts: Partial<Record<ActionKind, number>>; users: number } | null {
  const approvers = new Map((hold.approvals ?? []).map((a) => [`${a.kind} ${a.userKey}`, a.approvedBy]));
  const users: UserPlan[] = [];
  const withheld = [...plan.withheld];
  const counts: Partial<Record<ActionKind, number>> = {};
  let affected = 0;
  let approved = 0;
  for (const user of plan.users) {
    const retiring = user.actions.filter((a): a is RetiringAction => isRetiring(a) && kinds.has(a.kind));
    if (retiring.length === 0) {
      users.push(user);
      continue;
    }
    const key = userKeyOf(user);
    const approverOf = (action: RetiringAction): string | undefined => action.approvedBy ?? approvers.get(`${action.kind} ${key}`);
    const held = new Set(retiring.filter((action) => approverOf(action) === undefined));
    if (held.size > 0) affected += 1;
    const kept: Action[] = [];
    for (const action of user.actions) {
      if (held.has(action as RetiringAction) || (held.size > 0 && isClear(action))) {
        withheld.push({ ...withheldUser(user), kind: action.kind, reason: hold.reasonFor(action), gate: hold.gate });
        counts[action.kind] = (counts[action.kind] ?? 0) + 1;
      } else if (isRetiring(action) && kinds.has(action.kind) && action.approvedBy === undefined) {
        const approvedBy = approverOf(action) ?? '';
        kept.push({ ...action, approvedBy, reason: `approved by ${approvedBy} past the ${GATE_NAMES[hold.gate]}: ${action.reason}` });
        approved += 1;
      } else {
        kept.push(action);
      }
    }
    if (kept.length > 0) users.push({ ...user, actions: kept });
  }
  return affected === 0 && approved === 0 ? null : { plan: { ...plan, users, withheld }, counts, users: affected };
}

/** Planned actions of one kind, over all users. */
export function countKind(plan: Plan, kind: ActionKind): number {
  let n = 0;
  for (const user of plan.users) for (const action of user.actions) if (action.kind === kind) n += 1;
  return n;
}
