// Which console role an Okta user gets, from the groups claim of their ID token: the admin group wins over the
// viewer group; members of neither are refused.
import type { ConsoleRole } from '../store/console-sessions.js';

/** The groups that grant the console's roles (config `console.adminGroup`, `console.viewerGroup`). */
export interface RoleGroups {
  adminGroup: string;
  viewerGroup: string | null;
}

/**
 * The role `claim` (the groups claim's value: Okta sends an array of group names; a single string is taken as
 * one group) grants, or null when it names neither group. Group names match exactly, as Okta's filter does.
 */
export function roleFromGroups(claim: unknown, groups: RoleGroups): ConsoleRole | null {
  const names = Array.isArray(claim) ? claim.filter((name): name is string => typeof name === 'string') : typeof claim === 'string' ? [claim] : [];
  if (names.includes(groups.adminGroup)) return 'admin';
  if (groups.viewerGroup !== null && names.includes(groups.viewerGroup)) return 'viewer';
  return null;
}
