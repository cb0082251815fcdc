// Finding the users assigned to the Okta app by name or email, for the console's user search. Okta's `q` matches
// the start of one attribute (user name, first name, last name or email): a query of several words ("ann lee") is
// sent as its first word, and the users Okta finds are kept when every word starts their name, email or login.
import type { OktaGateway } from '../okta/types.js';
import { readDesiredEmail } from '../plan/rules/desired-user.js';
import { readFirstAssignmentAttribute } from '../plan/rules/profile-attribute.js';
import type { AttributeMapping } from '../plan/types.js';

/** Users asked of Okta per search: one page, enough for a person to pick from. */
export const OKTA_SEARCH_LIMIT = 20;

/** One user assigned to the app in Okta, as the user search shows it. */
export interface AssignedUser {
  oktaUserId: string;
  /** The primary email as the rules read it (mapping.email), or null when the user has none dialsync can use. */
  email: string | null;
  /** The login, shown when there is no usable email. */
  login: string | null;
  /** First and last name as the rules read them (mapping.firstName, mapping.lastName); null when both are empty. */
  name: string | null;
  /** The Okta user's status (ACTIVE, SUSPENDED, ...). */
  status: string;
}

/** What one search of Okta found: the users, and whether Okta had more than one page of them. */
export interface AssignedUserSearch {
  users: AssignedUser[];
  more: boolean;
}

/**
 * Searches the app's assigned users for `query` (see the header): one page of OKTA_SEARCH_LIMIT, read with the
 * rules' `mapping` so the email is the one dialsync keys the user by. Throws what the gateway throws (OktaError).
 */
export async function searchAssignedUsers(
  okta: Pick<OktaGateway, 'searchAssignments'>,
  mapping: Pick<AttributeMapping, 'email' | 'firstName' | 'lastName'>,
  query: string,
): Promise<AssignedUserSearch> {
  const words = query.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
  const [first] = words;
  if (first === undefined) return { users: [], more: false };
  const page = await okta.searchAssignments(first, OKTA_SEARCH_LIMIT);
  const users = page.assignments.map((assignment): AssignedUser => {
    const email = readDesiredEmail(assignment, mapping);
    const name = [readFirstAssignmentAttribute(assignment, [mapping.firstName]), readFirstAssignmentAttribute(assignment, [mapping.lastName])]
      .map((part) => part?.value.trim() ?? '')
      .filter((part) => part !== '')
      .join(' ');
    const login = assignment.profile.login;
    return {
      oktaUserId: assignment.oktaUserId,
      email: email.ok ? email.email : null,
      login: typeof login === 'string' ? login : null,
      name: name === '' ? null : name,
      status: assignment.status,
    };
  });
  if (words.length === 1) return { users, more: page.more };
  const starts = (user: AssignedUser): string[] => [user.name ?? '', user.email ?? '', user.login ?? ''].flatMap((text) => text.toLowerCase().split(/[\s@.]+/));
  return { users: users.filter((user) => words.every((word) => starts(user).some((part) => part.startsWith(word)))), more: page.more };
}
