// The seat check: Dialpad bills a new seat when an office has no free line for a create or a reactivation.
// Given each office's free lines (GET /offices/{id}/available_licenses, read before applying), the planned
// creates and reactivations that would need a line the office has not got are held ("would buy a seat")
// unless safety.allowBuyingSeats is true.
import { DIALPAD_LICENSES, type DialpadAvailableLicenses, type DialpadLicense, type DialpadUser } from '../dialpad/types.js';
import { holdUsers, seatDemands } from './seat-demand.js';
import type { Plan, UserPlan } from './types.js';

export type LicenseLine = keyof DialpadAvailableLicenses;

/** The plan line a license consumes. */
export function lineOf(license: DialpadLicense): LicenseLine {
  switch (license) {
    case 'agents':
      return 'sellLines';
    case 'lite_support_agents':
      return 'contactCenterLines';
    default:
      // talk, lite_lines, magenta_lines, admins, dpde_all, dpde_one, user
      return 'talkLines';
  }
}

const LINE_NAMES: Record<LicenseLine, string> = { talkLines: 'talk_lines', sellLines: 'sell_lines', contactCenterLines: 'contact_center_lines' };

/** Offices whose free lines the seat check needs: those a planned create or reactivation lands in. */
export function officesNeedingSeats(plan: Plan, dialpadUsers: readonly DialpadUser[]): string[] {
  return [...new Set(seatDemands(plan, dialpadUsers, DIALPAD_LICENSES).map((d) => d.officeId))].sort();
}

export function checkSeats(
  plan: Plan,
  options: {
    /** Office id → its free lines; an office missing here, or a null count, is unknown and allowed. */
    available: Readonly<Record<string, DialpadAvailableLicenses>>;
    dialpadUsers: readonly DialpadUser[];
    officeNames?: Readonly<Record<string, string>>;
  },
): Plan {
  const left = new Map<string, number>();
  const held = new Map<UserPlan, string>();
  for (const demand of seatDemands(plan, options.dialpadUsers, DIALPAD_LICENSES)) {
    const free = Object.hasOwn(options.available, demand.officeId) ? options.available[demand.officeId] : undefined;
    const line = lineOf(demand.license);
    const known = free?.[line];
    if (known === undefined || known === null) continue;
    const key = `${demand.officeId}:${line}`;
    const remaining = left.get(key) ?? known;
    if (remaining <= 0) {
      const office = options.officeNames?.[demand.officeId] ?? demand.officeId;
      held.set(
        demand.user,
        `held back: would buy a seat (office "${office}" has no ${LINE_NAMES[line]} left for ${demand.license}; add lines in Dialpad, or set safety.allowBuyingSeats: true)`,
      );
      continue;
    }
    left.set(key, remaining - 1);
  }
  return holdUsers(plan, held);
}
