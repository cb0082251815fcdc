// The shell half of the safety passes: it reads what the pure pipeline (plan/safety/pipeline.ts) judges a plan by —
// failure records, the active systemic causes, the last healthy listing, the offices' free lines, the repin
// history, the approvals that count now — and nothing else. A run (dry or not) and `dialsync explain` read the facts here and call the same
// applySafety, so a dry run and explain show exactly what an apply would hold back.
import type { DialpadGateway } from '../dialpad/types.js';
import { countLicenseHolders, licenseHoldersNeeded } from '../plan/safety/license-caps.js';
import { seatCheckOffices, type SafetyFacts } from '../plan/safety/pipeline.js';
import type { Safety } from '../plan/safety/safety.js';
import type { Plan, PlanInput, Rules } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import type { Store } from '../store/store.js';
import { readAvailableLicenses } from './read-sides.js';
import { fingerprintUsers } from './user-fingerprint.js';

/**
 * Reads the safety facts for a calculated plan. `plan` is the planner's plan (before any pass): its users decide
 * whose Okta data is fingerprinted, and its creates, reactivations and license changes which offices' free lines are read (GET
 * /offices/{id}/available_licenses; an office that cannot be read is reported in freeLines.unreadable, not thrown).
 * A targeted run (input.onlyOktaUserIds set) reads no last healthy listing and no repin history: the health gates
 * do not judge it. A run whose Dialpad side is not the full listing (a targeted run: no listingGaps) and whose plan
 * creates, reactivates or changes a user to a capped license lists every Dialpad user (GET /users) to count that license's
 * holders: the caps cannot be judged from the few users it read. Throws what the store throws, and DialpadError
 * when that listing fails.
 */
export async function readSafetyFacts(args: {
  input: PlanInput;
  plan: Plan;
  rules: Rules;
  safety: Safety;
  store: Store;
  dialpad: DialpadGateway;
  /** --allow-mass-changes on the command line: lets the health gates and the mass-change guard through. */
  allowMassChanges: boolean;
  /** The run's clock: approvals that expired by now do not count. Default: the time of the call. */
  now?: Date;
}): Promise<SafetyFacts> {
  const { input, plan, rules, safety, store, dialpad } = args;
  const targeted = input.onlyOktaUserIds !== null;
  // Only users the plan acts on can be quarantined or fail: nobody else needs a fingerprint.
  const fingerprints = fingerprintUsers(input, rules, new Set(plan.users.map(userKeyOf)));
  const failures = await store.userErrors.quarantined(safety.quarantineAfter);
  const systemicCodes = failures.length === 0 ? undefined : new Set((await store.systemicFailures.active()).map((cause) => cause.code));
  const last = targeted ? null : await store.runs.lastSuccessful();
  // After `dialsync repin` moved the store to another Dialpad company, its links point into the old one: none of
  // them is listed, and a person has just confirmed that. Runs are let through until one has applied its plan.
  const repinned = !targeted && input.listingGaps !== undefined && (await movedToAnotherDialpadCompany(store));
  const facts: Omit<SafetyFacts, 'freeLines'> = {
    input,
    failures,
    fingerprints,
    ...(systemicCodes ? { systemicCodes } : {}),
    lastHealthyAssignments: last?.listedAssignments ?? null,
    repinned,
    allowMassChanges: args.allowMassChanges,
    // Read only: expired approvals are marked so by an applying run (reconcile), never by a dry run or explain.
    approvals: await store.held.approvals(args.now ?? new Date()),
    ...(await readLicenseHolders(input, plan, safety, dialpad)),
  };
  const offices = seatCheckOffices(plan, facts, safety);
  const freeLines = offices.length > 0 ? await readAvailableLicenses(dialpad, offices) : { available: {}, unreadable: {} };
  return { ...facts, freeLines };
}

/** The full listing's holders of each capped license, when the run read only some Dialpad users and needs them. */
async function readLicenseHolders(input: PlanInput, plan: Plan, safety: Safety, dialpad: DialpadGateway): Promise<Pick<SafetyFacts, 'licenseHolders'>> {
  const readTheFullListing = input.listingGaps !== undefined;
  if (readTheFullListing || !licenseHoldersNeeded(plan, input.dialpadUsers, safety.licenseCaps)) return {};
  const listing = await dialpad.listUsers();
  return { licenseHolders: countLicenseHolders(listing.users, safety.licenseCaps) };
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
