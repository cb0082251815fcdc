// The groups claim of Okta's custom authorization server: a claim of value type "Groups" whose filter picks which of
// the user's Okta groups appear by name (Okta docs: "Customize tokens returned from Okta with a groups claim";
// Authorization Servers API, OAuth2Claim `group_filter_type` STARTS_WITH | EQUALS | CONTAINS | REGEX).

/**
 * The claim's configuration. `name` is the claim's name in the token (e.g. `groups`); `filter` keeps the groups
 * whose name starts with, equals, contains (case-insensitively, as Okta compares) or fully matches (REGEX) `value`;
 * `scopes` is 'any' (Okta's "Any scope") or the scopes one of which must be granted for the claim to be included.
 * Example: `{ name: 'groups', filter: { type: 'STARTS_WITH', value: 'dialsync-' }, scopes: 'any' }` puts
 * `["dialsync-admins"]` in the ID token of a member of Everyone, Sales and dialsync-admins.
 */
export interface GroupsClaim {
  name: string;
  filter: { type: 'STARTS_WITH' | 'EQUALS' | 'CONTAINS' | 'REGEX'; value: string };
  scopes: 'any' | readonly string[];
}

/** The sandbox's default: `groups`, every group whose name starts with `dialsync-`, included with any scope. */
export const DEFAULT_GROUPS_CLAIM: GroupsClaim = { name: 'groups', filter: { type: 'STARTS_WITH', value: 'dialsync-' }, scopes: 'any' };

/**
 * The claim's value for a user in `groupNames` who was granted `scopes`: the matching names in the order given, or
 * undefined when the claim is not included (no scope of its condition granted) or no group matches (Okta leaves an
 * empty groups claim out of the token).
 */
export function groupsClaimValue(claim: GroupsClaim, groupNames: readonly string[], scopes: readonly string[]): string[] | undefined {
  if (claim.scopes !== 'any' && !claim.scopes.some((scope) => scopes.includes(scope))) return undefined;
  const wanted = claim.filter.value.toLowerCase();
  const pattern = claim.filter.type === 'REGEX' ? new RegExp(`^(?:${claim.filter.value})$`) : undefined;
  const matches = groupNames.filter((name) => {
    const lower = name.toLowerCase();
    switch (claim.filter.type) {
      case 'STARTS_WITH':
        return lower.startsWith(wanted);
      case 'EQUALS':
        return lower === wanted;
      case 'CONTAINS':
        return lower.includes(wanted);
      case 'REGEX':
        return pattern?.test(name) ?? false;
    }
  });
  return matches.length === 0 ? undefined : matches;
}
