// `dialsync apply plan.json`: carries out exactly what a plan file holds, for the users neither side has changed
// since it was made. Read like the algorithm: check the tenant, settle, re-read the planned users by id, compare
// fingerprints, plan each unchanged user again, pass that plan through the per-user safety passes as `reconcile
// --out` passed the file's, and compare its actions with the file's (a file edited with care passes the unkeyed
// checksum, not this), apply the actions planned now, record the run.
//
// Example: a file plans a create for ann@ and a title update for bob@. Before the apply someone edits bob@'s title
// in Okta. The re-read finds ann@ as planned and bob@'s Okta profile changed: ann@ is created, bob@ is refused
// ("Okta profile changed"), and the CLI exits 9. Applied again, ann@ now has her Dialpad user (her fingerprint
// changed) but a plan made now has nothing left to do for her: she is reported in step, and nothing is written.
// Had licenseCaps held bob@'s license change at --out time (the file updates only his title), it is held now too:
// his title is updated and his license left as it is; had the seats under the cap freed up since, the caps would
// let the change through now, and bob@ is refused saying so (held-differently.ts).
import { randomUUID } from 'node:crypto';
import { countSteps } from '../apply/action-graph.js';
import { applyPlan, type ApplyResult } from '../apply/apply-plan.js';
import { describeError } from '../errors/describe-error.js';
import { GATE_NAMES, type HeldBack } from '../plan/safety/held-back.js';
import { applySafety } from '../plan/safety/pipeline.js';
import { defaultSafety, type Safety } from '../plan/safety/safety.js';
import type { Action, Plan, PlanInput, Rules, UserPlan, WithheldAction } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import type { SystemicFailure } from '../plan/systemic-failure.js';
import { runApplyContext, type ReconcileDeps } from '../reconcile/reconcile.js';
import { planWithNumberPool } from '../reconcile/plan-with-number-pool.js';
import { ratesOfRun, type RateBudgets } from '../reconcile/rate-budgets.js';
import { readSafetyFacts } from '../reconcile/read-safety-facts.js';
import { readSides } from '../reconcile/read-sides.js';
import { retiringDone, runActionsOf } from '../reconcile/run-record.js';
import { recordedOutcome, runOutcome, runProblem, type ReconcileOutcome } from '../reconcile/run-outcome.js';
import { settleUnfinishedWrites, type SettleReport } from '../reconcile/settle-journal.js';
import { guardTenant, type TenantReport } from '../reconcile/tenant-guard.js';
import { fingerprintUsers } from '../reconcile/user-fingerprint.js';
import { answeringTenantProblem, PlanFileRefusedError, type PlanFile, type PlanFileUser } from './plan-file.js';
import type { HeldAction } from '../store/held-actions.js';
import { heldDifferently, type UserHoldsNow } from './held-differently.js';
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
   * although nothing changed: ACTIONS_DIFFER, a per-user safety pass that decides otherwise now than when the plan
   * was made (held-differently.ts: "the license caps hold back now …"), or a suspend or delete dismissed after the
   * plan was made.
   */
  changes: string[];
}

/**
 * A planned user whose sides changed, but for whom a plan made now has nothing to do (already done, e.g. by this
 * file), or nothing the per-user safety passes let through (a license change the caps still hold stays held).
 */
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
  /**
   * The part of the file's plan that was applied: the users whose fingerprints all matched; `withheld` lists what
   * the policy and the per-user safety passes still hold of those users and of the users in step (as `reconcile
   * --out` listed it).
   */
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
 * link is gone), fingerprints them again and plans them again, through the per-user safety passes (quarantine,
 * license caps, seat check) on facts read now, the run-wide gates let through as for the file (they were decided
 * when it was made: `held`). A user whose every part matches gets the actions planned now when they are the file's
 * (same-actions.ts): what a pass held back then and holds now stays held. It is refused otherwise: with what a
 * pass decides differently now (held-differently.ts), else ACTIONS_DIFFER; or when one of its suspends or deletes
 * was dismissed after the file was made. A changed user is refused, with what changed, unless a plan made now has
 * nothing to do for it (`inStep`): never a second create, never a write for a user already done.
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
    const planRules = { ...rules, policy: file.policy };
    const { input, plan: replanned } = await planWithNumberPool(read, planRules, dialpad);
    const passes = await passAsTheFileWas(deps, input, replanned, planRules);
    const current = new Map(passes.plan.users.map((user) => [userKeyOf(user), user]));
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
        const quarantined = passes.quarantined(user);
        if ((fresh?.actions.length ?? 0) === 0 && quarantined === undefined) inStep.push({ key: user.key, email: user.email, changes });
        else refuse(quarantined === undefined ? changes : [...changes, `quarantine holds it now: ${quarantined}`]);
        return;
      }
      if (fresh === undefined || !sameActions(planned.actions, fresh.actions)) return refuse([heldDifferently(planned.actions, passes.holdsOf(user), passes.safety) ?? ACTIONS_DIFFER]);
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
    const applied = new Set(toApply.map(userKeyOf));
    // What stays held of the users applied, and of those in step but for it (a second apply of a file whose
    // license change a cap holds: the title is done, the license change still held).
    const reported = new Set([...applied, ...inStep.map((user) => user.key)]);
    const withheld = passes.plan.withheld.filter((w) => reported.has(userKeyOf(withheldKeyOf(w))));
    const plan: Plan = { users: toApply, skipped: [], unmanaged: [], warnings: [], withheld, ...(appliedRecords.length > 0 ? { appliedRecords } : {}) };
    const fingerprints = fingerprintUsers(input, rules, applied);
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

