// The OAuth scopes a service app asks Okta for: the configured okta.scopes, plus okta.groups.read when scope.groups
// is set (listGroups, getGroup, listGroupUsers and listUserGroups need it). The loader asks for these and
// `dialsync config` shows these, so the two never disagree.

/** The scope scoping groups need, added to okta.scopes when scope.groups lists any group. */
export const GROUPS_READ_SCOPE = 'okta.groups.read';

/**
 * The scopes asked for: `configured` (okta.scopes) as given, with okta.groups.read appended when `scopeGroups`
 * (scope.groups) is not empty and it is not there already.
 */
export function oktaScopesAskedFor(configured: readonly string[], scopeGroups: readonly string[]): string[] {
  return scopeGroups.length > 0 && !configured.includes(GROUPS_READ_SCOPE) ? [...configured, GROUPS_READ_SCOPE] : [...configured];
}
