// Carries out a plan: users in parallel (bounded), each user's actions in plan order as a small dependency graph
// (action-graph.ts): a failed action stops only the actions that need it, and one user's failure never stops the
// others. Every write is journaled before it is sent and marked done or failed after.
// Two queues, one per API: a user's Dialpad side takes one of `concurrency` slots and gives it back as soon as it
// is done; its Okta write-back then waits in a queue of its own (`writeBackConcurrency` at once). So when Okta's
// user-update budget is the slower one, the Dialpad side keeps going at its own pace instead of idling behind it.
import pLimit from 'p-limit';
import { DialpadError } from '../dialpad/errors.js';
import type { DialpadUser } from '../dialpad/types.js';
import { describeError } from '../errors/describe-error.js';
import { OktaError } from '../okta/errors.js';
import type { FailureCause, SystemicFailure } from '../plan/systemic-failure.js';
import type { AppliedRecord, Link, Plan, UserPlan } from '../plan/types.js';
import { appliedChanges, appliedRecordsOf } from './applied-records.js';
import type { ApplyContext } from './apply-context.js';
import { blockingStep, stepsOf, type NotRunReason, type Step, type StepKind } from './action-graph.js';
import { createOrAdopt, type DialpadUserState } from './create-user.js';
import { failureCauseOf } from './failure-cause.js';
import { journaled, type WriteSubject } from './journaled.js';
import { FieldsRefusedError, updateFields } from './update-fields.js';
import { recordOutcomes } from './user-outcomes.js';
import { LeaseLostError } from '../errors/lease-lost.js';
import { applyRelink } from './relink.js';
import { dialpadWrites, profileWrite } from './writes.js';

/**
 * How a step ended: done (the write went through), unchanged (nothing to write, e.g. the number already in Okta),
 * failed, or not_run (a step it needs did not go through, or dialsync was shutting down).
 */
export type ActionOutcome = 'done' | 'failed' | 'not_run' | 'unchanged';

/** One step's result for one user: what the run report, `status` and quarantine read. */
export interface ActionResult {
  email: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  /** The planned action's kind, or set_job_title for the PATCH that follows a create (action-graph.ts). */
  kind: StepKind;
  outcome: ActionOutcome;
  /** What was done (e.g. the number written back), or why it was not run, in words. */
  detail: string | null;
  /** Set when outcome is not_run: why, as a value to compare (detail says it in words). */
  notRunReason?: NotRunReason;
  /** A failed step's error as one line safe to log and store (describeError); null otherwise. */
  error: string | null;
  /** A failed action's typed cause (from the client's error code), for telling a user's own failure from a systemic one. */
  cause?: FailureCause;
}

/** What applying a plan did. */
export interface ApplyResult {
  /** Every step's result, user by user in plan order. */
  actions: ActionResult[];
  /** Each user with a failed step, once, with its first failure's error. */
  failedUsers: { email: string; oktaUserId: string | null; error: string }[];
  /** Causes the run's users shared (plan/systemic-failure.ts): counted toward nobody's quarantine, reported once. */
  systemic: SystemicFailure[];
}

/**
 * Applies every user's actions, `context.concurrency` users' Dialpad sides at a time and
 * `context.writeBackConcurrency` write-backs at a time, each write-back queued as its user's Dialpad side finishes
 * (adopt-only users first, their links saved in one transaction); `context.onProgress(done, total)` counts users
 * whose every step (write-back included) has ended. Resolves once the write-back queue has drained. Returns each
 * step's outcome in plan order (the plan's actions, plus set_job_title after a create with a title) and the users
 * with a failed step. Never throws for a failed action: only what the store throws while recording the users'
 * outcomes (recordOutcomes).
 */
