// The safety pipeline: every pass between the planner and the apply step, in the order a run takes them —
// quarantine, license caps, seat check, source health gate, Dialpad health gate, mass-change guard — after the
// listing-gap warnings. A run, a dry run and `dialsync explain` all call applySafety with the facts the shell read
// (reconcile/read-safety-facts.ts), so none of them can hold back something the others let through.
//
// Example: 100 managed users, licenseCaps.talk 3 with 2 talk users active, a plan that creates a@ and b@ (talk) and
// suspends 12 users. No failure records: quarantine holds nobody. The cap lets a@ take the 3rd seat and holds b@.
// New York has free lines: the seat check holds nobody. The listing is healthy: both health gates pass. 12 suspends
// are more than 10 and more than 5 % of 100: the mass-change guard holds them. The result applies a@'s create,
// lists b@'s user plan and the 12 suspends in plan.withheld, and `held` is the guard's one paragraph (the CLI exits 5).
import type { DialpadAvailableLicenses, DialpadLicense } from '../../dialpad/types.js';
import type { Plan, PlanInput } from '../types.js';
import { gateOnDialpadHealth } from './dialpad-health-gate.js';
import type { Approval, HeldBack, SafetyPassResult } from './held-back.js';
import { capLicenses } from './license-caps.js';
import { listingGapWarnings } from './listing-gaps.js';
import { guardMassChanges } from './mass-change-guard.js';
import { quarantine, type FailureRecord } from './quarantine.js';
import type { Safety } from './safety.js';
import { checkSeats, officesNeedingSeats } from './seat-check.js';
import { gateOnSourceHealth, sourceHealthProblem, type SourceHealthInput } from './source-health-gate.js';

/** What the passes judge a plan by: the planner's own input, and what the shell read from the store and Dialpad. */
export interface SafetyFacts {
  /** The part of the planner's input the passes read (a targeted run has onlyOktaUserIds set). */
  input: Pick<PlanInput, 'assignments' | 'rejectedAssignments' | 'dialpadUsers' | 'links' | 'offices' | 'onlyOktaUserIds' | 'listingGaps'>;
  /** Failure records of the users failing in at least safety.quarantineAfter runs in a row. */
  failures: readonly FailureRecord[];
  /** userKey → fingerprint of the user's Okta data now (at least for the users the plan acts on). */
  fingerprints: ReadonlyMap<string, string>;
  /** Codes of the systemic causes active now; absent when nobody has failure records. */
  systemicCodes?: ReadonlySet<string>;
  /**
   * Free license lines of the offices seatCheckOffices named (GET /offices/{id}/available_licenses), and the
   * offices whose lines could not be read (id → message). Both empty when nothing needed reading.
   */
  freeLines: { available: Readonly<Record<string, DialpadAvailableLicenses>>; unreadable: Readonly<Record<string, string>> };
  /** Assignments in the last full listing the source health gate accepted; null when none, and in a targeted run. */
  lastHealthyAssignments: number | null;
  /** `dialsync repin` moved the store to another Dialpad company and no run has applied since: the Dialpad health gate lets the run through. */
  repinned: boolean;
  /** --allow-mass-changes on the command line: lets the health gates and the mass-change guard through. */
  allowMassChanges: boolean;
  /**
   * The approvals that count now (approved, not expired): when a run-wide gate holds, exactly these (user, kind)
   * actions pass it, each marked with who approved it; anything else it would hold is held as before.
   */
  approvals: readonly Approval[];
  /**
   * Holders per capped license counted from the full Dialpad listing, read when the run's own Dialpad side is not
   * that listing (a targeted run) and its plan takes a capped license; absent otherwise (the caps count the input).
   */
  licenseHolders?: Partial<Record<DialpadLicense, number>>;
}

/** The plan a run applies, and the run-wide holds it reports (empty when nothing: otherwise the CLI exits 5). */
export interface SafetyResult {
  plan: Plan;
  held: HeldBack[];
}

/** The facts the passes before the seat check need: everything but the free lines (read for their result). */
type FactsBeforeSeats = Omit<SafetyFacts, 'freeLines'>;
type Pass<F> = (plan: Plan, facts: F, safety: Safety) => SafetyPassResult;

const quarantined: Pass<FactsBeforeSeats> = (plan, facts, safety) =>
  quarantine(plan, {
    after: safety.quarantineAfter,
    failures: facts.failures,
    fingerprints: facts.fingerprints,
    ...(facts.systemicCodes ? { systemicCodes: facts.systemicCodes } : {}),
  });

const capped: Pass<FactsBeforeSeats> = (plan, facts, safety) =>
  capLicenses(plan, { caps: safety.licenseCaps, dialpadUsers: facts.input.dialpadUsers, ...(facts.licenseHolders ? { holders: facts.licenseHolders } : {}) });

