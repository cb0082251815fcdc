// What a process does right after it acquires the run lock anew (not a renewal of its own): the applying runs still
// recorded `running` were started by a holder that lost the lock (killed, or fenced), so nothing else would ever
// finish their records. The journal settle of the next applying run finishes their writes; this closes the records.
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

/**
 * Closes the runs a previous holder of the run lock left `running` (RunStore.closeAbandoned: `partial`, with why) and
 * logs a warning naming how many. Call it after the lock is acquired and before this process starts a run of its
 * own. Resolves with how many it closed; a database error is logged and resolves 0 (the records stay `running`, the
 * next acquisition tries again): closing them is bookkeeping, never a reason to give up the lock.
 */
export async function closeAbandonedRuns(store: Store, logger: Logger): Promise<number> {
  try {
    const closed = await store.runs.closeAbandoned();
    if (closed.length > 0) {
      logger.warn(
        { closedRuns: closed.map((run) => ({ id: run.id, kind: run.kind, startedAt: run.startedAt })) },
        `closed ${closed.length} run${closed.length === 1 ? '' : 's'} left running by a process that lost the run lock (recorded partial)`,
      );
    }
    return closed.length;
  } catch (error) {
    logger.warn({ err: error }, 'could not close the runs left running by a previous holder of the run lock; the next acquisition tries again');
    return 0;
  }
}
