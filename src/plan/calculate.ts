// The planner (like external-dns plan.Calculate): both sides and the links in, a plan out. Pure and
// deterministic: the same input gives the same plan, whatever order Okta or Dialpad listed things in.
import type { DialpadRejectedUser, DialpadUser } from '../dialpad/types.js';
import type { OktaAssignment, OktaUserFate } from '../okta/types.js';
import { readDesiredEmail, toDesiredUser } from './rules/desired-user.js';
import { compareDialpadIds } from './dialpad-id.js';
import { emailKey } from './rules/email-identity.js';
import { MultiMap } from './collections/multi-map.js';
import { NumberPool } from './rules/number-rule.js';
import { OfficeDirectory } from './rules/office-rule.js';
import { applyPolicy } from './policy.js';
import { readProfileValue } from './rules/profile-attribute.js';
import { describeOktaUser, linkHold, linkedElsewhereRemedy, type LinkHold } from './rules/relink-rule.js';
import type {
  Action,
  DesiredUser,
  Link,
  Plan,
  PlanInput,
  PlanWarning,
  Rules,
  SkippedUser,
  UnmanagedUser,
  UserPlan,
} from './types.js';
import { diffExistingUser, type UserDiffContext } from './user-diff.js';
import { planWriteBack, planWriteBackClear } from './rules/write-back-rule.js';

/** Dialpad users in these states are gone: never matched, never acted on. */
export function isGoneDialpadUser(user: DialpadUser): boolean {
  return user.state === 'deleted' || user.state === 'cancelled';
}

/** UserProto.state values the rules know; a user in any other state is listed but never acted on. */
const KNOWN_DIALPAD_STATES: ReadonlySet<string> = new Set(['active', 'pending', 'suspended', 'cancelled', 'deleted']);

/**
 * Why a live Dialpad user must not be touched although it was read: a state the rules do not know (an
 * action could mean anything), or no email at all (every Dialpad user has one, so the response is
 * broken, and an email update would overwrite the real ones). null when it may be acted on.
 */
export function untouchableReason(user: DialpadUser): string | null {
  if (!KNOWN_DIALPAD_STATES.has(user.state)) {
    return `Dialpad user ${user.id} is in state "${user.state}", which dialsync does not know: it is not touched`;
  }
  if (user.emails.length === 0) {
    return `Dialpad returned user ${user.id} without any email: it is not touched until Dialpad returns its emails`;
  }
  return null;
}

function describeRejected(user: DialpadRejectedUser): string {
  return `Dialpad user ${user.id ?? '(without an id)'}${user.emails?.[0] ? ` (${user.emails[0]})` : ''} could not be read (${user.reason})`;
}

const lower = (s: string): string => s.toLowerCase();

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lookups over the input, built once per plan. */
class PlanIndex {
  readonly usersById = new Map<string, DialpadUser>();
  readonly linkByOkta = new Map<string, Link>();
  readonly linkByDialpad = new Map<string, Link>();
  /** Live Dialpad users by the emailKey of their primary email (adoption). */
  readonly byPrimaryEmail = new MultiMap<string, DialpadUser>();
  /** Live Dialpad users by the emailKeys of their other emails (most have none: one index of 100,000 fewer). */
  readonly byOtherEmail = new MultiMap<string, DialpadUser>();
  /** Dialpad users the listing could not read, by id and by emailKey. */
  readonly rejectedById = new Map<string, DialpadRejectedUser>();
  readonly rejectedByEmail = new Map<string, DialpadRejectedUser>();

  constructor(input: PlanInput) {
    for (const rejected of input.rejectedDialpadUsers ?? []) {
      if (rejected.id !== null) this.rejectedById.set(rejected.id, rejected);
      for (const email of rejected.emails ?? []) this.rejectedByEmail.set(emailKey(email), rejected);
    }
    for (const user of input.dialpadUsers) {
      if (this.usersById.has(user.id)) continue;
      this.usersById.set(user.id, user);
      if (isGoneDialpadUser(user)) continue;
      const primary = user.emails[0];
      if (primary === undefined) continue;
      const primaryKey = emailKey(primary);
      this.byPrimaryEmail.add(primaryKey, user);
      if (user.emails.length === 1) continue;
      // Each email once per user: a user listing one address twice (in any spelling) still holds it alone.
      const others = new Set(user.emails.slice(1).map(emailKey));
      others.delete(primaryKey);
      for (const email of others) this.byOtherEmail.add(email, user);
    }
    for (const link of input.links) {
      if (!this.linkByOkta.has(link.oktaUserId)) this.linkByOkta.set(link.oktaUserId, link);
      if (!this.linkByDialpad.has(link.dialpadUserId)) this.linkByDialpad.set(link.dialpadUserId, link);
    }
  }

