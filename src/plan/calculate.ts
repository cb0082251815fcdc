// The planner (like external-dns plan.Calculate): both sides and the links in, a plan out. Pure and
// deterministic: the same input gives the same plan, whatever order Okta or Dialpad listed things in.
//
// Every Okta user and every live Dialpad user is in one situation, planned by one step:
//   out of scope  assigned, but Okta holds it back (suspended, deactivated, ...)  → retire its Dialpad user
//   scoped out    assigned and active, but scope.groups or a filter leaves it out  → per scope.onOutOfScope
//   linked        in scope, linked to a live Dialpad user                          → bring that user in line
//   unlinked      in scope, no usable link                                         → adopt, relink or create
//   unassigned    linked, no assignment any more                                   → retire its Dialpad user
//   unmanaged     a live Dialpad user no link or assignment claims                 → report, never touch
// In-scope users are planned first: a re-hire may take over the Dialpad user an out-of-scope or unassigned
// Okta user would retire.
import type { DialpadUser } from '../dialpad/types.js';
import type { OktaAssignment } from '../okta/types.js';
import { planAdoptOrCreate } from './adopt-or-create.js';
import { compareText } from '../collections/compare-text.js';
import { DesiredUsersByEmail } from './desired-users-by-email.js';
import { contestedEmails, emailBlocker, settleDuplicateEmail } from './duplicate-email.js';
import { PlanBuilder } from './plan-builder.js';
import { PlanIndex } from './plan-index.js';
import { applyPolicy } from './policy.js';
import { retireOutOfScope, retireScopedOut, retireUnassigned } from './retire.js';
import { toDesiredUser } from './rules/desired-user.js';
import { NumberPool } from './rules/number-rule.js';
import { OfficeDirectory } from './rules/office-rule.js';
import { ScopeEvaluator } from './rules/scope-rule.js';
import type { DesiredUser, Link, Plan, PlanInput, Rules } from './types.js';
import { findUnmanaged } from './unmanaged.js';
import { describeRejected, unreadableDialpadSide } from './unreadable-dialpad-side.js';
import { diffExistingUser, type UserDiffContext } from './user-diff.js';

/** Which Okta users a run plans for: everyone, or only those of a targeted run (`onlyOktaUserIds`). */
class RunScope {
  private readonly only: ReadonlySet<string> | null;

  constructor(onlyOktaUserIds: readonly string[] | null) {
    this.only = onlyOktaUserIds === null ? null : new Set(onlyOktaUserIds);
  }

  get isFull(): boolean {
    return this.only === null;
  }

  wants(oktaUserId: string | null): boolean {
    return this.only === null || (oktaUserId !== null && this.only.has(oktaUserId));
  }
}

/** Where an in-scope desired user stands on the Dialpad side. */
type InScopeSituation = { kind: 'unreadable'; reason: string } | { kind: 'linked'; user: DialpadUser } | { kind: 'unlinked' };

const UNLINKED: InScopeSituation = { kind: 'unlinked' };

function situationOf(desired: DesiredUser, index: PlanIndex): InScopeSituation {
  const unreadable = unreadableDialpadSide(desired, index);
  if (unreadable !== null) return { kind: 'unreadable', reason: unreadable };
  const linked = index.liveLinkedUser(desired.oktaUserId);
  return linked ? { kind: 'linked', user: linked } : UNLINKED;
}

/**
 * The plan for one run: what to do to each Dialpad user (users, each with its actions and their reasons), who is
 * skipped and why, the unmanaged Dialpad users, and warnings; every list in a stable order, then filtered by
 * `rules.policy`. Only the Okta users of `input.onlyOktaUserIds` are planned when it is set. Pure; throws only on
 * a bug (a rule that changes its answer for the same input).
 */
