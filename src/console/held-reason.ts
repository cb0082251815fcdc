// A held action's reason as the console shows it: the gate's finding and the action's own reason, without the
// command-line ways out the run prints (the console's own way is the Approve button beside it).
import { DIALPAD_HEALTH_RELEASE } from '../plan/safety/dialpad-health-gate.js';
import { MASS_CHANGE_RELEASE } from '../plan/safety/mass-change-guard.js';
import { SOURCE_HEALTH_RELEASE } from '../plan/safety/source-health-gate.js';

/** The release advice each run-wide gate puts between its finding and the action's reason (see withholdRetiring). */
const RELEASE_ADVICE = [`; to let them through, ${MASS_CHANGE_RELEASE}: `, `; ${SOURCE_HEALTH_RELEASE}: `, `; ${DIALPAD_HEALTH_RELEASE}: `];

/**
 * `reason` (a held or withheld action's, as the plan and the store keep it) with a gate's release advice replaced
 * by " — ": "held back by the mass-change guard: 12 suspends planned (...) — unassigned from the app". Any other
 * text is returned as it is.
 */
export function consoleReason(reason: string): string {
  for (const advice of RELEASE_ADVICE) {
    const at = reason.indexOf(advice);
    if (at >= 0) return `${reason.slice(0, at)} — ${reason.slice(at + advice.length)}`;
  }
  return reason;
}
