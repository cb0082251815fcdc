// After a run's actions: which failures count toward each user's quarantine, and which causes the run's users
// share (plan/systemic-failure.ts decides; this records). A systemic cause is remembered until a run sees it clear;
// then the users quarantined with its code are released.
import type { Logger } from '../log/logger.js';
import { userKeyOf } from '../plan/user-key.js';
import type { NotRunReason } from './action-graph.js';
import { classifyFailures, clearedCauses, type FailedAction, type FailedKind, type SystemicFailure } from '../plan/systemic-failure.js';
import type { Rules } from '../plan/types.js';
import type { Store } from '../store/store.js';

/** What recordUserOutcomes needs of each action's result (apply-plan.ts ActionResult). */
export interface RecordedActionResult {
  email: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  kind: FailedKind;
  outcome: string;
  detail: string | null;
  /** Why a not_run action did not run. */
  notRunReason?: NotRunReason | undefined;
  error: string | null;
  cause?: FailedAction['cause'];
}

/** What recordOutcomes needs of the run (ApplyContext has it all). */
export interface UserOutcomeContext {
  store: Store;
  /** Its writeBack rule decides whether a write-back failure may be systemic. */
  rules: Rules;
  /** The run failures are recorded for (runs.id). */
  runId: string;
  logger: Logger;
  /** userKey → sha256 of the user's Okta data, stored with a failure (quarantine lifts when it changes). */
  fingerprints?: ReadonlyMap<string, string> | undefined;
  /** The run read only some users (--user, incremental, hook): a known systemic cause still excuses them. */
  targeted?: boolean | undefined;
}

const UNKNOWN_CAUSE: FailedAction['cause'] = { code: 'dialsync.error', service: 'dialsync', class: 'data', status: null, detail: null };

/**
 * Records each user's outcome: a failure that is the user's own counts one more failing run (with its cause code);
 * a user whose actions all went through is cleared; a user that failed only for a systemic cause or a passing fault
 * (and a user cut short by a shutdown) keeps its count as it was. Returns the run's systemic failures, each once.
 * Throws what the store throws.
 */
export async function recordOutcomes(context: UserOutcomeContext, perUser: readonly (readonly RecordedActionResult[])[]): Promise<SystemicFailure[]> {
  const { store } = context;
  const failed: FailedAction[] = [];
  const succeeded: string[] = [];
  let attemptedUsers = 0;
  for (const results of perUser) {
    const first = results[0];
    if (!first) continue;
    attemptedUsers += 1;
    const userKey = userKeyOf({ oktaUserId: first.oktaUserId, dialpadUserId: first.dialpadUserId, email: first.email });
    const failures = results.filter((result) => result.outcome === 'failed');
    for (const result of failures) {
      failed.push({ userKey, email: result.email, oktaUserId: result.oktaUserId, kind: result.kind, cause: result.cause ?? UNKNOWN_CAUSE, message: result.error ?? 'failed' });
    }
    // A user cut short by a shutdown or a lost run lock has not succeeded: its failure count stays as it was.
    if (failures.length === 0 && !results.some((result) => result.notRunReason === 'shutdown' || result.notRunReason === 'lease_lost')) succeeded.push(userKey);
  }

  const known = await store.systemicFailures.active();
  const verdict = classifyFailures(failed, { attemptedUsers, known, targeted: context.targeted ?? false, writeBack: context.rules.writeBack });
  for (const failure of verdict.counted.values()) {
    await store.userErrors.record({
      userKey: failure.userKey,
      oktaUserId: failure.oktaUserId,
      email: failure.email,
      runId: context.runId,
      action: failure.kind,
      message: failure.message,
      oktaFingerprint: context.fingerprints?.get(failure.userKey) ?? null,
      cause: failure.cause.code,
    });
  }
  if (succeeded.length > 0) {
    // Only users with a recorded failure have anything to clear: one read instead of a DELETE per batch of users.
    const recorded = await store.userErrors.recordedKeys();
    await store.userErrors.clear(succeeded.filter((key) => recorded.has(key)));
  }

  await store.systemicFailures.seen(context.runId, verdict.systemic);
  const cleared = known.length === 0 ? [] : clearedCauses(known, perUser.flat(), verdict);
  // A lapsed cause is forgotten without releasing anyone: it still fails, now counted for each user.
  await store.systemicFailures.clear([...cleared.map((cause) => cause.key), ...verdict.lapsed]);
  if (verdict.lapsed.length > 0) context.logger.info({ causes: verdict.lapsed }, 'systemic failure(s) no longer shared by enough users: counted for each user again');
  for (const cause of cleared) {
    const released = await store.userErrors.releaseCause(cause.code);
    context.logger.info(
      { cause: cause.code, released: released.length },
      `systemic failure ${cause.code} has cleared${released.length > 0 ? `: ${released.length} user(s) quarantined for it released` : ''}`,
    );
  }
  return verdict.systemic;
}
