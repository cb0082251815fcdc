// The cron syntax dialsync accepts for `daemon.schedule`: declared with the settings, so the loader checks an
// expression (exit 2 naming the key) without reaching into the daemon that runs it.
import { Cron, type CronOptions } from 'croner';

/**
 * How dialsync reads a cron expression, the same for validation and scheduling: 5 fields or 6 with seconds
 * first; day of month and day of week must both match (as node-cron, which dialsync used before, read them);
 * a list or range of fixed hours and minutes counts as fixed times for daylight-saving changes.
 */
export const CRON_SYNTAX: CronOptions = { mode: '5-or-6-parts', domAndDow: true, fixedTimeRule: 'no-wildcard' };

/**
 * Why `expression` is not a cron expression dialsync accepts, or null when it is.
 * @param expression e.g. '30 2 * * *'
 * @returns croner's reason (e.g. "CronPattern: Invalid value for hour: 25"), or null.
 */
export function cronExpressionProblem(expression: string): string | null {
  try {
    new Cron(expression, { ...CRON_SYNTAX, paused: true }).stop();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
