// One reconciliation, read like the algorithm: settle, read both sides, plan, apply, record.
import { randomUUID } from 'node:crypto';
import { countSteps } from '../apply/action-graph.js';
import type { ApplyContext } from '../apply/apply-context.js';
import { applyPlan, type ApplyResult } from '../apply/apply-plan.js';
import { describeError } from '../errors/describe-error.js';
import type { DialpadGateway } from '../dialpad/types.js';
import type { Logger } from '../log/logger.js';
import type { OktaGateway } from '../okta/types.js';
import type { HeldBack } from '../plan/safety/held-back.js';
import { listingGapWarnings } from '../plan/safety/listing-gaps.js';
import { applySafety, healthyListedAssignments } from '../plan/safety/pipeline.js';
import { quarantineStall } from '../plan/safety/quarantine.js';
import { defaultSafety, type Safety } from '../plan/safety/safety.js';
import type { SystemicFailure } from '../plan/systemic-failure.js';
import type { TenantIdentity } from '../plan/tenant-check.js';
import { unprovisionedUsers } from '../plan/summary.js';
import type { Plan, PlanInput, Rules } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import type { HeldActionInput } from '../store/held-actions.js';
import type { RunCounts, RunKind } from '../store/runs.js';
import type { Store } from '../store/store.js';
import { planWithNumberPool } from './plan-with-number-pool.js';
import { ratesOfRun, type RateBudgets } from './rate-budgets.js';
import { readSides } from './read-sides.js';
import { watchHeap, type HeapWatch } from '../memory/compact-heap.js';
import { readSafetyFacts } from './read-safety-facts.js';
import { heldActionsOf, retiringDone, runActionsOf } from './run-record.js';
import { recordedOutcome, runOutcome, runProblem, type ReconcileOutcome } from './run-outcome.js';
import { settleUnfinishedWrites, type SettleReport } from './settle-journal.js';
import { guardTenant, type ConfiguredTenant, type TenantReport } from './tenant-guard.js';

/** Withheld users named in the run's log line (the plan lists them all). */
const WITHHELD_LOGGED = 20;

/** What a run works with; built from the config by buildReconcileDeps (wiring/build.ts). */
export interface ReconcileDeps {
  okta: OktaGateway;
  dialpad: DialpadGateway;
  store: Store;
  /** The mapping, lifecycle, write-back and policy rules the planner applies (docs/rules.md). */
  rules: Rules;
  logger: Logger;
  /** Dialpad users worked on at once, when applying and in the per-user reads of a targeted run (a count). */
  concurrency: number;
  /** Per-user Okta reads in flight at once, and write-backs sent at once from their own queue (a count). */
  oktaConcurrency: number;
  /** The run's id; default a random UUID (tests pass a fixed one). */
  newRunId?: () => string;
  /** Mass-change guard, source health gate, quarantine, license caps, seat check; defaults when left out. */
  safety?: Safety;
  /** The configured Okta org and app, checked with the Dialpad company against the store's tenant pin. */
  tenant: ConfiguredTenant;
  /** 429 answers of each API so far (the gateways' tally, wiring/build.ts): the run records how many came during it. */
  throttled?: () => ThrottleTally;
  /** Each API's adaptive rate budget now (the gateways' limiters, wiring/build.ts): the report gives the run's. */
  rates?: () => RateBudgets;
  /** The clock approvals are judged by (an approval counts until its expiry); default the system clock. */
  now?: () => Date;
}

/** 429 (Too Many Requests) answers counted per API, retried requests included. */
export interface ThrottleTally {
  dialpad: number;
  okta: number;
}

/** What one run does: a dry run or an apply, for everyone or for some users. */
export interface ReconcileOptions {
  /** Carry out the plan; false: a dry run that changes nothing in Okta or Dialpad (the run is still recorded). */
  apply: boolean;
  /** Limit the run to one user, by Okta login or email (`reconcile --user`). */
  onlyEmail?: string | undefined;
  /** Limit the run to these Okta users (incremental cycles and event hooks). */
  onlyOktaUserIds?: string[] | undefined;
  /** Recorded with the run; default `reconcile`. */
  kind?: RunKind;
  /** Told as the run enters each phase (`settling` only when applying), for a progress line. */
  onPhase?: (phase: 'settling' | 'reading' | 'planning' | 'applying') => void;
  /** Told as users are applied: `done` of `total` planned users. */
  onProgress?: (done: number, total: number) => void;
  /** Shutdown: stops starting new actions (see ApplyContext.signal). */
  signal?: AbortSignal | undefined;
  /** --allow-mass-changes: this run lets the mass-change guard and the source health gate through. */
  allowMassChanges?: boolean;
  /**
   * `reconcile --out` (a dry run): the plan is made as --allow-mass-changes makes it (every absence read), and the
   * report's `held` says what the run-wide gates would have held: applying the plan file approves it.
   */
  gatesDecidedNow?: boolean;
  /** A dry run tells it the planner's input and the plan after the safety passes, before the run is recorded. */
  onPlanned?: (planned: { runId: string; tenant: TenantIdentity; input: PlanInput; plan: Plan; held: HeldBack[] }) => Promise<void>;
}