export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyResult> {
  // The drift decisions that write nothing to Dialpad (baselines, adoptions) are kept before any write.
  await context.store.appliedValues.record(plan.appliedRecords ?? []);
  const limit = pLimit(context.concurrency);
  const writeBacks = pLimit(context.writeBackConcurrency ?? context.concurrency);
  let done = 0;
  const progress = (count: number): void => {
    done += count;
    context.onProgress?.(done, plan.users.length);
  };
  // Users whose only action is an adoption touch no API: their links are saved together, in one transaction.
  const adoptOnly = plan.users.flatMap((user) => {
    const link = adoptOnlyLink(user);
    return link === null ? [] : [{ user, link }];
  });
  const adopted = await adoptTogether(adoptOnly, context);
  if (adoptOnly.length > 0) progress(adoptOnly.length);
  const perUser = await Promise.all(
    plan.users.map((user) => {
      const results = adopted.get(user);
      if (results) return results;
      return (async () => {
        // The slot is given back when the Dialpad side is done; the write-back waits for a place in its own queue.
        const side = await limit(() => applyDialpadSide(user, context));
        const results = await finishWriteBacks(side, (run) => writeBacks(run));
        progress(1);
        return results;
      })();
    }),
  );
  const actions = perUser.flat();
  const failedUsers = perUser.flatMap((results) => {
    const failed = results.find((result) => result.outcome === 'failed');
    return failed ? [{ email: failed.email, oktaUserId: failed.oktaUserId, error: failed.error ?? 'failed' }] : [];
  });
  const systemic = await recordUserOutcomes(context, perUser);
  return { actions, failedUsers, systemic };
}

/** The link a user's plan makes when adopting is all it does (no API call), else null. */
function adoptOnlyLink(user: UserPlan): Link | null {
  const [action, ...more] = user.actions;
  if (action?.kind !== 'adopt' || more.length > 0 || user.oktaUserId === null) return null;
  return { oktaUserId: user.oktaUserId, dialpadUserId: action.dialpadUserId, origin: 'adopted' };
}

/** Saves the links of adopt-only users in one batch; each user's result, or each one's failure if the batch fails. */
async function adoptTogether(
  entries: readonly { user: UserPlan; link: Link }[],
  context: ApplyContext,
): Promise<Map<UserPlan, ActionResult[]>> {
  const results = new Map<UserPlan, ActionResult[]>();
  if (entries.length === 0) return results;
  const base = (user: UserPlan, link: Link) => ({ email: user.email, oktaUserId: user.oktaUserId, dialpadUserId: link.dialpadUserId, kind: 'adopt' as const });
  if (context.signal?.aborted) {
    for (const { user, link } of entries) results.set(user, [{ ...base(user, link), outcome: 'not_run', detail: 'shutting down', notRunReason: 'shutdown', error: null }]);
    return results;
  }
  try {
    await context.store.links.saveMany(entries.map(({ user, link }) => ({ link, email: user.email })));
  } catch (error) {
    const message = describeError(error);
    context.logger.warn({ users: entries.length, error: message }, `adopting ${entries.length} users failed: ${message}`);
    const cause = failureCauseOf(error);
    for (const { user, link } of entries) results.set(user, [{ ...base(user, link), outcome: 'failed', detail: null, error: message, cause }]);
    return results;
  }
  for (const { user, link } of entries) {
    results.set(user, [{ ...base(user, link), outcome: 'done', detail: `linked to Dialpad user ${link.dialpadUserId}`, error: null }]);
    context.logger.info({ user: user.email, action: 'adopt', outcome: 'done' }, `adopt ${user.email}: done`);
  }
  return results;
}

/** A write-back whose value the Dialpad side settled, waiting for the Okta queue; `at` is its place in plan order. */
interface QueuedWriteBack {
  at: number;
  write: () => Promise<ActionResult>;
}

/** What a user's Dialpad side leaves: its steps' results (write-backs not yet among them) and its queued write-backs. */
interface DialpadSide {
  results: ActionResult[];
  queued: QueuedWriteBack[];
}