  /** Live Dialpad users holding the email (by emailKey): those with it as their primary first, then the others. */
  holdersOf(email: string): readonly DialpadUser[] {
    const primary = this.byPrimaryEmail.get(email);
    const other = this.byOtherEmail.get(email);
    if (other.length === 0) return primary;
    return primary.length === 0 ? other : [...primary, ...other];
  }

  /** The Dialpad user linked to an Okta user, if it still exists in Dialpad. */
  liveLinkedUser(oktaUserId: string): DialpadUser | null {
    const link = this.linkByOkta.get(oktaUserId);
    const user = link ? this.usersById.get(link.dialpadUserId) : undefined;
    return user && !isGoneDialpadUser(user) ? user : null;
  }

  /** Why a link exists but cannot be used (for the reason of a create or adopt), or null. */
  brokenLinkNote(oktaUserId: string): string | null {
    const link = this.linkByOkta.get(oktaUserId);
    if (!link) return null;
    const user = this.usersById.get(link.dialpadUserId);
    return user
      ? `the linked Dialpad user ${link.dialpadUserId} is ${user.state}`
      : `the linked Dialpad user ${link.dialpadUserId} no longer exists`;
  }
}

/** Collects the plan as it is built. */
class PlanBuilder {
  readonly users: UserPlan[] = [];
  readonly skipped: SkippedUser[] = [];
  readonly warnings: PlanWarning[] = [];
  /** Dialpad users whose link passes to a re-hire in this plan: their previous owner's suspend or delete is dropped. */
  readonly relinked = new Set<string>();

  addUser(plan: UserPlan): void {
    if (plan.actions.length > 0) this.users.push(plan);
  }

  warn(oktaUserId: string | null, email: string | null, messages: readonly string[]): void {
    for (const message of messages) this.warnings.push({ oktaUserId, email, message });
  }

  /** The plan, every list in a stable order. */
  toPlan(unmanaged: UnmanagedUser[]): Plan {
    const byEmail = (a: string | null, b: string | null): number => compareText(lower(a ?? ''), lower(b ?? ''));
    return {
      users: [...this.users].sort(
        (a, b) =>
          byEmail(a.email, b.email) ||
          compareText(a.oktaUserId ?? '', b.oktaUserId ?? '') ||
          compareDialpadIds(a.dialpadUserId ?? '', b.dialpadUserId ?? ''),
      ),
      skipped: [...this.skipped].sort(
        (a, b) => byEmail(a.email, b.email) || compareText(a.oktaUserId ?? '', b.oktaUserId ?? '') || compareText(a.code, b.code),
      ),
      unmanaged,
      // Stable sort: one user's warnings keep the order they were found in.
      warnings: [...this.warnings].sort(
        (a, b) => byEmail(a.email, b.email) || compareText(a.oktaUserId ?? '', b.oktaUserId ?? ''),
      ),
      withheld: [],
    };
  }
}

function fateReason(fate: OktaUserFate | undefined): { reason: string; deactivatedOrDeleted: boolean } {
  if (fate?.kind === 'deleted') return { reason: 'deleted in Okta', deactivatedOrDeleted: true };
  if (fate?.kind === 'exists' && fate.status === 'DEPROVISIONED') {
    return { reason: 'deactivated in Okta', deactivatedOrDeleted: true };
  }
  return { reason: 'unassigned from the app', deactivatedOrDeleted: false };
}