/** What a run did: the plan, what was held back, each action's result, and how it ended (`outcome`). Printed by `reconcile --json`. */
export interface ReconcileReport {
  runId: string;
  /** Whether the plan was carried out (false: a dry run). */
  apply: boolean;
  /** How the run ended, decided once (run-outcome.ts): the CLI's exit code and the daemon's metrics read it. */
  outcome: ReconcileOutcome;
  /** The plan after the safety passes: what was applied, or would be. */
  plan: Plan;
  /** Present when the plan was applied. */
  result: ApplyResult | null;
  /** The writes a crashed run left pending, settled before reading; null for a dry run (it settles nothing). */
  settled: SettleReport | null;
  /** What was read (counts of users and offices), for the plan's heading. */
  counts: { assignments: number; dialpadUsers: number; offices: number };
  /** Office id → name, for printing the plan. */
  officeNames: Record<string, string>;
  /** What the source health gate and the mass-change guard held back; empty when nothing (the CLI exits 5 otherwise). */
  held: HeldBack[];
  /** The tenant this run talked to, and whether it matched the pin or was pinned now. */
  tenant: TenantReport;
  /** Causes the applied run's users shared, each once (the CLI exits 6 when not empty). */
  systemic: SystemicFailure[];
  /** Users the quarantine held when it held every user the plan would act on, else 0 (the CLI exits 1). */
  quarantineStall: number;
  /** Each API's rate budget when the run ended, with the 429s met during it; absent without deps.rates. */
  rates?: RateBudgets;
}

/**
 * One run: checks the tenant pin, settles the writes a crashed run left pending (apply only), reads both sides
 * (readSides), plans, passes the plan through the safety passes (docs/rules.md#safety), applies it (apply only)
 * and records the run in the store from start to finish: its counts (429 answers included), each action with its
 * outcome, and (apply only) the suspends and deletes its gates hold, with the approvals it used or found expired.
 * A user's failure is in the report, not thrown.
 * @returns the report; `outcome` says how it ended (the CLI's exit code: exitCodeOfRun in cli/exit-codes.ts).
 * @throws TenantMismatchError (`tenant_mismatch`) before anything is read or written; UserNotFoundError
 * (`user_not_found`) for an unknown `onlyEmail`; OktaError, DialpadError or a store error when the run fails as a
 * whole. The run is then recorded `failed` (`partial` when `signal` had aborted it).
 */