/**
 * One user's steps, in plan order, each run unless a step it depends on (action-graph.ts) did not go through:
 * a failure stops only what needs it. Once shutdown has begun no step starts, and one the client stopped before
 * sending it is not run either. A write-back is settled here (its value, which may take a Dialpad read) and
 * queued: the Okta write is left to finishWriteBacks, after the user's Dialpad slot is freed. Nothing depends on a
 * write-back, so the steps after one still see every step they may need.
 */
async function applyDialpadSide(user: UserPlan, context: ApplyContext): Promise<DialpadSide> {
  const state: DialpadUserState = { dialpadUserId: user.dialpadUserId, phoneNumbers: null };
  const results: ActionResult[] = [];
  const queued: QueuedWriteBack[] = [];
  // The values this user's confirmed writes put in Dialpad, recorded once its Dialpad side is done.
  const written: AppliedRecord[] = [];
  for (const [at, step] of stepsOf(user.actions).entries()) {
    const blocker = blockingStep(step.kind, results);
    if (blocker) {
      const failed = blocker.outcome === 'failed';
      results.push(notRunResult(user, step, state, failed ? 'earlier_failure' : 'earlier_not_run', `needs ${blocker.kind}, which ${failed ? 'failed' : 'did not run'}`));
      continue;
    }
    if (step.kind !== 'write_back') {
      const result = await attempt(user, step, state, context, () => applyStep(user, step, state, context), (error) => {
        // Dialpad refused some fields of an update: the others went through.
        if (error instanceof FieldsRefusedError && step.kind === 'update' && state.dialpadUserId !== null) {
          written.push(...appliedChanges(state.dialpadUserId, step.changes.filter((change) => error.applied.includes(change.field))));
        }
      });
      results.push(result);
      const wentThrough = result.outcome === 'done' || result.outcome === 'unchanged';
      if (wentThrough && state.dialpadUserId !== null && !(step.kind === 'create' && state.adoptedOnCreate)) {
        // A create is recorded at once: should the process stop before the user's other steps, the next run still
        // tells the steps it did not get to (the title) from edits in Dialpad (applied-records.ts).
        if (step.kind === 'create') await recordWritten(appliedRecordsOf(step, state.dialpadUserId), user, context);
        else written.push(...appliedRecordsOf(step, state.dialpadUserId));
      }
      continue;
    }
    let value: string | null = null;
    const settled = await attempt(user, step, state, context, async () => {
      // After a create, move or assignment the number is only known now.
      value = step.pending ? await currentNumber(state, context) : step.to;
      return value === step.from ? UNCHANGED : QUEUED;
    });
    if (settled === QUEUED) {
      const number = value;
      queued.push({ at, write: () => attempt(user, step, state, context, () => writeBack(user, number, state, context)) });
    } else results.push(settled);
  }
  await recordWritten(written, user, context);
  return { results, queued };
}

/**
 * Runs a user's queued write-backs through `queue` (the Okta side's limit) and returns all the user's results in
 * plan order.
 */
async function finishWriteBacks(side: DialpadSide, queue: (run: () => Promise<ActionResult>) => Promise<ActionResult>): Promise<ActionResult[]> {
  const results = [...side.results];
  for (const { at, write } of side.queued) results.splice(at, 0, await queue(write));
  return results;
}

/** A step left not run, and why. */
function notRunResult(user: UserPlan, step: Step, state: DialpadUserState, notRunReason: NotRunReason, detail: string): ActionResult {
  return { email: user.email, oktaUserId: user.oktaUserId, kind: step.kind, dialpadUserId: state.dialpadUserId, outcome: 'not_run', detail, notRunReason, error: null };
}

/**
 * Runs one step unless shutdown has begun, and says how it ended: done, unchanged, failed, or not run (shutdown,
 * or the lease lost before the journal let the write begin). Returns QUEUED when `run` did (a write-back to send
 * later). `failed` is told the error of a step that failed.
 */
