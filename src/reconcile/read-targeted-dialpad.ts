// The Dialpad side of a targeted run (incremental cycles, event hooks): only the users the targeted Okta users
// can touch, read one by one, instead of listing the whole company. For k users that is at most 2k requests
// (the linked user by id, and the holders of the desired email), where a 100,000-user listing is 1,000 pages.
import pLimit from 'p-limit';
import type { DialpadGateway, DialpadRejectedUser, DialpadUser, DialpadUserListing } from '../dialpad/types.js';
import type { OktaAssignment } from '../okta/types.js';
import { isGoneDialpadUser } from '../plan/live-dialpad-user.js';
import { readDesiredEmail } from '../plan/rules/desired-user.js';
import { sameEmail } from '../identity/email-identity.js';
import type { Link, Rules } from '../plan/types.js';

/**
 * What the planner needs of Dialpad for these Okta users: each one's linked Dialpad user (by id), and every
 * user holding its desired email (adoption, duplicates, email conflicts) unless the linked user already has
 * that email as its primary (then the plan changes no email and needs no other holder). Users nobody targeted are not read,
 * so a targeted plan reports no unmanaged users beyond those it happens to see.
 */
export async function readTargetedDialpadUsers(
  dialpad: DialpadGateway,
  targets: { oktaUserIds: readonly string[]; assignments: readonly OktaAssignment[]; links: readonly Link[] },
  rules: Rules,
  concurrency: number,
): Promise<DialpadUserListing> {
  const wanted = new Set(targets.oktaUserIds);
  const linkByOkta = new Map<string, Link>();
  for (const link of targets.links) if (wanted.has(link.oktaUserId) && !linkByOkta.has(link.oktaUserId)) linkByOkta.set(link.oktaUserId, link);
  const emailByOkta = new Map<string, string>();
  for (const assignment of targets.assignments) {
    if (!wanted.has(assignment.oktaUserId) || emailByOkta.has(assignment.oktaUserId)) continue;
    const reading = readDesiredEmail(assignment, rules.mapping);
    if (reading.ok) emailByOkta.set(assignment.oktaUserId, reading.email);
  }

  const limit = pLimit(concurrency);
  const users = new Map<string, DialpadUser>();
  const rejected: DialpadRejectedUser[] = [];
  const add = (listing: DialpadUserListing): void => {
    for (const user of listing.users) if (!users.has(user.id)) users.set(user.id, user);
    rejected.push(...listing.rejected);
  };
  await Promise.all(
    [...wanted].map((oktaUserId) =>
      limit(async () => {
        const link = linkByOkta.get(oktaUserId);
        const linked = link ? await dialpad.getUserListing(link.dialpadUserId) : null;
        if (linked) add(linked);
        const email = emailByOkta.get(oktaUserId);
        if (email === undefined) return;
        const live = linked?.users.find((user) => !isGoneDialpadUser(user));
        // The linked user already has the email as its primary: the plan changes no email, no other holder matters.
        if (live?.emails[0] !== undefined && sameEmail(live.emails[0], email)) return;
        add(await dialpad.listUsersByEmail(email));
      }),
    ),
  );
  // Stable order, as a listing would give.
  return { users: [...users.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), rejected };
}
