// Why a planned user whose sides are as planned is refused all the same because a per-user safety pass (quarantine,
// the license caps, the seat check) decides otherwise now than when `reconcile --out` made the file. Those passes
// judge what lies outside the user (the seats the rest of the company holds, the free lines of an office, the user's
// failing runs), which the fingerprints do not cover: a fresh plan passed through them can differ from the file's
// although nobody edited anything.
//
// Example: licenseCaps.agents 2; at --out time 2 agents users were active, so bob@'s license change from talk to
// agents was held and the file updates only his title. Before the apply an agents user is deactivated in Dialpad:
// the caps let bob's license change through now, the file leaves it out, and bob@ is refused with "its license
// change from talk to agents was held back when the plan was made; the license caps (licenseCaps.agents) let it
// through now". Had another agents user been added instead, still held: the plan made now is the file's, applied.
import { DIALPAD_LICENSES, type DialpadUser } from '../dialpad/types.js';
import { checksSeats } from '../plan/safety/pipeline.js';
import type { Safety } from '../plan/safety/safety.js';
import { holdDemands, seatDemandOf } from '../plan/safety/seat-demand.js';
import type { Action, UserPlan } from '../plan/types.js';
import { sameActions } from './same-actions.js';

/** What the per-user passes decide for one planned user now, and the plan they judged. */
export interface UserHoldsNow {
  /** The user's plan as the planner makes it now, before any safety pass; undefined when it plans nothing. */
  planned: UserPlan | undefined;
  /** Why quarantine holds the user now (its skipped reason); absent when it does not. */
  quarantined?: string;
  /** Why the license caps withhold (part of) the user's plan now; absent when they do not. */
  capped?: string;
  /** Why the seat check withholds (part of) the user's plan now; absent when it does not. */
  seatChecked?: string;
  /** The user's Dialpad user now, when it has one (the license its license change gives back). */
  dialpadUser?: DialpadUser;
}

/**
 * Why the file's actions for a user (`file`) differ from the plan made now because a per-user pass decides
 * otherwise now, in words naming the pass and what it decides now; null when that does not explain the difference
 * (the file was edited: ACTIONS_DIFFER). Called only for a user whose fingerprints match and whose actions after the
 * passes differ from the file's. Pure.
 * - quarantine holds the user now: said with its reason;
 * - the file holds every action planned now, and the caps or the seat check withhold some now: that pass, its reason;
 * - the file is the plan made now without its license change, and no pass holds that change now: held when the plan
 *   was made, let through now by the passes that judge it (the caps of its license, the seat check).
 */
export function heldDifferently(file: readonly Action[], now: UserHoldsNow, safety: Safety): string | null {
  if (now.quarantined !== undefined) return `quarantine holds it now, not when the plan was made: ${now.quarantined}`;
  const { planned } = now;
  if (planned === undefined) return null;
  const heldNow = now.capped !== undefined ? `the license caps hold back now what they let through when the plan was made: ${now.capped}` : now.seatChecked !== undefined ? `the seat check holds back now what it let through when the plan was made: ${now.seatChecked}` : null;
  if (heldNow !== null) return sameActions(file, planned.actions) ? `${heldNow}; make the plan again` : null;
  const usersById = new Map(now.dialpadUser === undefined ? [] : [[now.dialpadUser.id, now.dialpadUser]]);
  const demand = seatDemandOf(planned, usersById, DIALPAD_LICENSES);
  if (demand?.kind !== 'license_change') return null;
  const withoutIt = holdDemands({ users: [planned], skipped: [], unmanaged: [], warnings: [], withheld: [] }, new Map([[demand, '']])).users[0]?.actions ?? [];
  if (!sameActions(file, withoutIt)) return null;
  const judges = [
    ...(safety.licenseCaps[demand.license] === undefined ? [] : [`the license caps (licenseCaps.${demand.license})`]),
    ...(checksSeats(safety) ? ['the seat check'] : []),
  ];
  if (judges.length === 0) return null;
  const change = `its license change from ${demand.frees?.license ?? 'none'} to ${demand.license}`;
  return `${change} was held back when the plan was made; ${judges.join(' and ')} let it through now (a plan made now changes the license, the file does not); make the plan again`;
}