export function calculatePlan(input: PlanInput, rules: Rules): Plan {
  const index = new PlanIndex(input);
  const out = new PlanBuilder();
  const only = input.onlyOktaUserIds === null ? null : new Set(input.onlyOktaUserIds);
  const wanted = (oktaUserId: string | null): boolean => only === null || (oktaUserId !== null && only.has(oktaUserId));

  for (const r of input.rejectedAssignments) {
    if (wanted(r.oktaUserId)) {
      out.skipped.push({ oktaUserId: r.oktaUserId, email: r.login, code: 'invalid_okta_data', reason: r.reason });
    }
  }

  if (only === null) {
    for (const r of input.rejectedDialpadUsers ?? []) {
      out.warn(null, r.emails?.[0] ?? null, [`${describeRejected(r)}: it is not acted on`]);
    }
  }

  const firstAssignments = onePerOktaUser(input.assignments);
  const assignments = only === null ? firstAssignments : firstAssignments.filter((a) => wanted(a.oktaUserId));
  const offices = new OfficeDirectory(input.offices, rules);
  // The desired users are made here to find the skipped ones, their warnings and their emails, and made again
  // one at a time below: holding 100,000 of them at once was a large part of a big plan's memory.
  const desirable: OktaAssignment[] = [];
  const emailKeys: string[] = [];
  // Planned after the in-scope users: a re-hire may take over the Dialpad user an out-of-scope one would suspend.
  const outOfScope: OktaAssignment[] = [];
  for (const assignment of assignments) {
    if (!rules.inScopeStatuses.includes(assignment.status)) {
      outOfScope.push(assignment);
      continue;
    }
    const result = toDesiredUser(assignment, offices, rules);
    if ('skipped' in result) {
      out.skipped.push(result.skipped);
      continue;
    }
    out.warnings.push(...result.warnings);
    desirable.push(assignment);
    emailKeys.push(emailKey(result.desired.email));
  }
  const desiredOf = (i: number): DesiredUser => {
    const result = toDesiredUser(desirable[i] as OktaAssignment, offices, rules);
    if ('skipped' in result) throw new Error(`toDesiredUser changed its mind about Okta user ${result.skipped.oktaUserId}`);
    return result.desired;
  };

  // Sorted by email, users sharing one are next to each other, and what is kept comes out in email order.
  const order = emailOrder(emailKeys, desirable);
  const contestedEmails = findContestedEmails(order, emailKeys, desirable, index);
  const diffContext: UserDiffContext = {
    rules,
    officesById: new Map(input.offices.map((o) => [o.id, o])),
    pool: new NumberPool(input.availableNumbers),
    emailBlocker: (email, dialpadUserId) => {
      const key = emailKey(email);
      if (contestedEmails.has(key)) return 'several assigned Okta users have this email';
      const holder = index.holdersOf(key).find((u) => u.id !== dialpadUserId);
      return holder ? `Dialpad user ${holder.id} already has this email` : null;
    },
  };
  // A rejected assignment is still an assignment, and one rejected without an id is known by its login: none of
  // their Dialpad users may be taken for unassigned (suspended, or passed to a re-hire).
  const rejectedIds = new Set(input.rejectedAssignments.flatMap((r) => (r.oktaUserId === null ? [] : [r.oktaUserId])));
  const rejectedLogins = new Set(
    input.rejectedAssignments.flatMap((r) => (r.oktaUserId === null && r.login !== null ? [emailKey(r.login)] : [])),
  );
  const ownerAssignments = new Map((input.ownerAssignments ?? []).map((a) => [a.oktaUserId, a]));
  const ownerOf = (link: Link, user: DialpadUser): { hold: LinkHold; name: string } => {
    const assignment = findAssignment(firstAssignments, link.oktaUserId) ?? ownerAssignments.get(link.oktaUserId) ?? null;
    const primary = user.emails[0];
    const hold = linkHold(
      {
        oktaUserId: link.oktaUserId,
        assignment,
        unreadable: rejectedIds.has(link.oktaUserId) || (primary !== undefined && rejectedLogins.has(emailKey(primary))),
        fate: Object.hasOwn(input.fates, link.oktaUserId) ? input.fates[link.oktaUserId] : undefined,
      },
      rules,
    );
    return { hold, name: describeOktaUser(link.oktaUserId, assignment) };
  };
  const planDesired = (desired: DesiredUser): void => {
    const dialpadProblem = dialpadSideProblem(desired, index);
    if (dialpadProblem !== null) {
      out.skipped.push({ oktaUserId: desired.oktaUserId, email: desired.email, code: 'invalid_dialpad_data', reason: dialpadProblem });
      return;
    }
    const linked = index.liveLinkedUser(desired.oktaUserId);
    if (linked) {
      const diff = diffExistingUser(desired, linked, diffContext);
      out.warn(desired.oktaUserId, desired.email, diff.warnings);
      out.addUser({ oktaUserId: desired.oktaUserId, dialpadUserId: linked.id, email: desired.email, actions: diff.actions });
    } else {
      planUnlinked(desired, index, diffContext, ownerOf, out);
    }
  };
  // In email order, so the numbers handed out do not depend on the order Okta listed users in.
  forEachEmailGroup(order, emailKeys, (start, end) => {
    if (end - start === 1) {
      planDesired(desiredOf(order[start] as number));
      return;
    }
    settleDuplicateEmail(Array.from(order.subarray(start, end), desiredOf), index, out).forEach(planDesired);
  });

  for (const assignment of outOfScope) planOutOfScope(assignment, index, rules, out);

  // Linked Okta users with no assignment.
  const assigned = (oktaUserId: string): boolean => findAssignment(firstAssignments, oktaUserId) !== undefined || rejectedIds.has(oktaUserId);
  const unassignedLinks: Link[] = [];
  for (const link of index.linkByOkta.values()) if (!assigned(link.oktaUserId) && wanted(link.oktaUserId)) unassignedLinks.push(link);
  unassignedLinks.sort((a, b) => compareText(a.oktaUserId, b.oktaUserId));
  for (const link of unassignedLinks) planUnassigned(link, input.fates, index, rules, rejectedLogins, out);

  return applyPolicy(out.toPlan(findUnmanaged(input, index, rules)), rules.policy);
}

