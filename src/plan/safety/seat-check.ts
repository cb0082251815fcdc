// The seat check: Dialpad bills a new seat when an office has no free line for a create, a reactivation or a
// license change to a license of another line (talk → agents takes a sell line and gives back a talk line).
// Given each office's free lines (GET /offices/{id}/available_licenses, read before applying), the planned
// creates, reactivations and license changes that would need a line the office has not got are held ("would buy a
// seat") unless safety.allowBuyingSeats is true; a license change held keeps the user's other changes.
//
// Example: the plan creates a@ and b@ (talk) in New York and c@ (agents) there too; New York has 1 talk line and 0
// sell lines free. a@ (first in email order) takes the talk line; b@ would buy a seat and c@ would buy a sell seat:
// both are held. An office whose free lines could not be read is not checked, and the plan warns about it.
// Lines the plan's license changes give back count first (seat-demand.ts): a swap within one office passes.
import { DIALPAD_LICENSES, type DialpadAvailableLicenses, type DialpadLicense, type DialpadUser } from '../../dialpad/types.js';
import type { SafetyPassResult } from './held-back.js';
import { demandsPastTheirPools, holdDemands, seatDemands, type SeatDemand, type SeatPool } from './seat-demand.js';
import type { Plan, PlanWarning } from '../types.js';

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

/** Whether a demand needs a line: a license change to a license of the same line needs none (its own stays). */
function takesLine(demand: SeatDemand): boolean {
  return demand.kind !== 'license_change' || demand.frees === null || lineOf(demand.frees.license) !== lineOf(demand.license);
}

/**
 * Offices whose free lines the seat check needs: those a planned create, reactivation or license change to another
 * line lands in (the user's office after any move).
 */
export function officesNeedingSeats(plan: Plan, dialpadUsers: readonly DialpadUser[]): string[] {
  return [...new Set(seatDemands(plan, dialpadUsers, DIALPAD_LICENSES).filter(takesLine).map((d) => d.officeId))].sort();
}

/**
 * Walks the planned creates, reactivations and license changes in email order (the lines license changes give
 * back counted first), each taking one free line of its office; one that finds none left is held, "would buy a
 * seat" (a create or reactivation with its whole user plan, a license change alone), and listed in plan.withheld.
 * Each office in
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
  const poolOf = (officeId: string | null, license: DialpadLicense): SeatPool | null => {
    if (officeId === null) return null;
    const line = lineOf(license);
    const free = Object.hasOwn(options.available, officeId) ? options.available[officeId]?.[line] : undefined;
    return free === undefined || free === null ? null : { key: `${officeId}:${line}`, free };
  };
  const demands = seatDemands(plan, options.dialpadUsers, DIALPAD_LICENSES).filter(takesLine);
  const past = demandsPastTheirPools(demands, {
    takes: (d) => poolOf(d.officeId, d.license),
    gives: (d) => (d.frees ? poolOf(d.frees.officeId, d.frees.license) : null),
  });
  const held = new Map<SeatDemand, string>();
  for (const demand of past.keys()) {
    const office = options.officeNames?.[demand.officeId] ?? demand.officeId;
    const why = `would buy a seat (office "${office}" has no ${LINE_NAMES[lineOf(demand.license)]} left for ${demand.license}; add lines in Dialpad, or set safety.allowBuyingSeats: true)`;
    held.set(demand, demand.kind === 'license_change' ? `license change from ${demand.frees?.license ?? 'none'} to ${demand.license} held back: ${why}` : `held back: ${why}`);
  }
  const checked = holdDemands(plan, held);
  const warnings: PlanWarning[] = Object.entries(options.unreadable ?? {}).map(([officeId, message]) => ({
    oktaUserId: null,
    email: null,
    message: `free license lines of office "${options.officeNames?.[officeId] ?? officeId}" could not be read (${message}): creates there are not checked for seats`,
  }));
  return { plan: warnings.length > 0 ? { ...checked, warnings: [...checked.warnings, ...warnings] } : checked, held: null };
}