export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions): Promise<ReconcileReport> {
  const { okta, dialpad, store, rules, logger } = deps;
  const runId = (deps.newRunId ?? randomUUID)();
  const now = deps.now ?? ((): Date => new Date());
  const throttledBefore = deps.throttled?.();
  const ratesBefore = deps.rates?.();
  const rates = (): { rates?: RateBudgets } => {
    const after = deps.rates?.();
    return after === undefined || ratesBefore === undefined ? {} : { rates: ratesOfRun(ratesBefore, after) };
  };
  // The 429 answers that came during this run: the tally counts since the gateways were built.
  const throttled = (): Partial<Pick<RunCounts, 'dialpadThrottled' | 'oktaThrottled'>> => {
    const after = deps.throttled?.();
    if (after === undefined || throttledBefore === undefined) return {};
    return { dialpadThrottled: after.dialpad - throttledBefore.dialpad, oktaThrottled: after.okta - throttledBefore.okta };
  };
  await store.runs.start(runId, options.kind ?? 'reconcile', options.apply);
  const log = logger.child({ runId });
  let heap: HeapWatch | null = null;
  try {
    // Before anything is settled, read or written: another company or app than the pinned one stops the run here.
    const tenant = await guardTenant({ store, dialpad, okta, configured: deps.tenant, apply: options.apply, runId, logger: log });
    let settled: SettleReport | null = null;
    if (options.apply) {
      options.onPhase?.('settling');
      settled = await settleUnfinishedWrites(store, dialpad, log);
    }
    options.onPhase?.('reading');
    const read = await readSides(okta, dialpad, store, rules, {
      onlyEmail: options.onlyEmail,
      onlyOktaUserIds: options.onlyOktaUserIds,
      oktaConcurrency: deps.oktaConcurrency,
      availableNumbers: 'later',
      dialpadConcurrency: deps.concurrency,
      // A person letting removals through has them confirmed too, however many.
      readEveryAbsence: (options.allowMassChanges ?? false) || (options.gatesDecidedNow ?? false),
    });
    options.onPhase?.('planning');
    // Free numbers are listed only when the plan hands one out.
    const { input, plan: calculated } = await planWithNumberPool(read, rules, dialpad);
    const officeNames = Object.fromEntries(input.offices.map((office) => [office.id, office.name]));
    // source → plan (with policy) → quarantine, caps, seats, health gates, mass-change guard → apply
    const safety = deps.safety ?? defaultSafety();
    // An applying run marks the approvals that expired (audited); a dry run only leaves them out.
    if (options.apply) await expireApprovals(store, now(), log);
    const facts = await readSafetyFacts({ input, plan: calculated, rules, safety, store, dialpad, allowMassChanges: options.allowMassChanges ?? false, now: now() });
    // A plan file holds the plan past the gates, and says what they would have held.
    const gated = applySafety(calculated, facts, safety);
    const { held } = gated;
    const { plan } = options.gatesDecidedNow ? applySafety(calculated, { ...facts, allowMassChanges: true }, safety) : gated;
    const listedAssignments = healthyListedAssignments(facts, safety) ?? undefined;
    for (const h of held) log.warn({ gate: h.gate, held: h.counts }, `${h.reason}; to let them through, ${h.release}`);
    // License caps and the seat check hold single users without a gate: said here, or a daemon's hold goes unseen.
    const withheld = [...new Map(plan.withheld.map((w) => [w.email, w])).values()];
    if (withheld.length > 0) {
      const shown = withheld.slice(0, WITHHELD_LOGGED).map((w) => ({ user: w.email, action: w.kind, reason: w.reason }));
      log.warn({ withheld: withheld.length, users: shown }, `${withheld.length} user(s) held back (license caps, the seat check or a gate): see the plan's withheld list`);
    }
    // Counted as apply reports them (a create's title PATCH is its own step), so done + failed + not run add up.
    const plannedActions = countSteps(plan);
    log.info({ assignments: input.assignments.length, dialpadUsers: input.dialpadUsers.length, plannedActions, skipped: plan.skipped.length }, 'plan calculated');
    // Assigned users an email conflict leaves without a Dialpad user: the daemon has no exit code to say so.
    const unprovisioned = unprovisionedUsers(plan);
    if (unprovisioned.length > 0) {
      log.warn({ unprovisioned: unprovisioned.map((s) => ({ user: s.email, code: s.code, remedy: s.remedy })) }, `${unprovisioned.length} assigned user(s) left without a Dialpad user`);
    }
    // Skipped users (bad data, conflicts, ...) are kept with the run, before applying: a run that dies mid-apply keeps them too.
    await store.runs.recordSkipped(runId, plan.skipped);
    const listingWarnings = listingGapWarnings(input.listingGaps);
    for (const w of listingWarnings) log.warn({ oktaUserId: w.oktaUserId, email: w.email }, w.message);
    await store.runs.recordListingWarnings(runId, listingWarnings);
    const stall = quarantineStall(plan);
    if (stall > 0) log.warn({ quarantined: stall }, `every user this run would act on is quarantined (${stall}): nothing was tried; see \`dialsync status\`, then \`dialsync release\``);
    const counts = { assignments: input.assignments.length, dialpadUsers: input.dialpadUsers.length, offices: input.offices.length };
    const heldActions = heldActionsOf(plan);
    const planCounts = { assignments: counts.assignments, plannedActions, skippedUsers: plan.skipped.length, listedAssignments, unmanagedUsers: plan.unmanaged.length, heldActions: heldActions.length };

    if (!options.apply) {
      await options.onPlanned?.({ runId, tenant: tenant.tenant, input, plan, held });
      const outcome = runOutcome({ actions: [], failedUsers: 0, systemic: [], quarantineStall: stall, unprovisioned: unprovisioned.length });
      await store.runActions.record(runId, runActionsOf(plan, null));
      await store.runs.finish(runId, recordedOutcome(outcome, false), { ...planCounts, ...throttled() });
      return { runId, apply: false, outcome, plan, result: null, settled, counts, officeNames, held, tenant, systemic: [], quarantineStall: stall, ...rates() };
    }

    options.onPhase?.('applying');
    // Applying and recording 100,000 actions (a first run adopting a whole company) makes several times more garbage
    // than it keeps, and V8 lets it pile up: a 100,000-user adoption peaked over 600 MB resident with about 230 MB
    // live. Watched, resident memory follows the live set (see watchHeap); a run of a few users never pays for it.
    heap = watchHeap();
    const result = await applyPlan(plan, runApplyContext(deps, { runId, logger: log, options, fingerprints: facts.fingerprints, targeted: input.onlyOktaUserIds !== null }));
    const failedActions = result.actions.filter((action) => action.outcome === 'failed').length;
    const succeededActions = result.actions.filter((action) => action.outcome === 'done').length;
    // A shutdown leaves actions not run: the run is partial, and the next one finishes the rest.
    const outcome = runOutcome({ actions: result.actions, failedUsers: result.failedUsers.length, systemic: result.systemic, quarantineStall: stall, unprovisioned: unprovisioned.length });
    // Each shared cause once, not once per user.
    for (const failure of result.systemic) log.error({ cause: failure.code, users: failure.users, hint: failure.hint }, `systemic failure: ${failure.summary}; to fix: ${failure.hint}`);
    await store.runActions.record(runId, runActionsOf(plan, result));
    // A run that lost the run lock only consumes the approvals it used: the holder's run says what is held now.
    const leaseLost = outcome === 'lease_lost';
    await settleHeldActions(store, { runId, held: leaseLost ? [] : heldActions, onlyOktaUserIds: leaseLost ? [] : input.onlyOktaUserIds, result }, log);
    await store.runs.finish(
      runId,
      recordedOutcome(outcome, true),
      { ...planCounts, succeededActions, failedActions, ...throttled() },
      runProblem(outcome, result.systemic, stall),
    );
    log.info({ succeededActions, failedActions, failedUsers: result.failedUsers.length, systemic: result.systemic.length }, 'run finished');
    return { runId, apply: true, outcome, plan, result, settled, counts, officeNames, held, tenant, systemic: result.systemic, quarantineStall: stall, ...rates() };
  } catch (error) {
    // A shutdown cuts reads off: the run was interrupted, not failed (the next one does it all).
    if (options.signal?.aborted) await store.runs.finish(runId, 'partial', throttled(), 'interrupted by shutdown');
    else await store.runs.finish(runId, 'failed', throttled(), describeError(error));
    throw error;
  } finally {
    heap?.stop();
  }
}