/** The plan made now after the per-user passes, and what they decide for one planned user. */
interface PassedNow {
  plan: Plan;
  safety: Safety;
  /** Why quarantine holds the planned user now; undefined when it does not. */
  quarantined: (user: PlanFileUser) => string | undefined;
  /** What the per-user passes decide for the planned user now. */
  holdsOf: (user: PlanFileUser) => UserHoldsNow;
}

/**
 * `planned` (the plan made now for the file's users) through the safety pipeline as `reconcile --out` put the file's
 * plan through it: quarantine, the license caps and the seat check judge it on the facts read now (readSafetyFacts,
 * for these users as a targeted run reads them: the holders of a capped license from the full Dialpad listing when
 * the plan takes one, the free lines of the offices it needs), and the run-wide gates let it through, as they let
 * the file's plan through (what they would have held is the file's `held`, which applying it approves).
 * @throws what readSafetyFacts throws (a store error, DialpadError).
 */
async function passAsTheFileWas(deps: ReconcileDeps, input: PlanInput, planned: Plan, rules: Rules): Promise<PassedNow> {
  const safety = deps.safety ?? defaultSafety();
  const now = (deps.now ?? ((): Date => new Date()))();
  const facts = await readSafetyFacts({ input, plan: planned, rules, safety, store: deps.store, dialpad: deps.dialpad, allowMassChanges: true, now });
  const { plan } = applySafety(planned, facts, safety);
  // The passes append what they hold to the policy's withheld actions. The license caps run before the seat check
  // and do not depend on it: what they hold with the seat check off is theirs, the rest the seat check's.
  const heldByPasses = (passed: Plan): Map<string, string> => firstReasonByUser(passed.withheld.slice(planned.withheld.length));
  const held = heldByPasses(plan);
  let capped: Map<string, string> | null = null;
  const cappedNow = (): Map<string, string> => (capped ??= heldByPasses(applySafety(planned, facts, { ...safety, checkAvailableLicenses: false }).plan));
  const plannedNow = new Map(planned.users.map((user) => [userKeyOf(user), user]));
  const quarantined = (user: PlanFileUser): string | undefined =>
    plan.skipped.find((skip) => skip.code === 'quarantined' && (user.oktaUserId === null ? skip.email === user.email : skip.oktaUserId === user.oktaUserId))?.reason;
  return {
    plan,
    safety,
    quarantined,
    holdsOf: (user) => {
      const reason = held.get(user.key);
      const byCaps = reason === undefined ? undefined : cappedNow().get(user.key);
      const mine = plannedNow.get(user.key);
      const dialpadUser = mine?.dialpadUserId == null ? undefined : input.dialpadUsers.find((d) => d.id === mine.dialpadUserId);
      const quarantine = quarantined(user);
      return {
        planned: mine,
        ...(quarantine === undefined ? {} : { quarantined: quarantine }),
        ...(byCaps !== undefined ? { capped: byCaps } : reason !== undefined ? { seatChecked: reason } : {}),
        ...(dialpadUser === undefined ? {} : { dialpadUser }),
      };
    },
  };
}

/** userKey → the reason of the first of `withheld` for that user. */
function firstReasonByUser(withheld: readonly WithheldAction[]): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const w of withheld) {
    const key = userKeyOf(withheldKeyOf(w));
    if (!reasons.has(key)) reasons.set(key, w.reason);
  }
  return reasons;
}

/** A withheld action's user, as userKeyOf takes it. */
function withheldKeyOf(w: WithheldAction): Pick<UserPlan, 'oktaUserId' | 'dialpadUserId' | 'email'> {
  return { oktaUserId: w.oktaUserId ?? null, dialpadUserId: w.dialpadUserId ?? null, email: w.email };
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
