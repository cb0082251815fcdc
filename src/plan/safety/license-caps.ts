// License caps (`licenseCaps: {talk: 200}`): creates and reactivations that would take a license past its cap
// are held with the reason, instead of Dialpad silently billing more seats. Pure: the Dialpad users come in.
//
// Example: licenseCaps.talk 3; Dialpad has 2 active talk users and 1 suspended one; the plan creates a@, b@ and c@
// with talk. The suspended user holds no seat, so a@ takes the 3rd seat; b@ and c@ would make 4 and 5: both are
// held (their whole user plans move to plan.withheld), and a@ is created.
import { DIALPAD_LICENSES, type DialpadLicense, type DialpadUser } from '../../dialpad/types.js';
import type { SafetyPassResult } from './held-back.js';
import { holdUsers, seatDemands } from './seat-demand.js';
import type { Plan, UserPlan } from '../types.js';

/** Dialpad users that hold a license seat now. */
function holdsSeat(user: DialpadUser): boolean {
  return user.state === 'active' || user.state === 'pending';
}

/**
 * Counts, per capped license, the Dialpad users holding it now (active or pending, managed or not), then walks
 * the planned creates and reactivations in email order: each one that would make the count exceed the cap is
 * held (its whole user plan leaves the plan and is listed in plan.withheld). `held` is always null.
 */
export function capLicenses(
  plan: Plan,
  options: {
    /** License → most users holding it (safety.licenseCaps); a license left out has no cap. */
    caps: Partial<Record<DialpadLicense, number>>;
    /** Every Dialpad user the run read, managed or not. */
    dialpadUsers: readonly DialpadUser[];
  },
): SafetyPassResult {
  const capped = Object.entries(options.caps).filter((entry): entry is [DialpadLicense, number] => entry[1] !== undefined);
  if (capped.length === 0) return { plan, held: null };
  const caps = new Map(capped);
  const inUse = new Map<DialpadLicense, number>();
  const seen = new Set<string>();
  for (const user of options.dialpadUsers) {
    if (seen.has(user.id) || !holdsSeat(user)) continue;
    seen.add(user.id);
    const license = user.license as DialpadLicense;
    if (caps.has(license)) inUse.set(license, (inUse.get(license) ?? 0) + 1);
  }
  const held = new Map<UserPlan, string>();
  for (const demand of seatDemands(plan, options.dialpadUsers, DIALPAD_LICENSES)) {
    const cap = caps.get(demand.license);
    if (cap === undefined) continue;
    const used = inUse.get(demand.license) ?? 0;
    if (used + 1 > cap) {
      held.set(
        demand.user,
        `held back by licenseCaps.${demand.license}: ${used} ${demand.license} users already active or planned, the cap is ${cap} (raise licenseCaps.${demand.license} to let the ${demand.kind} through)`,
      );
      continue;
    }
    inUse.set(demand.license, used + 1);
  }
  return { plan: holdUsers(plan, held), held: null };
}