const seatsChecked: Pass<SafetyFacts> = (plan, facts, safety) =>
  checksSeats(safety)
    ? checkSeats(plan, { ...facts.freeLines, dialpadUsers: facts.input.dialpadUsers, officeNames: officeNamesOf(facts) })
    : { plan, held: null };

const sourceGated: Pass<SafetyFacts> = (plan, facts, safety) => gateOnSourceHealth(plan, { ...sourceHealthInput(facts, safety), approvals: facts.approvals });

const dialpadGated: Pass<SafetyFacts> = (plan, facts, safety) =>
  gateOnDialpadHealth(plan, {
    gaps: facts.input.listingGaps,
    links: facts.input.links,
    minFraction: safety.sourceHealthMinFraction,
    targeted: isTargeted(facts),
    allow: facts.allowMassChanges || facts.repinned,
    approvals: facts.approvals,
  });

const massGuarded: Pass<SafetyFacts> = (plan, facts, safety) =>
  guardMassChanges(plan, {
    managedUsers: facts.input.links.length,
    thresholds: { suspend: safety.massSuspend, delete: safety.massDelete },
    allow: facts.allowMassChanges || safety.allowMassChanges,
    approvals: facts.approvals,
  });

/** The passes before the seat check: they decide which offices' free lines the shell reads. */
const BEFORE_SEATS: readonly Pass<FactsBeforeSeats>[] = [quarantined, capped];
const FROM_SEATS: readonly Pass<SafetyFacts>[] = [seatsChecked, sourceGated, dialpadGated, massGuarded];

/**
 * Runs every safety pass over the planner's plan, in the run's order, and returns the plan to apply with the
 * run-wide holds. Pure: the same plan, facts and settings always give the same result. Throws nothing.
 */
export function applySafety(plan: Plan, facts: SafetyFacts, safety: Safety): SafetyResult {
  const gapWarnings = listingGapWarnings(facts.input.listingGaps);
  let current = gapWarnings.length > 0 ? { ...plan, warnings: [...plan.warnings, ...gapWarnings] } : plan;
  const held: HeldBack[] = [];
  for (const pass of [...BEFORE_SEATS, ...FROM_SEATS]) {
    const result = pass(current, facts, safety);
    current = result.plan;
    if (result.held) held.push(result.held);
  }
  return { plan: current, held };
}

/**
 * The offices whose free lines the seat check will need (sorted ids): those a create, reactivation or license change lands in once
 * quarantine and the license caps have run. Empty when the settings turn the seat check off.
 */
export function seatCheckOffices(plan: Plan, facts: FactsBeforeSeats, safety: Safety): string[] {
  if (!checksSeats(safety)) return [];
  let current = plan;
  for (const pass of BEFORE_SEATS) current = pass(current, facts, safety).plan;
  return officesNeedingSeats(current, facts.input.dialpadUsers);
}

/**
 * The assignments of this run's listing when the source health gate accepted it (or --allow-mass-changes
 * confirmed it): the next run's baseline. null in a targeted run, which lists nobody in full.
 */
export function healthyListedAssignments(facts: SafetyFacts, safety: Safety): number | null {
  if (isTargeted(facts)) return null;
  const input = sourceHealthInput(facts, safety);
  return sourceHealthProblem(input) === null || facts.allowMassChanges ? input.assignments : null;
}

/** Whether the seat check judges plans under these settings: free lines are checked and buying seats is not allowed. */
export function checksSeats(safety: Safety): boolean {
  return safety.checkAvailableLicenses && !safety.allowBuyingSeats;
}

/** A targeted run (--user, incremental, hook) reads its users one by one: the health gates do not judge it. */
function isTargeted(facts: Pick<SafetyFacts, 'input'>): boolean {
  return facts.input.onlyOktaUserIds !== null;
}

function officeNamesOf(facts: SafetyFacts): Record<string, string> {
  return Object.fromEntries(facts.input.offices.map((office) => [office.id, office.name]));
}

function sourceHealthInput(facts: SafetyFacts, safety: Safety): SourceHealthInput {
  const { input } = facts;
  const gaps = input.listingGaps;
  return {
    // Rejected assignments are still assignments: a listing of unreadable users is not an empty one.
    assignments: input.assignments.length + input.rejectedAssignments.length,
    managedUsers: input.links.length,
    lastHealthyAssignments: facts.lastHealthyAssignments,
    minFraction: safety.sourceHealthMinFraction,
    targeted: isTargeted(facts),
    allow: facts.allowMassChanges,
    ...(gaps ? { leftOut: { stillAssigned: gaps.oktaStillAssigned.length, unconfirmed: gaps.oktaUnconfirmed } } : {}),
  };
}