export function calculatePlan(input: PlanInput, rules: Rules): Plan {
  const index = new PlanIndex(input);
  const out = new PlanBuilder();
  const scope = new RunScope(input.onlyOktaUserIds);

  // 1. What could not be read is reported, never acted on.
  for (const r of input.rejectedAssignments) {
    if (scope.wants(r.oktaUserId)) {
      out.skipped.push({ oktaUserId: r.oktaUserId, email: r.login, code: 'invalid_okta_data', reason: r.reason });
    }
  }
  if (scope.isFull) {
    for (const r of input.rejectedDialpadUsers ?? []) out.warn(null, r.emails?.[0] ?? null, [`${describeRejected(r)}: it is not acted on`]);
  }

  // 2. Each assignment, by Okta id: in scope, the rules make it a desired user (or skip it); out of scope, it waits.
  const offices = new OfficeDirectory(input.offices, rules);
  const desired = new DesiredUsersByEmail(offices, rules);
  const outOfScope: OktaAssignment[] = [];
  const scoping = new ScopeEvaluator(rules.scope, input.scopeGroups);
  const scopedOut: { assignment: OktaAssignment; reason: string }[] = [];
  for (const assignment of index.assignments.items) {
    if (!scope.wants(assignment.oktaUserId)) continue;
    if (!rules.inScopeStatuses.includes(assignment.status)) {
      outOfScope.push(assignment);
      continue;
    }
    // Left out by scope.groups or a filter: treated as unassigned (step 4), never created.
    const verdict = scoping.isActive ? scoping.verdict(assignment) : null;
    if (verdict !== null && !verdict.inScope) {
      scopedOut.push({ assignment, reason: verdict.reason });
      continue;
    }
    const result = toDesiredUser(assignment, offices, rules);
    if ('skipped' in result) {
      out.skipped.push(result.skipped);
      continue;
    }
    out.warnings.push(...result.warnings);
    desired.add(assignment, result.desired);
  }

  // 3. The in-scope users, in email order, so the numbers handed out do not depend on Okta's listing order.
  const diffContext: UserDiffContext = {
    rules,
    officesById: new Map(input.offices.map((o) => [o.id, o])),
    pool: new NumberPool(input.availableNumbers),
    emailBlocker: emailBlocker(contestedEmails(desired, index), index),
    scoping,
    appliedValues: input.appliedValues,
  };
  const planInScope = (user: DesiredUser): void => {
    const situation = situationOf(user, index);
    switch (situation.kind) {
      // Its linked Dialpad user, or one holding its email, came unreadable or untouchable: wait until it is whole.
      case 'unreadable':
        out.skipped.push({ oktaUserId: user.oktaUserId, email: user.email, code: 'invalid_dialpad_data', reason: situation.reason });
        return;
      // Linked: bring the Dialpad user in line (reactivate, fields, office, license, number, write-back).
      case 'linked': {
        const diff = diffExistingUser(user, situation.user, diffContext);
        out.warn(user.oktaUserId, user.email, diff.warnings);
        out.addDrift(diff);
        out.addUser({ oktaUserId: user.oktaUserId, dialpadUserId: situation.user.id, email: user.email, actions: diff.actions });
        return;
      }
      // Unlinked: adopt the Dialpad user with its primary email, take the link over from a predecessor, or create.
      case 'unlinked':
        planAdoptOrCreate(user, index, diffContext, out);
        return;
    }
  };
  desired.forEachEmail({
    alone: (position) => planInScope(desired.desiredUserAt(position)),
    // Several assigned Okta users with one email: only those already linked are planned.
    shared: (positions) => settleDuplicateEmail(positions.map((p) => desired.desiredUserAt(p)), index, out).forEach(planInScope),
  });

  // 4. Out of scope: suspend (or delete) the Dialpad user of an Okta user that is assigned but held back.
  for (const assignment of outOfScope) retireOutOfScope(assignment, index, rules, out);
  for (const { assignment, reason } of scopedOut) retireScopedOut(assignment, reason, index, rules, out);

  // 5. Unassigned: suspend (or delete) the Dialpad user of a linked Okta user with no assignment, by Okta id.
  const unassigned: Link[] = [];
  for (const link of index.linkByOkta.items) {
    if (!index.isAssigned(link.oktaUserId) && scope.wants(link.oktaUserId)) unassigned.push(link);
  }
  unassigned.sort((a, b) => compareText(a.oktaUserId, b.oktaUserId));
  for (const link of unassigned) retireUnassigned(link, index, rules, out);

  // 6. Unmanaged: live Dialpad users nobody claims are reported, never touched.
  return applyPolicy(out.toPlan(findUnmanaged(input, index, rules)), rules.policy);
}
