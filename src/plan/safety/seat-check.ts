// The seat check: Dialpad bills a new seat when an office has no free line for a create or a reactivation.
// Given each office's free lines (GET /offices/{id}/available_licenses, read before applying), the planned
// creates and reactivations that would need a line the office has not got are held ("would buy a seat")
// unless safety.allowBuyingSeats is true.
//
// Example: the plan creates a@ and b@ (talk) in New York and c@ (agents) there too; New York has 1 talk line and 0
// sell lines free. a@ (first in email order) takes the talk line; b@ would buy a seat and c@ would buy a sell seat:
// both are held. An office whose free lines could not be read is not checked, and the plan warns about it.
import { DIALPAD_LICENSES, type DialpadAvailableLicenses, type DialpadLicense, type DialpadUser } from '../../dialpad/types.js';
import type { SafetyPassResult } from './held-back.js';
import { holdUsers, seatDemands } from './seat-demand.js';
import type { Plan, PlanWarning, UserPlan } from '../types.js';

/** A plan line of an office (GET /offices/{id}/available_licenses): talk, sell or contact-center. */
export type LicenseLine = keyof DialpadAvailableLicenses;

/** The plan line a license consumes (talk, lite_lines, magenta_lines, admins, dpde_*: talk lines). */
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

/**
 * Walks the planned creates and reactivations in email order, each taking one free line of its office; one that
 * finds none left is held (its whole user plan moves to plan.withheld, "would buy a seat"). Each office in
 * `unreadable` adds a plan warning that its creates were not checked. `held` is always null.
 */
export function checkSeats(
  plan: Plan,
  options: {
    /** Office id → its free lines; an office missing here, or a null count, is unknown and allowed. */
    available: Readonly<Record<string, DialpadAvailableLicenses>>;
    /** Office id → why its free lines could not be read (the shell's error message, no secret in it). */
    unreadable?: Readonly<Record<string, string>>;
    dialpadUsers: readonly DialpadUser[];
    officeNames?: Readonly<Record<string, string>>;
  },
): SafetyPassResult {
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
  const checked = holdUsers(plan, held);
  const warnings: PlanWarning[] = Object.entries(options.unreadable ?? {}).map(([officeId, message]) => ({
    oktaUserId: null,
    email: null,
    message: `free license lines of office "${options.officeNames?.[officeId] ?? officeId}" could not be read (${message}): creates there are not checked for seats`,
  }));
  return { plan: warnings.length > 0 ? { ...checked, warnings: [...checked.warnings, ...warnings] } : checked, held: null };
}