function attempt(user: UserPlan, step: Step, state: DialpadUserState, context: ApplyContext, run: () => Promise<Detail>, failed?: (error: unknown) => void): Promise<ActionResult>;
function attempt(user: UserPlan, step: Step, state: DialpadUserState, context: ApplyContext, run: () => Promise<Detail | typeof QUEUED>): Promise<ActionResult | typeof QUEUED>;
async function attempt(
  user: UserPlan,
  step: Step,
  state: DialpadUserState,
  context: ApplyContext,
  run: () => Promise<Detail | typeof QUEUED>,
  failed?: (error: unknown) => void,
): Promise<ActionResult | typeof QUEUED> {
  if (context.signal?.aborted) return notRunResult(user, step, state, 'shutdown', SHUTTING_DOWN);
  const base = { email: user.email, oktaUserId: user.oktaUserId, kind: step.kind };
  try {
    const detail = await run();
    if (detail === QUEUED) return QUEUED;
    const outcome: ActionOutcome = detail === UNCHANGED ? 'unchanged' : 'done';
    context.logger.info({ user: user.email, action: step.kind, outcome }, `${step.kind} ${user.email}: ${outcome}`);
    return { ...base, dialpadUserId: state.dialpadUserId, outcome, detail: detail === UNCHANGED ? null : detail, error: null };
  } catch (error) {
    if (stoppedBeforeSending(error)) return notRunResult(user, step, state, 'shutdown', SHUTTING_DOWN);
    // Fenced: the journal refused to begin the write, so nothing was sent (store/leases.ts).
    if (error instanceof LeaseLostError) return notRunResult(user, step, state, 'lease_lost', LEASE_LOST);
    failed?.(error);
    const message = describeError(error);
    context.logger.warn({ user: user.email, action: step.kind, outcome: 'failed', error: message }, `${step.kind} ${user.email} failed: ${message}`);
    return { ...base, dialpadUserId: state.dialpadUserId, outcome: 'failed', detail: null, error: message, cause: failureCauseOf(error) };
  }
}

/**
 * Records what a user's writes put in Dialpad (applied_values). A failure to record is logged, not the user's
 * failure: the writes went through, and the next run, finding both sides equal, records them as its baseline.
 */
async function recordWritten(written: readonly AppliedRecord[], user: UserPlan, context: ApplyContext): Promise<void> {
  try {
    await context.store.appliedValues.record(written);
  } catch (error) {
    const message = describeError(error);
    context.logger.warn({ user: user.email, error: message }, `recording the values written to ${user.email} failed: ${message}`);
  }
}

/** The detail of steps left for the next run because dialsync is stopping. */
const SHUTTING_DOWN = 'shutting down';
/** The detail of steps left to the process that holds the run lock now. */
const LEASE_LOST = 'run lock lost: another process leads';

/**
 * The client stopped the request because dialsync is stopping: not sent, so the step did not start (or an Okta
 * profile write given up after its grace, which the next run repeats harmlessly).
 */
function stoppedBeforeSending(error: unknown): boolean {
  return (error instanceof DialpadError || error instanceof OktaError) && error.code === 'aborted';
}

const UNCHANGED = Symbol('unchanged');
/** What a step did, in words (null: nothing to say), or UNCHANGED when there was nothing to write. */
type Detail = string | null | typeof UNCHANGED;
/** A write-back's value is settled and differs from Okta's: the write waits in the Okta queue. */
const QUEUED = Symbol('queued');

