// What the console's pages read and act through, handed in by whoever serves them (the daemon).
import type { SettingRow } from '../config/settings-sources.js';
import { configDefaults } from '../config/schema.js';
import type { UserExplanation } from '../reconcile/explain-user.js';
import type { Store } from '../store/store.js';
import type { AssignedUserSearch } from './assigned-user-search.js';
import type { ConsoleHealth } from './health.js';

/**
 * The console's dependencies: the store (every page reads it; approve, dismiss and release write through it), the
 * effective settings, explain of one user (throws UserNotFoundError for an email nobody holds), the health section,
 * how long an approval lasts (hours), the clock, and optionally a search of the users assigned to the Okta app by name
 * or email (searchAssignedUsers; throws OktaError, which the users page shows as a note). Without it the user search
 * reads the store alone. Optionally when the next scheduled full run is due (daemon.schedule in daemon.timezone; null
 * when the expression never matches again); without it the pages do not say.
 */
export interface ConsoleDeps {
  store: Store;
  settings: () => SettingRow[];
  explain: (email: string) => Promise<UserExplanation>;
  health: () => Promise<ConsoleHealth>;
  approvalTtlHours: number;
  now: () => Date;
  searchUsers?: (q: string) => Promise<AssignedUserSearch>;
  nextFullRun?: () => Date | null;
}

/** When the next scheduled full run is due, with the schedule it follows (daemon.schedule, daemon.timezone). */
export interface NextFullRun {
  /** ISO 8601. */
  at: string;
  /** The cron expression, as the effective settings say. */
  schedule: string;
  /** The IANA time zone it is read in. */
  timezone: string;
}

/** The next scheduled full run, or null when the console was not told (deps.nextFullRun) or none is due. */
export function nextFullRun(deps: Pick<ConsoleDeps, 'settings' | 'nextFullRun'>): NextFullRun | null {
  const at = deps.nextFullRun?.() ?? null;
  if (at === null) return null;
  const setting = (key: string, fallback: string): string => {
    const value = deps.settings().find((row) => row.key === key)?.value;
    return typeof value === 'string' ? value : fallback;
  };
  const defaults = configDefaults().daemon;
  return { at: at.toISOString(), schedule: setting('daemon.schedule', defaults.schedule), timezone: setting('daemon.timezone', defaults.timezone) };
}

/** safety.quarantineAfter as the effective settings say (its default when they do not list it). */
export function quarantineAfter(deps: Pick<ConsoleDeps, 'settings'>): number {
  const row = deps.settings().find((setting) => setting.key === 'safety.quarantineAfter');
  return typeof row?.value === 'number' ? row.value : configDefaults().safety.quarantineAfter;
}