/**
 * Why the Dialpad side of a desired user cannot be acted on: its linked Dialpad user, or a Dialpad user
 * with its email, came unreadable or untouchable. Acting anyway could create a duplicate of a user the
 * listing merely failed to show, or overwrite what it failed to show. null when all is readable.
 */
function dialpadSideProblem(desired: DesiredUser, index: PlanIndex): string | null {
  const link = index.linkByOkta.get(desired.oktaUserId);
  const rejectedLinked = link ? index.rejectedById.get(link.dialpadUserId) : undefined;
  if (rejectedLinked) return `the linked ${describeRejected(rejectedLinked)}: nothing is done until Dialpad returns it whole`;
  const linked = index.liveLinkedUser(desired.oktaUserId);
  if (linked) return untouchableReason(linked);
  const key = emailKey(desired.email);
  const rejectedByEmail = index.rejectedByEmail.get(key);
  if (rejectedByEmail) return `${describeRejected(rejectedByEmail)} and has the email ${desired.email}: not created or adopted while it is unreadable`;
  for (const candidate of index.holdersOf(key)) {
    const reason = untouchableReason(candidate);
    if (reason !== null) return `${reason} (it has the email ${desired.email})`;
  }
  return null;
}

/** One assignment per Okta user (the first listed), sorted by Okta id. */
function onePerOktaUser(assignments: readonly OktaAssignment[]): OktaAssignment[] {
  // The sort is stable: of one user's assignments, the first listed comes first.
  const sorted = [...assignments].sort((x, y) => compareText(x.oktaUserId, y.oktaUserId));
  return sorted.filter((a, i) => i === 0 || (sorted[i - 1] as OktaAssignment).oktaUserId !== a.oktaUserId);
}

