// The safety passes between planning and applying, in this order: quarantine, license caps, seat check, source
// health gate, Dialpad health gate, mass-change guard. The shell half: it reads what the pure passes (src/plan/) need (failure
// records, the last healthy listing, the offices' free lines) and runs them. A dry run runs them too, so it
// shows exactly what an apply would hold back.
import type { DialpadGateway } from '../dialpad/types.js';
import { gateOnDialpadHealth } from '../plan/dialpad-health-gate.js';
import type { HeldBack } from '../plan/held-back.js';
import { capLicenses } from '../plan/license-caps.js';
import { guardMassChanges } from '../plan/mass-change-guard.js';
import { listingGapWarnings } from '../plan/listing-gaps.js';
import { quarantine } from '../plan/quarantine.js';
import { userKeyOf } from '../plan/user-key.js';
import type { Safety } from '../plan/safety.js';
import { checkSeats, officesNeedingSeats } from '../plan/seat-check.js';
import { gateOnSourceHealth, sourceHealthProblem } from '../plan/source-health-gate.js';
import type { Plan, PlanInput, PlanWarning, Rules } from '../plan/types.js';
import type { Store } from '../store/store.js';
import { readAvailableLicenses } from './read-sides.js';
import { fingerprintUsers } from './user-fingerprint.js';

export interface SafetyOutcome {
  plan: Plan;
  /** What the source health gate and the mass-change guard held back (the CLI exits 5 when not empty). */
  held: HeldBack[];
  /** userKey → fingerprint of the user's Okta data, stored with failures. */
  fingerprints: Map<string, string>;
  /** Assignments of this run's full listing when the source health gate accepted it (the next run's baseline); else null. */
  listedAssignments: number | null;
}

export async function runSafetyChecks(args: {
  input: PlanInput;
  plan: Plan;
  rules: Rules;
  safety: Safety;
  store: Store;
  dialpad: DialpadGateway;
  /** --allow-mass-changes on the command line: lets both the mass-change guard and the source health gate through. */
  allowMassChanges: boolean;
  officeNames: Record<string, string>;
}): Promise<SafetyOutcome> {
  const { input, rules, safety, store, dialpad } = args;
  let plan = args.plan;
  const gapWarnings = listingGapWarnings(input.listingGaps);
  if (gapWarnings.length > 0) plan = { ...plan, warnings: [...plan.warnings, ...gapWarnings] };

  // Only users the plan acts on can be quarantined or fail: nobody else needs a fingerprint.
  const fingerprints = fingerprintUsers(input, rules, new Set(plan.users.map(userKeyOf)));
  const failures = await store.userErrors.quarantined(safety.quarantineAfter);
  const systemicCodes = failures.length === 0 ? undefined : new Set((await store.systemicFailures.active()).map((cause) => cause.code));
  plan = quarantine(plan, { after: safety.quarantineAfter, failures, fingerprints, ...(systemicCodes ? { systemicCodes } : {}) });

  plan = capLicenses(plan, { caps: safety.licenseCaps, dialpadUsers: input.dialpadUsers });

  if (safety.checkAvailableLicenses && !safety.allowBuyingSeats) {
    const offices = officesNeedingSeats(plan, input.dialpadUsers);
    if (offices.length > 0) {
      const { available, unreadable } = await readAvailableLicenses(dialpad, offices);
      plan = checkSeats(plan, { available, dialpadUsers: input.dialpadUsers, officeNames: args.officeNames });
      const warnings: PlanWarning[] = Object.entries(unreadable).map(([officeId, message]) => ({
        oktaUserId: null,
        email: null,
        message: `free license lines of office "${args.officeNames[officeId] ?? officeId}" could not be read (${message}): creates there are not checked for seats`,
      }));
      if (warnings.length > 0) plan = { ...plan, warnings: [...plan.warnings, ...warnings] };
    }
  }

  const targeted = input.onlyOktaUserIds !== null;
  const managedUsers = input.links.length;
  // Rejected assignments are still assignments: a listing of unreadable users is not an empty one.
  const assignments = input.assignments.length + input.rejectedAssignments.length;
  const last = targeted ? null : await store.runs.lastSuccessful();
  const gaps = input.listingGaps;
  const health = {
    assignments,
    managedUsers,
    lastHealthyAssignments: last?.listedAssignments ?? null,
    minFraction: safety.sourceHealthMinFraction,
    targeted,
    allow: args.allowMassChanges,
    ...(gaps ? { leftOut: { stillAssigned: gaps.oktaStillAssigned.length, unconfirmed: gaps.oktaUnconfirmed } } : {}),
  };
  const held: HeldBack[] = [];
  const gate = gateOnSourceHealth(plan, health);
  plan = gate.plan;
  if (gate.held) held.push(gate.held);

  // After `dialsync repin` moved the store to another Dialpad company, its links point into the old one: none of
  // them is listed, and a person has just confirmed that. Runs are let through until one has applied its plan.
  const repinned = !targeted && gaps !== undefined && (await movedToAnotherDialpadCompany(store));
  const dialpadGate = gateOnDialpadHealth(plan, {
    gaps,
    links: input.links,
    minFraction: safety.sourceHealthMinFraction,
    targeted,
    allow: args.allowMassChanges || repinned,
  });
  plan = dialpadGate.plan;
  if (dialpadGate.held) held.push(dialpadGate.held);

  const guard = guardMassChanges(plan, {
    managedUsers,
    thresholds: { suspend: safety.massSuspend, delete: safety.massDelete },
    allow: args.allowMassChanges || safety.allowMassChanges,
  });
  plan = guard.plan;
  if (guard.held) held.push(guard.held);

  const healthy = sourceHealthProblem(health) === null || args.allowMassChanges;
  return { plan, held, fingerprints, listedAssignments: !targeted && healthy ? assignments : null };
}

/**
 * Whether the Dialpad company pin in force was set by `dialsync repin` to another company (or to the first one of a
 * store from before pinning) after the last full run that applied its plan: no run has acted in the new company yet.
 */
async function movedToAnotherDialpadCompany(store: Store): Promise<boolean> {
  const [current, previous] = await store.tenantPins.history(2);
  if (current === undefined || current.reason !== 'repin') return false;
  if (previous !== undefined && previous.dialpadCompanyId === current.dialpadCompanyId) return false;
  const lastApplied = await store.runs.lastSuccessful(undefined, { applied: true });
  return lastApplied === null || lastApplied.startedAt < current.pinnedAt;
}
