// Unmanaged Dialpad users: live, owned by no link, and not pointed at by any assignment's email. dialsync reports
// them (the admin may want to assign or remove them) and never touches them: it did not create them, and no
// Okta user asks for them.
import type { DialpadUser } from '../dialpad/types.js';
import { compareDialpadIds } from './dialpad-id.js';
import { isGoneDialpadUser } from './live-dialpad-user.js';
import { compareEmails } from './plan-builder.js';
import type { PlanIndex } from './plan-index.js';
import { readDesiredEmail } from './rules/desired-user.js';
import { emailKey } from '../identity/email-identity.js';
import type { PlanInput, Rules, UnmanagedUser } from './types.js';

/**
 * The unmanaged Dialpad users, by email (case-insensitive) then Dialpad id. Every assignment counts, also those
 * outside onlyOktaUserIds, so a --user run reports the same; an unreadable assignment counts by its login.
 */
export function findUnmanaged(input: PlanInput, index: PlanIndex, rules: Rules): UnmanagedUser[] {
  // Usually few: only their primary emails are looked for among the assignments, with no index of all of them.
  const unlinked: DialpadUser[] = [];
  for (const user of index.usersById.items) {
    if (!isGoneDialpadUser(user) && !index.linkByDialpad.has(user.id)) unlinked.push(user);
  }
  if (unlinked.length === 0) return [];
  const looked = new Set(unlinked.flatMap((user) => (user.emails[0] === undefined ? [] : [emailKey(user.emails[0])])));
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
  return unmanaged.sort((a, b) => compareEmails(a.email, b.email) || compareDialpadIds(a.dialpadUserId, b.dialpadUserId));
}
