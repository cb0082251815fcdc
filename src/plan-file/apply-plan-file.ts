// `dialsync apply plan.json`: carries out exactly what a plan file holds, for the users neither side has changed
// since it was made. Read like the algorithm: check the tenant, settle, re-read the planned users by id, compare
// fingerprints, plan each unchanged user again and compare its actions with the file's (a file edited with care
// passes the unkeyed checksum, not this), apply the actions planned now, record the run.
//
// Example: a file plans a create for ann@ and a title update for bob@. Before the apply someone edits bob@'s title
// in Okta. The re-read finds ann@ as planned and bob@'s Okta profile changed: ann@ is created, bob@ is refused
// ("Okta profile changed"), and the CLI exits 9. Applied again, ann@ now has her Dialpad user (her fingerprint
// changed) but a plan made now has nothing left to do for her: she is reported in step, and nothing is written.
import { randomUUID } from 'node:crypto';
import { countSteps } from '../apply/action-graph.js';
import { applyPlan, type ApplyResult } from '../apply/apply-plan.js';
import { describeError } from '../errors/describe-error.js';
import { GATE_NAMES, type HeldBack } from '../plan/safety/held-back.js';
import type { Action, Plan, PlanInput, UserPlan } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import type { SystemicFailure } from '../plan/systemic-failure.js';
import { runApplyContext, type ReconcileDeps } from '../reconcile/reconcile.js';
import { planWithNumberPool } from '../reconcile/plan-with-number-pool.js';
import { ratesOfRun, type RateBudgets } from '../reconcile/rate-budgets.js';
import { readSides } from '../reconcile/read-sides.js';
import { retiringDone, runActionsOf } from '../reconcile/run-record.js';
import { recordedOutcome, runOutcome, runProblem, type ReconcileOutcome } from '../reconcile/run-outcome.js';
import { settleUnfinishedWrites, type SettleReport } from '../reconcile/settle-journal.js';
import { guardTenant, type TenantReport } from '../reconcile/tenant-guard.js';
import { fingerprintUsers } from '../reconcile/user-fingerprint.js';
import { answeringTenantProblem, PlanFileRefusedError, type PlanFile, type PlanFileUser } from './plan-file.js';
import type { HeldAction } from '../store/held-actions.js';
import { sameActions } from './same-actions.js';
import { fingerprintChanges, UserFingerprints } from './user-fingerprint-parts.js';

/** Why a user whose sides are as planned is refused all the same: the file's actions are not what dialsync plans. */
export const ACTIONS_DIFFER = "the file's actions differ from what dialsync plans for this user now: was the file edited?";

/** A planned user the apply left alone because a side changed since the plan was made. */
export interface RefusedUser {
  key: string;
  email: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  /**
   * What changed, in words ("Okta profile changed", "Dialpad user changed: state"), or why the user is refused
   * although nothing changed: ACTIONS_DIFFER, or a suspend or delete dismissed after the plan was made.
   */
  changes: string[];
}

/** A planned user whose sides changed, but for whom a plan made now has nothing to do (already done, e.g. by this file). */
export interface InStepUser {
  key: string;
  email: string;
  changes: string[];
}

/** What `dialsync apply` did with a plan file. Printed by `apply --json`. */
export interface PlanFileApplyReport {
  runId: string;
  /** The dry run that made the file. */
  plannedInRun: string;
  outcome: ReconcileOutcome;
  /** The part of the file's plan that was applied: the users whose fingerprints all matched. */
  plan: Plan;
  result: ApplyResult;
  refused: RefusedUser[];
  inStep: InStepUser[];
  /** What the run-wide gates would have held had the file been a `reconcile --apply`: applying the file approves it. */
  approves: HeldBack[];
  settled: SettleReport;
  tenant: TenantReport;
  systemic: SystemicFailure[];
  /** Each API's rate budget when the apply ended, with the 429s met during it (as ReconcileReport.rates); absent without deps.rates. */
  rates?: RateBudgets;
}

/** How the apply runs: shutdown and progress, as for reconcile, and who applies the file. */
export interface PlanFileApplyOptions {
  /**
   * The audit actor applying the file (`cli:<user>@<host>`): the suspends and deletes the file's `held` gates would
   * have held are recorded as approved by it. Default `plan-file`.
   */
  actor?: string;
  signal?: AbortSignal | undefined;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Applies a plan file already checked by checkPlanFile (plan-file.ts). Recorded as a run of kind `plan_file`. Checks
 * the answering tenant against the file's, settles the journal, re-reads exactly the planned users by id (their
 * Okta assignments and the Dialpad users they can touch; a Dialpad-only user through its link, or by id when the
 * link is gone), fingerprints them again and plans them again. A user whose every part matches gets the actions
 * planned now when they are the file's (same-actions.ts), and is refused otherwise (ACTIONS_DIFFER), or when one of
 * its suspends or deletes was dismissed after the file was made. A changed user is refused, with what changed,
 * unless a plan made now has nothing to do for it (`inStep`): never a second create, never a write for a user
 * already done.
 * @returns the report; `refused` not empty: the CLI exits 9.
 * @throws PlanFileRefusedError (`other_tenant`) before anything is settled, read or written; TenantMismatchError,
 * OktaError, DialpadError or a store error as reconcile does (the run is recorded failed).
 */
