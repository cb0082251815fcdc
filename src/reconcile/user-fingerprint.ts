// Fingerprints of each user's Okta data, for quarantine: a quarantined user is tried again once its fingerprint
// changes. Computed in the shell (sha256) from the planner's input; the write-back attribute is left out,
// since dialsync writes it itself.
import { createHash } from 'node:crypto';
import { toDesiredUser } from '../plan/rules/desired-user.js';
import { OfficeDirectory } from '../plan/rules/office-rule.js';
import { retiredOktaUserId } from '../plan/retire.js';
import type { PlanInput, Rules } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import type { Profile } from '../okta/types.js';

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 (64 hex characters) of `value` as JSON with its object keys sorted, so key order never changes it. */
export function sha256(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function without(profile: Profile, attribute: string): Profile {
  const { [attribute]: _dropped, ...rest } = profile;
  return rest;
}

/**
 * userKey (plan/user-key.ts) → sha256 of the user's Okta data in this run. `only` limits it to the given
 * keys: quarantine and failure records only ever look up users the plan acts on, and hashing all 100,000 users
 * of a no-change run would be wasted CPU.
 */
export function fingerprintUsers(input: PlanInput, rules: Rules, only?: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  if (only?.size === 0) return out;
  const offices = new OfficeDirectory(input.offices, rules);
  for (const assignment of input.assignments) {
    const key = userKeyOf({ oktaUserId: assignment.oktaUserId, dialpadUserId: null, email: '' });
    if (out.has(key) || (only && !only.has(key))) continue;
    const result = toDesiredUser(assignment, offices, rules);
    if ('desired' in result) {
      // The fields dialsync syncs, as the rules read them (not the attribute it writes back).
      const { currentWriteBack: _written, ...fields } = result.desired;
      out.set(key, sha256({ desired: fields }));
    } else {
      const attribute = rules.writeBack.attribute;
      out.set(key, sha256({ status: assignment.status, profile: without(assignment.profile, attribute), appProfile: without(assignment.appProfile, attribute) }));
    }
  }
  // Linked users no longer assigned: what Okta says became of them.
  for (const link of input.links) {
    const fate = Object.hasOwn(input.fates, link.oktaUserId) ? input.fates[link.oktaUserId] : undefined;
    if (fate === undefined) continue;
    // Keyed as the planner's retire step plans the user, so its failures are found under this key.
    const key = userKeyOf({ oktaUserId: retiredOktaUserId(link, fate), dialpadUserId: link.dialpadUserId, email: '' });
    if (only && !only.has(key)) continue;
    if (!out.has(key)) out.set(key, sha256({ unassigned: fate }));
  }
  return out;
}
