// When runs happen: the full reconciliation on a cron schedule (croner, in a time zone), and the
// incremental poll on a fixed interval. Neither ever overlaps itself; the run lock keeps them apart.
//
// Across daylight-saving changes (croner's rules, checked in test/daemon/schedule.test.ts): a schedule with
// fixed times (`30 2 * * *`, `0 1,13 * * *`) whose time falls in the skipped hour runs at the first valid time
// after it (03:00), and runs once when its time occurs twice; a schedule with a wildcard or step in the time
// fields (`0 * * * *`, `*/15 * * * *`) keeps its spacing in real time (no gap, no bunching).
import { Cron } from 'croner';
import { CRON_SYNTAX } from '../config/cron-expression.js';
import type { Logger } from '../log/logger.js';

/** When runs are due and what to call then. */
export interface ScheduleOptions {
  /** Cron expression of the full run, e.g. '0 * * * *' (5 fields, or 6 with seconds first). */
  schedule: string;
  /** IANA time zone the expression is read in, e.g. 'Europe/Paris'. */
  timezone: string;
  /** 0 turns the incremental poll off. */
  pollIntervalSeconds: number;
  /** Resolves when the full run is over (or was skipped). */
  onFullTick: () => Promise<unknown>;
  /** Called every pollIntervalSeconds, counted from the end of the previous poll; resolves when the poll is over. */
  onPollTick: () => Promise<unknown>;
  /** A tick came while the previous full run was still going, so it was skipped. */
  onOverlap?: () => void;
  logger: Logger;
}

/** A started schedule. */
export interface Schedule {
  /** When the next full run is due, or null when the expression never matches again. */
  nextFullRun(): Date | null;
  /** Stops both timers (a run going on is not waited for). */
  stop(): Promise<void>;
}

/**
 * When `schedule` (read in `timezone`, as startSchedule reads it) is next due after `from`, or null when it never
 * matches again: what the console says of the next full run on any replica, leader or not (a paused job never fires).
 * @throws Error when the expression or time zone is invalid (the config loader has checked both).
 */
export function nextFullRunAfter(schedule: string, timezone: string, from: Date): Date | null {
  return new Cron(schedule, { ...CRON_SYNTAX, timezone, paused: true }).nextRun(from);
}

/**
 * Starts the full-run schedule and the incremental poll. Reads the clock through `Date` and `setTimeout`,
 * so a fake clock drives it in tests.
 * @throws Error when the expression or time zone is invalid (the config loader has checked both).
 */
export function startSchedule(options: ScheduleOptions): Schedule {
  const { logger } = options;
  // Overlap is kept here, not with croner's `protect`: croner 11 keeps a blocked tick pending and runs it as
  // soon as the previous run ends (calling `protect` every 30 s meanwhile); a due tick here is skipped, once.
  let fullRun: Promise<void> | null = null;
  const job = new Cron(options.schedule, { ...CRON_SYNTAX, timezone: options.timezone }, () => {
    if (fullRun) {
      logger.warn({ kind: 'full', schedule: options.schedule }, 'full run skipped: the previous one is still going');
      options.onOverlap?.();
      return;
    }
    fullRun = options
      .onFullTick()
      .then(
        () => undefined,
        (error: unknown) => logger.error({ err: error }, 'full run failed'),
      )
      .finally(() => {
        fullRun = null;
      });
  });
  logger.info({ schedule: options.schedule, timezone: options.timezone, nextRun: job.nextRun()?.toISOString() ?? null }, 'full runs scheduled');

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
    nextFullRun: () => job.nextRun(),
    stop() {
      stopped = true;
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
      job.stop();
      return Promise.resolve();
    },
  };
}
