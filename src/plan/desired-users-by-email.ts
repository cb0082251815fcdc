// The in-scope assignments that make a desired user, in email order: users sharing an email come together (see
// duplicate-email.ts), and numbers are handed out in an order that does not depend on the order Okta listed
// users in. Only each assignment and its email key are held; its desired user is made again when it is
// planned, one at a time, so a large plan never holds all its desired users at once (bench/findings.md).
import type { OktaAssignment } from '../okta/types.js';
import { compareText } from '../collections/compare-text.js';
import { itemAt } from '../collections/item-at.js';
import { emailKey } from '../identity/email-identity.js';
import { toDesiredUser } from './rules/desired-user.js';
import type { OfficeDirectory } from './rules/office-rule.js';
import type { DesiredUser, Rules } from './types.js';

/** What to do with each email: `alone` for the usual one user, `shared` for several (in Okta id order). */
export interface EmailVisitor {
  alone(position: number): void;
  shared(positions: readonly number[]): void;
}

/**
 * Desired users by position (the order they were added), visited by email. Positions are only meaningful to the
 * instance that gave them. Throws an Error if the rules no longer make a desired user of an added assignment.
 */
export class DesiredUsersByEmail {
  private readonly assignments: OktaAssignment[] = [];
  private readonly emailKeys: string[] = [];
  /** Positions sorted by emailKey, then Okta id; made on the first visit. */
  private order: Uint32Array | null = null;

  constructor(
    private readonly offices: OfficeDirectory,
    private readonly rules: Rules,
  ) {}

  /** Adds an assignment and the desired user the rules made of it. */
  add(assignment: OktaAssignment, desired: DesiredUser): void {
    this.assignments.push(assignment);
    this.emailKeys.push(emailKey(desired.email));
    this.order = null;
  }

  /** The Okta user id at a position. */
  oktaUserIdAt(position: number): string {
    return itemAt(this.assignments, position).oktaUserId;
  }

  /** The emailKey of the desired user at a position. */
  emailKeyAt(position: number): string {
    return itemAt(this.emailKeys, position);
  }

  /** The desired user at a position, made again from its assignment. */
  desiredUserAt(position: number): DesiredUser {
    const result = toDesiredUser(itemAt(this.assignments, position), this.offices, this.rules);
    if ('skipped' in result) throw new Error(`toDesiredUser changed its mind about Okta user ${result.skipped.oktaUserId}`);
    return result.desired;
  }

  /** Visits each email once, in emailKey order. */
  forEachEmail(visitor: EmailVisitor): void {
    const order = this.sorted();
    for (let start = 0; start < order.length; ) {
      const key = this.emailKeyAt(itemAt(order, start));
      let end = start + 1;
      while (end < order.length && this.emailKeyAt(itemAt(order, end)) === key) end += 1;
      if (end - start === 1) visitor.alone(itemAt(order, start));
      else visitor.shared(Array.from(order.subarray(start, end)));
      start = end;
    }
  }

  private sorted(): Uint32Array {
    if (this.order === null) {
      this.order = Uint32Array.from(this.emailKeys, (_key, i) => i).sort(
        (a, b) => compareText(this.emailKeyAt(a), this.emailKeyAt(b)) || compareText(this.oktaUserIdAt(a), this.oktaUserIdAt(b)),
      );
    }
    return this.order;
  }
}