/** The Okta user's assignment, in the output of onePerOktaUser (binary search). */
function findAssignment(sortedById: readonly OktaAssignment[], oktaUserId: string): OktaAssignment | undefined {
  let low = 0;
  let high = sortedById.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = sortedById[middle] as OktaAssignment;
    const order = compareText(found.oktaUserId, oktaUserId);
    if (order === 0) return found;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/** Positions of the assignments by emailKey, then Okta id. */
function emailOrder(keys: readonly string[], assignments: readonly OktaAssignment[]): Uint32Array {
  const order = Uint32Array.from(keys, (_key, i) => i);
  return order.sort(
    (a, b) =>
      compareText(keys[a] as string, keys[b] as string) ||
      compareText((assignments[a] as OktaAssignment).oktaUserId, (assignments[b] as OktaAssignment).oktaUserId),
  );
}

/** Calls back with each run [start, end) of `order` whose users share one email. */
function forEachEmailGroup(order: Uint32Array, keys: readonly string[], each: (start: number, end: number) => void): void {
  for (let start = 0; start < order.length; ) {
    const email = keys[order[start] as number];
    let end = start + 1;
    while (end < order.length && keys[order[end] as number] === email) end += 1;
    each(start, end);
    start = end;
  }
}

/** Emails that several assigned Okta users, each linked to a Dialpad user, have: none of them may take it. */
function findContestedEmails(order: Uint32Array, keys: readonly string[], assignments: readonly OktaAssignment[], index: PlanIndex): Set<string> {
  const contested = new Set<string>();
  forEachEmailGroup(order, keys, (start, end) => {
    if (end - start === 1) return;
    let linked = 0;
    for (let i = start; i < end; i += 1) {
      if (index.liveLinkedUser((assignments[order[i] as number] as OktaAssignment).oktaUserId) !== null) linked += 1;
    }
    if (linked > 1) contested.add(keys[order[start] as number] as string);
  });
  return contested;
}

/**
 * Several desired users with one email (in Okta id order). Those not linked yet cannot be told apart: all of
 * them are skipped. Linked ones keep their Dialpad user (returned, to be planned), but none of them may take
 * the contested email (findContestedEmails).
 */
function settleDuplicateEmail(group: readonly DesiredUser[], index: PlanIndex, out: PlanBuilder): DesiredUser[] {
  const ids = group.map((d) => d.oktaUserId).join(', ');
  const linked = group.filter((d) => index.liveLinkedUser(d.oktaUserId) !== null);
  for (const d of group) {
    if (linked.includes(d)) continue;
    const holder = linked.length === 1 ? linked[0] : undefined;
    // One of them already has the Dialpad user: it keeps it until it lets go (then a re-hire takes the link over).
    const remedy = holder
      ? linkedElsewhereRemedy(`Okta user ${holder.oktaUserId}`, `Okta user ${d.oktaUserId}`)
      : `give each of these Okta users its own email, or unassign all but one of them from the app`;
    out.skipped.push({
      oktaUserId: d.oktaUserId,
      email: d.email,
      code: 'duplicate_email',
      reason: `${group.length} assigned Okta users have the email ${d.email} (${ids}): ${remedy}`,
      remedy,
    });
  }
  return linked;
}

/** Whether a link's owner still holds it (see relink-rule.ts), and who it is, for messages. */
type OwnerOf = (link: Link, user: DialpadUser) => { hold: LinkHold; name: string };

/**
 * In scope, no usable link: adopt the one Dialpad user with this primary email, take over its link when its
 * owner let go of it (a re-hire), or create one.
 */
function planUnlinked(desired: DesiredUser, index: PlanIndex, ctx: UserDiffContext, ownerOf: OwnerOf, out: PlanBuilder): void {
  const { oktaUserId, email } = desired;
  const note = index.brokenLinkNote(oktaUserId);
  const because = (text: string): string => (note === null ? text : `${text}; ${note}`);
  // Each of these leaves an in-scope user without a Dialpad user: the reason ends with what an admin can do.
  const skip = (code: SkippedUser['code'], reason: string, remedy: string): void => {
    out.skipped.push({ oktaUserId, email, code, reason: because(`${reason}: ${remedy}`), remedy });
  };

  const candidates = index.byPrimaryEmail.get(emailKey(email));
  if (candidates.length > 1) {
    const ids = candidates.map((u) => u.id).sort(compareDialpadIds).join(', ');
    skip('ambiguous_dialpad_match', `several Dialpad users have the primary email ${email} (${ids})`, `in Dialpad, change the primary email of all but one of them`);
    return;
  }

  const candidate = candidates[0];
  if (candidate) {
    const owner = index.linkByDialpad.get(candidate.id);
    let linking: Action;
    if (owner && owner.oktaUserId !== oktaUserId) {
      const { hold, name } = ownerOf(owner, candidate);
      if (hold.holds || out.relinked.has(candidate.id)) {
        const why = hold.holds ? hold.why : `its link already passed to another Okta user in this run`;
        skip('email_linked_elsewhere', `Dialpad user ${candidate.id} (${email}) is linked to ${name}: ${why}`, linkedElsewhereRemedy(name, `Okta user ${oktaUserId}`));
        return;
      }
      out.relinked.add(candidate.id);
      linking = {
        kind: 'relink',
        dialpadUserId: candidate.id,
        previousOktaUserId: owner.oktaUserId,
        cause: hold.cause,
        origin: owner.origin,
        reason: because(`re-hire: Dialpad user ${candidate.id} (${email}) was linked to ${name}, which let go of it (${hold.why}): the link passes to Okta user ${oktaUserId}`),
      };
    } else {
      linking = { kind: 'adopt', dialpadUserId: candidate.id, reason: because(`Dialpad user ${candidate.id} has the primary email ${email}`) };
    }
    const diff = diffExistingUser(desired, candidate, ctx);
    out.warn(oktaUserId, email, diff.warnings);
    out.addUser({ oktaUserId, dialpadUserId: candidate.id, email, actions: [linking, ...diff.actions] });
    return;
  }

  // Only the primary email adopts; a user holding it as another email would make Dialpad refuse the create.
  const holder = index.holdersOf(emailKey(email))[0];
  if (holder) {
    const owner = index.linkByDialpad.get(holder.id);
    if (owner && owner.oktaUserId !== oktaUserId) {
      const { name } = ownerOf(owner, holder);
      skip('email_linked_elsewhere', `${email} is a secondary email of Dialpad user ${holder.id}, linked to ${name}`, `remove it from that Dialpad user, or give Okta user ${oktaUserId} another email`);
    } else {
      skip('ambiguous_dialpad_match', `${email} is a secondary email of Dialpad user ${holder.id}`, `make it its primary email in Dialpad to adopt it`);
    }
    return;
  }

  const actions: Action[] = [
    {
      kind: 'create',
      email,
      firstName: desired.firstName,
      lastName: desired.lastName,
      officeId: desired.officeId,
      license: desired.license,
      autoAssign: desired.wantsNumber,
      jobTitle: desired.jobTitle,
      reason: because(
        `assigned in Okta, no Dialpad user with ${email}: create in "${desired.officeName}" (office chosen by ${desired.officeRule}) as ${desired.license}${desired.wantsNumber ? ' with a number' : ', no number'}`,
      ),
    },
  ];
  const writeBack = planWriteBack(desired.currentWriteBack, desired.wantsNumber ? 'pending' : null, ctx.rules);
  if (writeBack) actions.push(writeBack);
  out.addUser({ oktaUserId, dialpadUserId: null, email, actions });
}

/** Assigned, but the Okta user's status is not in scope (suspended, deactivated, staged, ...). */
function planOutOfScope(assignment: OktaAssignment, index: PlanIndex, rules: Rules, out: PlanBuilder): void {
  const { oktaUserId, status } = assignment;
  const reading = readDesiredEmail(assignment, rules.mapping);
  const user = index.liveLinkedUser(oktaUserId);
  const email = reading.ok ? reading.email : (user?.emails[0] ?? reading.value);

  if (!user) {
    const note = index.brokenLinkNote(oktaUserId);
    out.skipped.push({
      oktaUserId,
      email,
      code: 'not_in_scope',
      reason: `Okta user status is ${status}: not in scope, no Dialpad user is created${note === null ? '' : `; ${note}`}`,
    });
    return;
  }
  if (status === 'SUSPENDED' && rules.onOktaSuspended === 'ignore') return;
  // A re-hire took its Dialpad user over: it is no longer this Okta user's to suspend.
  if (out.relinked.has(user.id)) return;
  const untouchable = untouchableReason(user);
  if (untouchable !== null) {
    out.skipped.push({ oktaUserId, email: email ?? user.emails[0] ?? null, code: 'invalid_dialpad_data', reason: `Okta user status is ${status}, but ${untouchable}` });
    return;
  }

  const actions: Action[] = [];
  const why = `Okta user status is ${status}`;
  if (status === 'DEPROVISIONED' && rules.onDeactivated === 'delete') {
    actions.push({ kind: 'delete', reason: `${why} (onDeactivated: delete)` });
  } else if (user.state !== 'suspended') {
    actions.push({ kind: 'suspend', reason: why });
  }
  // Okta refuses profile updates of deactivated users (by default): no clear for them.
  const profile = rules.writeBack.target === 'user' ? assignment.profile : assignment.appProfile;
  const current = readProfileValue(profile, rules.writeBack.attribute);
  if (status !== 'DEPROVISIONED' && current !== null) {
    const clear = planWriteBackClear(current, actions.length > 0 ? why : 'suspended in Dialpad', rules);
    if (clear) actions.push(clear);
  }
  out.addUser({ oktaUserId, dialpadUserId: user.id, email: email ?? user.emails[0] ?? '', actions });
}

/** A linked Okta user with no assignment any more: suspend (or delete, per setting) its Dialpad user. */
function planUnassigned(
  link: Link,
  fates: PlanInput['fates'],
  index: PlanIndex,
  rules: Rules,
  rejectedLogins: ReadonlySet<string>,
  out: PlanBuilder,
): void {
  const user = index.usersById.get(link.dialpadUserId);
  if (!user || isGoneDialpadUser(user) || out.relinked.has(user.id)) return;
  const untouchable = untouchableReason(user);
  if (untouchable !== null) {
    out.skipped.push({ oktaUserId: link.oktaUserId, email: user.emails[0] ?? null, code: 'invalid_dialpad_data', reason: `no longer assigned in Okta, but ${untouchable}` });
    return;
  }
  const primary = user.emails[0];
  if (primary !== undefined && rejectedLogins.has(emailKey(primary))) {
    out.warn(link.oktaUserId, primary, [
      `not suspended: an assignment with the login ${primary} could not be read, so the user may still be assigned`,
    ]);
    return;
  }
  const fate = Object.hasOwn(fates, link.oktaUserId) ? fates[link.oktaUserId] : undefined;
  const { reason, deactivatedOrDeleted } = fateReason(fate);

  const actions: Action[] = [];
  if (deactivatedOrDeleted && rules.onDeactivated === 'delete') {
    actions.push({ kind: 'delete', reason: `${reason} (onDeactivated: delete)` });
  } else if (user.state !== 'suspended') {
    actions.push({ kind: 'suspend', reason });
  }
  // The profile is not read for unassigned users, so the value is unknown: clear only along with the
  // suspend or delete, only on the Okta user profile (unassigning discards the app-user profile), and
  // only for an Okta user that exists and may still be edited (not deactivated).
  if (
    actions.length > 0 &&
    rules.writeBack.target === 'user' &&
    fate?.kind === 'exists' &&
    fate.status !== 'DEPROVISIONED'
  ) {
    const clear = planWriteBackClear(null, reason, rules);
    if (clear) actions.push(clear);
  }
  out.addUser({
    oktaUserId: fate?.kind === 'deleted' ? null : link.oktaUserId,
    dialpadUserId: user.id,
    email: user.emails[0] ?? '',
    actions,
  });
}

/** Live Dialpad users that no link owns and no assignment's email points at: reported, never touched. */
function findUnmanaged(input: PlanInput, index: PlanIndex, rules: Rules): UnmanagedUser[] {
  // Live Dialpad users no link owns: usually few, so only their primary emails are looked for among the assignments.
  const unlinked: DialpadUser[] = [];
  for (const user of index.usersById.values()) {
    if (!isGoneDialpadUser(user) && !index.linkByDialpad.has(user.id)) unlinked.push(user);
  }
  if (unlinked.length === 0) return [];
  const looked = new Set(unlinked.flatMap((user) => (user.emails[0] === undefined ? [] : [emailKey(user.emails[0])])));
  // Every assignment counts here, also those outside onlyOktaUserIds, so a --user run reports the same.
  const claimed = new Set<string>();
  const claim = (email: string | null): void => {
    if (email === null) return;
    const key = emailKey(email);
    if (looked.has(key)) claimed.add(key);
  };
  for (const a of input.assignments) {
    const reading = readDesiredEmail(a, rules.mapping);
    claim(reading.ok ? reading.email : reading.value);
  }
  for (const r of input.rejectedAssignments) claim(r.login);

  const unmanaged: UnmanagedUser[] = [];
  for (const user of unlinked) {
    const primary = user.emails[0] ?? null;
    if (primary !== null && claimed.has(emailKey(primary))) continue;
    unmanaged.push({ dialpadUserId: user.id, email: primary, state: user.state });
  }
  return unmanaged.sort(
    (a, b) => compareText(lower(a.email ?? ''), lower(b.email ?? '')) || compareDialpadIds(a.dialpadUserId, b.dialpadUserId),
  );
}