export async function applyPlanFile(deps: ReconcileDeps, file: PlanFile, options: PlanFileApplyOptions = {}): Promise<PlanFileApplyReport> {
  const { okta, dialpad, store, rules } = deps;
  const runId = (deps.newRunId ?? randomUUID)();
  const ratesBefore = deps.rates?.();
  await store.runs.start(runId, 'plan_file', true);
  const log = deps.logger.child({ runId, planFile: file.runId });
  try {
    // Compared with the file before a first apply pins the store: another company must not be pinned on the way out.
    const guard = { store, dialpad, okta, configured: deps.tenant, runId, logger: log };
    const seen = await guardTenant({ ...guard, apply: false });
    const otherTenant = answeringTenantProblem(file.tenant, seen.tenant);
    if (otherTenant !== null) throw new PlanFileRefusedError('other_tenant', otherTenant);
    const tenant = seen.status === 'would_pin' ? await guardTenant({ ...guard, apply: true }) : seen;
    const settled = await settleUnfinishedWrites(store, dialpad, log);
    const read = await readPlannedUsers(deps, file);
    const now = new UserFingerprints(read, rules);
    // What dialsync plans now for these users, under the policy the file was made with: what is applied, and how a
    // changed user with work left is told from one already in step. The free numbers are listed only when needed.
    const { input, plan: replanned } = await planWithNumberPool(read, { ...rules, policy: file.policy }, dialpad);
    const current = new Map(replanned.users.map((user) => [userKeyOf(user), user]));
    const dismissed = await dismissedSince(deps, file.createdAt);
    const actor = options.actor ?? 'plan-file';
    const toApply: UserPlan[] = [];
    const refused: RefusedUser[] = [];
    const inStep: InStepUser[] = [];
    file.users.forEach((user, index) => {
      const planned = file.plan[index];
      if (planned === undefined) return;
      const refuse = (changes: string[]): void => {
        refused.push({ key: user.key, email: user.email, oktaUserId: user.oktaUserId, dialpadUserId: user.dialpadUserId, changes });
      };
      const changes = fingerprintChanges(user.fingerprint, now.of(user));
      const fresh = current.get(user.key);
      if (changes.length > 0) {
        if ((fresh?.actions.length ?? 0) === 0) inStep.push({ key: user.key, email: user.email, changes });
        else refuse(changes);
        return;
      }
      if (fresh === undefined || !sameActions(planned.actions, fresh.actions)) return refuse([ACTIONS_DIFFER]);
      const dismissal = planned.actions.map((action) => dismissed.get(`${action.kind} ${user.key}`)).find((held) => held !== undefined);
      if (dismissal !== undefined) {
        return refuse([`its ${dismissal.kind} was dismissed by ${dismissal.decidedBy ?? 'unknown'} at ${dismissal.decidedAt ?? '?'}, after the plan was made; a dismissal wins over the file`]);
      }
      toApply.push(approvedByApplying(fresh, file.held, actor));
    });
    for (const user of refused) log.warn({ user: user.email, changes: user.changes }, `refused: ${user.changes.join('; ')}`);
    // The drift baselines and adoptions of the users applied: as at --out time, since their fingerprints match.
    const applying = new Set(toApply.flatMap((user) => (user.dialpadUserId === null ? [] : [user.dialpadUserId])));
    const appliedRecords = (replanned.appliedRecords ?? []).filter((record) => applying.has(record.dialpadUserId));
    const plan: Plan = { users: toApply, skipped: [], unmanaged: [], warnings: [], withheld: [], ...(appliedRecords.length > 0 ? { appliedRecords } : {}) };
    const fingerprints = fingerprintUsers(input, rules, new Set(toApply.map(userKeyOf)));
    const result = await applyPlan(plan, runApplyContext(deps, { runId, logger: log, options, fingerprints, targeted: true }));
    const outcome = runOutcome({ actions: result.actions, failedUsers: result.failedUsers.length, systemic: result.systemic, quarantineStall: 0, unprovisioned: 0 });
    for (const failure of result.systemic) log.error({ cause: failure.code, users: failure.users, hint: failure.hint }, `systemic failure: ${failure.summary}; to fix: ${failure.hint}`);
    await store.runActions.record(runId, runActionsOf(plan, result));
    // The suspends and deletes the file carried out are held no longer (an approval of them is used).
    const done = retiringDone(result);
    if (outcome !== 'lease_lost' && done.length > 0) await store.held.settle({ runId, held: [], scope: done.map((d) => d.userKey), done });
    const succeededActions = result.actions.filter((action) => action.outcome === 'done').length;
    const failedActions = result.actions.filter((action) => action.outcome === 'failed').length;
    await store.runs.finish(
      runId,
      recordedOutcome(outcome, true),
      { assignments: input.assignments.length, plannedActions: countSteps(plan), skippedUsers: refused.length, succeededActions, failedActions, unmanagedUsers: 0, heldActions: 0 },
      runProblem(outcome, result.systemic, 0) ?? (refused.length > 0 ? `${refused.length} planned user(s) refused: changed since the plan was made` : undefined),
    );
    log.info({ applied: toApply.length, refused: refused.length, inStep: inStep.length, succeededActions, failedActions }, 'plan file applied');
    const ratesAfter = deps.rates?.();
    const rates = ratesBefore === undefined || ratesAfter === undefined ? {} : { rates: ratesOfRun(ratesBefore, ratesAfter) };
    return { runId, plannedInRun: file.runId, outcome, plan, result, refused, inStep, approves: file.held, settled, tenant, systemic: result.systemic, ...rates };
  } catch (error) {
    if (options.signal?.aborted) await store.runs.finish(runId, 'partial', {}, 'interrupted by shutdown');
    else await store.runs.finish(runId, 'failed', {}, describeError(error));
    throw error;
  }
}

