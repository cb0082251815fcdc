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
      code === 'group_name_ambiguous'
        ? `scope.groups: several Okta groups are named "${entry}" (${matches.join(', ')}): give the id of the one meant instead`
        : /^00g/.test(entry)
          ? // An id: a name would not help; the id itself is what to check.
            `scope.groups: Okta has no group with id "${entry}" (check the id in the Okta Admin Console, Directory > Groups: it is in the group's URL)`
          : `scope.groups: Okta has no group named "${entry}" (names match exactly, case included; or give the group's id, 00g…)`,
    );
  }
}
