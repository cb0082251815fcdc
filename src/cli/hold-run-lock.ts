// The run lock a command takes before it writes (`reconcile --apply`, `apply plan.json`): one process at a time
// applies to a database, whatever started it.
import { InvalidArgumentError } from 'commander';
import type { Config } from '../config/load.js';
import { closeAbandonedRuns } from '../lease/abandoned-runs.js';
import { acquireRunLease, describeHolder, thisProcess, type HeldLease } from '../lease/run-lease.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import type { CliIo } from './runtime.js';

/**
 * Takes the run lock, waiting up to `waitSeconds` for another holder (said on stderr), keeps renewing it, and fences
 * every journaled write with it: a process paused past the lock's TTL writes nothing after. Then closes the runs a
 * previous holder left `running` (closeAbandonedRuns). The caller releases it and unfences
 * (`store.journal.fenceWith(null)`). `kind`: what `status` and a refused process are told holds it (default
 * `reconcile`, i.e. `reconcile --apply`).
 * @throws LockHeldError when it is still held after the wait; what `signal` aborts it with.
 */
export async function holdRunLock(
  parts: { store: Store; config: Pick<Config, 'lock'>; logger: Logger; io: CliIo; signal: AbortSignal; kind?: 'reconcile' | 'apply' },
  waitSeconds: number,
): Promise<HeldLease> {
  const { store, logger, io } = parts;
  const held = await acquireRunLease(store, thisProcess(parts.kind ?? 'reconcile'), parts.config.lock, {
    waitSeconds,
    signal: parts.signal,
    onWaiting: (holder) => io.stderr.write(`dialsync: ${describeHolder(holder)}; waiting up to ${waitSeconds} s for it\n`),
  });
  held.keepRenewing(
    (reason) => logger.warn({ reason }, `the run lock was lost (${reason}): no more writes are started`),
    (error) => logger.warn({ err: error }, 'renewing the run lock failed; trying again'),
  );
  store.journal.fenceWith(held);
  // Before this command's run starts: any applying run still recorded running is a lost holder's.
  await closeAbandonedRuns(store, logger);
  return held;
}

/**
 * --lock-wait: whole seconds, 0 or more.
 * @throws InvalidArgumentError (commander prints it and exits 2) for anything else.
 */
export function parseLockWait(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) throw new InvalidArgumentError('must be a whole number of seconds, 0 or more');
  return seconds;
}