/**
 * What applying a run's plan works with: the deps' gateways, store, rules and concurrency, the run's id and logger,
 * and the caller's progress and shutdown signal. `fingerprints`: userKey → the user's Okta data now (quarantine).
 */
export function runApplyContext(
  deps: ReconcileDeps,
  run: { runId: string; logger: Logger; options: Pick<ReconcileOptions, 'onProgress' | 'signal'>; fingerprints: ReadonlyMap<string, string>; targeted: boolean },
): ApplyContext {
  const { options } = run;
  return {
    dialpad: deps.dialpad,
    okta: deps.okta,
    store: deps.store,
    rules: deps.rules,
    runId: run.runId,
    concurrency: deps.concurrency,
    writeBackConcurrency: deps.oktaConcurrency,
    logger: run.logger,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    fingerprints: run.fingerprints,
    targeted: run.targeted,
  };
}

/** Approvals that expired by `at` stop counting (each audited `approval_expired`); said in the log. */
async function expireApprovals(store: Store, at: Date, log: Logger): Promise<void> {
  const expired = await store.held.expire(at);
  if (expired.length === 0) return;
  const users = expired.slice(0, WITHHELD_LOGGED).map((h) => ({ user: h.email, action: h.kind, approvedBy: h.decidedBy, expiresAt: h.expiresAt }));
  log.warn({ expired: expired.length, users }, `${expired.length} approval(s) expired unused: those actions are held again until approved anew`);
}

/**
 * After an applied run: held_actions becomes what this run held (a targeted run's users only), approved actions that
 * were done are consumed (audited `approval_applied`); said in the log.
 */
async function settleHeldActions(
  store: Store,
  run: { runId: string; held: HeldActionInput[]; onlyOktaUserIds: string[] | null; result: ApplyResult },
  log: Logger,
): Promise<void> {
  const applied = await store.held.settle({
    runId: run.runId,
    held: run.held,
    scope: run.onlyOktaUserIds === null ? 'all' : run.onlyOktaUserIds.map((id) => userKeyOf({ oktaUserId: id, dialpadUserId: null, email: '' })),
    done: retiringDone(run.result),
  });
  if (applied.length > 0) {
    const users = applied.slice(0, WITHHELD_LOGGED).map((h) => ({ user: h.email, action: h.kind, approvedBy: h.decidedBy }));
    log.info({ applied: applied.length, users }, `${applied.length} approved action(s) carried out`);
  }
}