/** Runs one step; returns a short description of what was done. */
async function applyStep(user: UserPlan, step: Step, state: DialpadUserState, context: ApplyContext): Promise<Detail> {
  const { store, runId } = context;
  const subject: WriteSubject = { runId, oktaUserId: user.oktaUserId, email: user.email, action: step.kind };
  const dialpad = dialpadWrites(context.dialpad);
  switch (step.kind) {
    case 'create':
      return createOrAdopt(user, step, state, context);
    case 'set_job_title': {
      // An adopted user (a 409 on create) may have the title already.
      if (state.jobTitle === step.jobTitle) return UNCHANGED;
      const id = requireId(state);
      const updated = await journaled(store, subject, dialpad.updateUser(id, { jobTitle: step.jobTitle }));
      remember(state, updated);
      return 'job_title';
    }
    case 'adopt': {
      if (!user.oktaUserId) throw new Error('adopt needs an Okta user');
      await store.links.save({ oktaUserId: user.oktaUserId, dialpadUserId: step.dialpadUserId, origin: 'adopted' }, user.email);
      state.dialpadUserId = step.dialpadUserId;
      return `linked to Dialpad user ${step.dialpadUserId}`;
    }
    case 'relink':
      return applyRelink(user, step, state, context);
    case 'reactivate':
    case 'suspend': {
      const id = requireId(state);
      const updated = await journaled(store, subject, dialpad.updateUser(id, { state: step.kind === 'reactivate' ? 'active' : 'suspended' }));
      remember(state, updated);
      return `state ${updated.state}`;
    }
    case 'update':
      return updateFields(requireId(state), step.changes, state, subject, context);
    case 'move_office': {
      const id = requireId(state);
      const moved = await journaled(store, subject, dialpad.moveOffice(id, step.toOfficeId));
      remember(state, moved);
      return `office ${step.toOfficeId}`;
    }
    case 'assign_number': {
      const id = requireId(state);
      const input = { ...(step.number ? { number: step.number } : {}), ...(step.areaCode ? { areaCode: step.areaCode } : {}), primary: true };
      const assigned = await journaled(store, subject, dialpad.assignNumber(id, input));
      state.phoneNumbers = [assigned.number, ...(state.phoneNumbers ?? []).filter((n) => n !== assigned.number)];
      return assigned.number;
    }
    case 'delete': {
      const id = requireId(state);
      await journaled(store, subject, dialpad.deleteUser(id));
      if (user.oktaUserId) await store.links.remove(user.oktaUserId);
      await store.appliedValues.forget([id]);
      return 'deleted';
    }
    case 'write_back':
      throw new Error('a write-back is settled on the Dialpad side and written from the Okta queue (applyDialpadSide)');
  }
}

/** Writes `value` (null clears) to the user's write-back attribute in Okta, journaled; returns what was done. */
async function writeBack(user: UserPlan, value: string | null, state: DialpadUserState, context: ApplyContext): Promise<string> {
  if (!user.oktaUserId) throw new Error('write_back needs an Okta user');
  const { attribute, target } = context.rules.writeBack;
  const subject: WriteSubject = { runId: context.runId, oktaUserId: user.oktaUserId, email: user.email, action: 'write_back' };
  await journaled(context.store, subject, profileWrite(context.okta, { oktaUserId: user.oktaUserId, target, attribute, value, dialpadUserId: state.dialpadUserId }));
  return value === null ? `${attribute} cleared` : `${attribute} = ${value}`;
}

/**
 * The user's primary number as Dialpad last returned it this run; read from Dialpad when no step returned it
 * (the move that would have changed it failed, so the user keeps the number it has).
 */
async function currentNumber(state: DialpadUserState, context: ApplyContext): Promise<string | null> {
  if (state.phoneNumbers === null && state.dialpadUserId !== null) {
    const user = await context.dialpad.getUser(state.dialpadUserId);
    if (user) remember(state, user);
  }
  return state.phoneNumbers?.[0] ?? null;
}

function requireId(state: DialpadUserState): string {
  if (!state.dialpadUserId) throw new Error('no Dialpad user id (the create did not happen)');
  return state.dialpadUserId;
}

function remember(state: DialpadUserState, user: DialpadUser): void {
  state.phoneNumbers = user.phoneNumbers;
  state.jobTitle = user.jobTitle;
}

/** Failures are counted per user per run, except those the run's users share (systemic); returns those, each once. */
function recordUserOutcomes(context: ApplyContext, perUser: ActionResult[][]): Promise<SystemicFailure[]> {
  return recordOutcomes(context, perUser);
}
