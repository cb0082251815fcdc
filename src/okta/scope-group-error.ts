// A scoping group (config scope.groups) that Okta does not know, or whose name several groups share: the run stops
// before anything is read further or written, naming the entry to fix.

/** Why a scope.groups entry could not be resolved to one Okta group. */
export type ScopeGroupErrorCode = 'group_not_found' | 'group_name_ambiguous';

/**
 * A scope.groups entry (`entry`: a group id 00g… or an exact name) that names no Okta group, or a name several
 * groups share (`matches`: their ids). The CLI exits 2 (a configuration to fix).
 */
export class ScopeGroupError extends Error {
  override readonly name = 'ScopeGroupError';

  constructor(
    readonly code: ScopeGroupErrorCode,
    readonly entry: string,
    readonly matches: readonly string[] = [],
  ) {
    super(
      code === 'group_not_found'
        ? `scope.groups: Okta has no group ${/^00g/.test(entry) ? 'with id' : 'named'} "${entry}" (names match exactly, case included; or give the group's id, 00g…)`
        : `scope.groups: several Okta groups are named "${entry}" (${matches.join(', ')}): give the id of the one meant instead`,
    );
  }
}
