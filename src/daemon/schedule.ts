// When runs happen: the full reconciliation on a cron schedule (node-cron, in a time zone), and the
// incremental poll on a fixed interval. Neither ever overlaps itself; the run lock keeps them apart.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log/logger.js';

export interface ScheduleOptions {
  /** Cron expression of the full run, e.g. '0 * * * *'. */
  schedule: string;
  timezone: string;
  /** 0 turns the incremental poll off. */
  pollIntervalSeconds: number;
  /** Resolves when the full run is over (or was skipped). */
  onFullTick: () => Promise<unknown>;
  onPollTick: () => Promise<unknown>;
  /** A tick came while the previous full run was still going, so it was skipped. */
  onOverlap?: () => void;
  logger: Logger;
}

export interface Schedule {
  /** When the next full run is due. */
  nextFullRun(): Date | null;
  stop(): Promise<void>;
}

let cronLogger: Logger | null = null;

export function startSchedule(options: ScheduleOptions): Schedule {
  const { logger } = options;
  // node-cron warns on the console by default (missed executions, overlaps); route it to our log.
  cronLogger = logger.child({ component: 'cron' });
  cron.setLogger({
    info: (message) => cronLogger?.info(message),
    warn: (message) => cronLogger?.warn(message),
    error: (message, error) => cronLogger?.error({ err: error ?? message }, String(message)),
    debug: (message) => cronLogger?.debug(String(message)),
  });

  const task: ScheduledTask = cron.schedule(
    options.schedule,
    async () => {
      await options.onFullTick();
    },
    { timezone: options.timezone, noOverlap: true, name: 'dialsync-full-run' },
  );
  task.on('execution:overlap', () => {
    logger.warn({ kind: 'full', schedule: options.schedule }, 'full run skipped: the previous one is still going');
    options.onOverlap?.();
  });
  logger.info({ schedule: options.schedule, timezone: options.timezone, nextRun: task.getNextRun()?.toISOString() ?? null }, 'full runs scheduled');

  let pollTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const pollMs = options.pollIntervalSeconds * 1000;
  // The next poll is timed from the end of the previous one, so slow polls never pile up.
  const schedulePoll = (): void => {
    if (stopped || pollMs <= 0) return;
    pollTimer = setTimeout(() => {
      pollTimer = null;
      options
        .onPollTick()
        .catch((error: unknown) => logger.error({ err: error }, 'incremental poll failed'))
        .finally(schedulePoll);
    }, pollMs);
  };
  if (pollMs > 0) logger.info({ pollIntervalSeconds: options.pollIntervalSeconds }, 'incremental polling every interval');
  schedulePoll();

  return {
    nextFullRun: () => task.getNextRun(),
    async stop() {
      stopped = true;
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
      await task.destroy();
    },
  };
}
