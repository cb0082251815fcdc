// Run history does not grow without end: every run (each dry run, each hook run) adds its actions to run_actions.
// After each full run the leader deletes the actions, and the Run now requests, of the runs that started more than
// history.retentionDays ago, in chunks (store/delete-in-chunks.ts). The runs themselves and the audit events stay:
// the audit is the record of who did what.
//
// Example: retentionDays 90, a full run ending 2026-11-30T12:00Z: the actions of runs started before
// 2026-09-01T12:00Z are deleted; a run started 2026-09-01T12:00Z keeps them until the next full run.
import { describeError } from '../errors/describe-error.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

/** What a prune deleted. */
export interface PrunedHistory {
  /** ISO 8601: runs started before this lost their actions. */
  before: string;
  runActions: number;
  runRequests: number;
}

/**
 * Deletes the run actions and run requests of the runs started more than `retentionDays` days before `now`; logs
 * what it deleted (at debug level when nothing). Resolves with the counts, or null when the store failed (logged as
 * a warning: the next full run tries again). Never rejects.
 */
export async function pruneRunHistory(store: Store, retentionDays: number, now: Date, logger: Logger): Promise<PrunedHistory | null> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  try {
    const runActions = await store.runActions.pruneBefore(before);
    const runRequests = await store.runRequests.pruneBefore(before);
    const pruned = { before: before.toISOString(), runActions, runRequests };
    if (runActions + runRequests > 0) logger.info(pruned, `deleted the actions of runs started more than ${retentionDays} days ago (history.retentionDays)`);
    else logger.debug(pruned, 'no run history older than history.retentionDays');
    return pruned;
  } catch (error) {
    logger.warn({ err: { message: describeError(error) } }, 'could not delete old run history; the next full run tries again');
    return null;
  }
}
