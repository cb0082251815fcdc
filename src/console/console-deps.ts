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
 * reads the store alone.
 */
export interface ConsoleDeps {
  store: Store;
  settings: () => SettingRow[];
  explain: (email: string) => Promise<UserExplanation>;
  health: () => Promise<ConsoleHealth>;
  approvalTtlHours: number;
  now: () => Date;
  searchUsers?: (q: string) => Promise<AssignedUserSearch>;
}

/** safety.quarantineAfter as the effective settings say (its default when they do not list it). */
export function quarantineAfter(deps: Pick<ConsoleDeps, 'settings'>): number {
  const row = deps.settings().find((setting) => setting.key === 'safety.quarantineAfter');
  return typeof row?.value === 'number' ? row.value : configDefaults().safety.quarantineAfter;
}