/**
 * The held suspends and deletes dismissed (`dialsync dismiss`) after `createdAt`, by `<kind> <userKey>`: an admin's
 * decision made after the plan wins over the file's approval.
 */
async function dismissedSince(deps: ReconcileDeps, createdAt: string): Promise<Map<string, HeldAction>> {
  const after = Date.parse(createdAt);
  const rows = (await deps.store.held.list()).filter((row) => row.decision === 'dismissed' && row.decidedAt !== null && Date.parse(row.decidedAt) > after);
  return new Map(rows.map((row) => [`${row.kind} ${row.userKey}`, row]));
}

/**
 * A planned user with its suspends and deletes marked approved by `actor` when a gate of the file's `held` would
 * have held that kind (a run-wide gate holds every one of its kind), as an approval in `dialsync approve` marks them.
 */
function approvedByApplying(user: UserPlan, held: readonly HeldBack[], actor: string): UserPlan {
  const gateOf = (kind: 'suspend' | 'delete'): HeldBack['gate'] | undefined => held.find((h) => (h.counts[kind] ?? 0) > 0)?.gate;
  let changed = false;
  const actions = user.actions.map((action): Action => {
    if ((action.kind !== 'suspend' && action.kind !== 'delete') || action.approvedBy !== undefined) return action;
    const gate = gateOf(action.kind);
    if (gate === undefined) return action;
    changed = true;
    return { ...action, approvedBy: actor, reason: `approved by ${actor} applying the plan file, past the ${GATE_NAMES[gate]}: ${action.reason}` };
  });
  return changed ? { ...user, actions } : user;
}

/**
 * The planner's input for the file's users only, read by id (never a listing): the Okta users of the plan (a
 * Dialpad-only user's through its link) through readSides' targeted reads, and the Dialpad users of Dialpad-only
 * users whose link is gone by id, so their fingerprints can be compared.
 */
async function readPlannedUsers(deps: ReconcileDeps, file: PlanFile): Promise<PlanInput> {
  const { okta, dialpad, store, rules } = deps;
  const links = await store.links.all();
  const linkByDialpad = new Map(links.map((link) => [link.dialpadUserId, link]));
  const oktaUserIds = new Set<string>();
  const unlinked: string[] = [];
  for (const user of file.users) {
    const oktaUserId = user.oktaUserId ?? oktaUserIdOfLink(user, linkByDialpad);
    if (oktaUserId !== null) oktaUserIds.add(oktaUserId);
    else if (user.dialpadUserId !== null) unlinked.push(user.dialpadUserId);
  }
  const input = await readSides(okta, dialpad, store, rules, {
    onlyOktaUserIds: [...oktaUserIds],
    oktaConcurrency: deps.oktaConcurrency,
    dialpadConcurrency: deps.concurrency,
    availableNumbers: 'later',
  });
  const known = new Set(input.dialpadUsers.map((user) => user.id));
  for (const id of unlinked) {
    if (known.has(id)) continue;
    const listing = await dialpad.getUserListing(id);
    input.dialpadUsers.push(...listing.users);
  }
  return input;
}

function oktaUserIdOfLink(user: PlanFileUser, linkByDialpad: ReadonlyMap<string, { oktaUserId: string }>): string | null {
  return user.dialpadUserId === null ? null : (linkByDialpad.get(user.dialpadUserId)?.oktaUserId ?? null);
}
