// License caps (`licenseCaps: {talk: 200}`): creates, reactivations and license changes that would take a license
// past its cap are held with the reason, instead of Dialpad silently billing more seats. Pure: the Dialpad users come in.
//
// Example: licenseCaps.talk 3; Dialpad has 2 active talk users and 1 suspended one; the plan creates a@, b@ and c@
// with talk. The suspended user holds no seat, so a@ takes the 3rd seat; b@ and c@ would make 4 and 5: both are
// held (their whole user plans move to plan.withheld), and a@ is created. A license change (Okta's licenseType of
// an active user changed) past the cap holds only the license field: the user's other changes go on. Seats the
// plan's license changes give back count first (seat-demand.ts), so a swap between two capped licenses passes.
//
// A targeted run (an incremental cycle, an event hook) reads only the Dialpad users its Okta users can touch: it
// cannot count seats from them, so the shell counts the holders of each capped license from the full listing
// (licenseHoldersNeeded says when) and hands the counts in as `holders`.
import { DIALPAD_LICENSES, type DialpadLicense, type DialpadUser } from '../../dialpad/types.js';
import type { SafetyPassResult } from './held-back.js';
import { demandsPastTheirPools, holdDemands, holdsSeat, seatDemands, type SeatDemand, type SeatPool } from './seat-demand.js';
import type { Plan } from '../types.js';

/** The caps configured (safety.licenseCaps), license → most holders; empty when none is. */
function configuredCaps(caps: Partial<Record<DialpadLicense, number>>): Map<DialpadLicense, number> {
  return new Map(Object.entries(caps).filter((entry): entry is [DialpadLicense, number] => entry[1] !== undefined));
}

/**
 * License → Dialpad users holding a seat of it now (active or pending), each counted once by id, for the capped
 * licenses of `caps` only (a capped license nobody holds counts 0). Pure.
 */
export function countLicenseHolders(dialpadUsers: readonly DialpadUser[], caps: Partial<Record<DialpadLicense, number>>): Partial<Record<DialpadLicense, number>> {
  const capped = configuredCaps(caps);
  const counts: Partial<Record<DialpadLicense, number>> = Object.fromEntries([...capped.keys()].map((license) => [license, 0]));
  const seen = new Set<string>();
  for (const user of dialpadUsers) {
    if (seen.has(user.id) || !holdsSeat(user)) continue;
    seen.add(user.id);
    const license = user.license as DialpadLicense;
    if (capped.has(license)) counts[license] = (counts[license] ?? 0) + 1;
  }
  return counts;
}

/**
 * Whether the plan creates, reactivates or changes a user to a capped license: only then does a run whose Dialpad side is
 * not the full listing (a targeted run) need the holders counted from the full listing. Pure.
 */
export function licenseHoldersNeeded(plan: Plan, dialpadUsers: readonly DialpadUser[], caps: Partial<Record<DialpadLicense, number>>): boolean {
  const capped = configuredCaps(caps);
  if (capped.size === 0) return false;
  return seatDemands(plan, dialpadUsers, DIALPAD_LICENSES).some((demand) => capped.has(demand.license));
}

/**
 * Counts, per capped license, the Dialpad users holding it now (active or pending, managed or not), then walks
 * the planned creates, reactivations and license changes in email order (the seats license changes give back
 * counted first): each one that would make the count exceed the cap is held — a create or reactivation with its
 * whole user plan, a license change alone (the license field of the update) — and listed in plan.withheld.
 * `held` is always null.
 */
export function capLicenses(
  plan: Plan,
  options: {
    /** License → most users holding it (safety.licenseCaps); a license left out has no cap. */
    caps: Partial<Record<DialpadLicense, number>>;
    /** Every Dialpad user the run read, managed or not. */
    dialpadUsers: readonly DialpadUser[];
    /**
     * Holders per capped license counted from the full Dialpad listing (countLicenseHolders), for a run that read
     * only some Dialpad users; absent: counted from `dialpadUsers`.
     */
    holders?: Partial<Record<DialpadLicense, number>>;
  },
): SafetyPassResult {
  const caps = configuredCaps(options.caps);
  if (caps.size === 0) return { plan, held: null };
  const counted = options.holders ?? countLicenseHolders(options.dialpadUsers, options.caps);
  const poolOf = (license: DialpadLicense): SeatPool | null => {
    const cap = caps.get(license);
    return cap === undefined ? null : { key: license, free: cap - (counted[license] ?? 0) };
  };
  const demands = seatDemands(plan, options.dialpadUsers, DIALPAD_LICENSES);
  const past = demandsPastTheirPools(demands, { takes: (d) => poolOf(d.license), gives: (d) => (d.frees ? poolOf(d.frees.license) : null) });
  const held = new Map<SeatDemand, string>();
  for (const [demand, left] of past) {
    const cap = caps.get(demand.license) ?? 0;
    const why = `licenseCaps.${demand.license}: ${cap - left} ${demand.license} users already active or planned, the cap is ${cap}`;
    held.set(
      demand,
      demand.kind === 'license_change'
        ? `license change from ${demand.frees?.license ?? 'none'} to ${demand.license} held back by ${why} (raise licenseCaps.${demand.license} to let it through)`
        : `held back by ${why} (raise licenseCaps.${demand.license} to let the ${demand.kind} through)`,
    );
  }
  return { plan: holdDemands(plan, held), held: null };
}
