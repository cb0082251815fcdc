// Before planning, a run settles the writes a crashed run left pending. Only a create can do lasting harm
// (a second user), so a pending create is looked up by email: if Dialpad has the user, it is linked as created.
// Every other write is idempotent, and the fresh plan redoes whatever did not happen. The PATCH that follows a
// create is journaled under its own kind (set_job_title), so `create` entries are the POSTs alone (a pending title
// PATCH that an older version journaled under `create` leads to the same look-up, harmlessly: its user exists).
import type { DialpadGateway, DialpadUser } from '../dialpad/types.js';
import type { AppliedField, AppliedRecord } from '../plan/types.js';
import type { Logger } from '../log/logger.js';
import { theLivePrimaryHolder } from '../plan/live-dialpad-user.js';
import type { Store } from '../store/store.js';

/** What settling the journal did, in counts of journal entries. */
export interface SettleReport {
  /** Pending entries settled (all of them). */
  settled: number;
  /** Pending creates whose user Dialpad had: linked as created instead of created again. */
  createsFound: number;
}

/**
 * Settles every pending journal entry: a pending create whose user Dialpad has (one live user with the email as
 * its primary) is linked as created; everything else is left to the next plan. Returns how many were settled and
 * how many creates were found. Throws what the Dialpad look-up or the store throws.
 */
export async function settleUnfinishedWrites(store: Store, dialpad: DialpadGateway, logger: Logger): Promise<SettleReport> {
  const pending = await store.journal.unfinished();
  let createsFound = 0;
  for (const entry of pending) {
    if (entry.action === 'create' && entry.oktaUserId) {
      const found = theLivePrimaryHolder(await dialpad.findUsersByEmail(entry.email), entry.email);
      if (found) {
        const existing = await store.links.byOktaUserId(entry.oktaUserId);
        if (!existing || existing.dialpadUserId !== found.id) {
          await store.links.save({ oktaUserId: entry.oktaUserId, dialpadUserId: found.id, origin: 'created' }, entry.email);
        }
        // What the create wrote, as Dialpad holds it, and the title it left empty (its own PATCH, never sent): the
        // next run writes Okta's title as a change still to make, not keeps the empty one as an edit in Dialpad.
        await store.appliedValues.record(createdValues(found));
        createsFound += 1;
        await store.journal.settle(entry.id, `created before the crash: Dialpad user ${found.id}`);
        logger.info({ user: entry.email, dialpadUserId: found.id }, 'a create interrupted by a crash had reached Dialpad: linked');
        continue;
      }
      await store.journal.settle(entry.id, 'not found in Dialpad: the next plan creates it');
      continue;
    }
    await store.journal.settle(entry.id, 'left to the next plan');
  }
  return { settled: pending.length, createsFound };
}

/** A found create's applied values (applied_values): its names, office and license as Dialpad holds them, no title. */
function createdValues(user: DialpadUser): AppliedRecord[] {
  const fields: [AppliedField, string | null][] = [
    ['first_name', user.firstName],
    ['last_name', user.lastName],
    ['office', user.officeId],
    ['license', user.license],
  ];
  const written = fields.filter(([, value]) => value !== null && value !== '').map(([field, value]) => ({ dialpadUserId: user.id, field, applied: value, okta: value }));
  return [...written, { dialpadUserId: user.id, field: 'job_title', applied: null, okta: null }];
}
