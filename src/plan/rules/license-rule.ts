// Choosing the Dialpad license for a user (docs/rules.md#license).
import { DIALPAD_LICENSES, type DialpadLicense } from '../../dialpad/types.js';
import type { Rules } from '../types.js';

/** The license chosen and by what (docs/rules.md#license), or the unknown value that stopped the create. */
export type LicenseChoice =
  | { ok: true; license: DialpadLicense; source: 'default' | 'alias' | 'api-name' }
  | { ok: false; value: string };

function normalize(value: string): string {
  return value.trim().toLowerCase();
}

function isDialpadLicense(value: string): value is DialpadLicense {
  return (DIALPAD_LICENSES as readonly string[]).includes(value);
}

type LicenseAliases = Rules['licenseAliases'];

/** Normalized alias → license, per aliases object: rules do not change during a plan, which reads it per user. */
const aliasIndexes = new WeakMap<LicenseAliases, ReadonlyMap<string, DialpadLicense>>();

function normalizedAliases(aliases: LicenseAliases): ReadonlyMap<string, DialpadLicense> {
  let index = aliasIndexes.get(aliases);
  if (index === undefined) {
    const built = new Map<string, DialpadLicense>();
    // Two aliases that normalize alike: the first one listed wins, as it always has.
    for (const [alias, license] of Object.entries(aliases)) if (!built.has(normalize(alias))) built.set(normalize(alias), license);
    index = built;
    aliasIndexes.set(aliases, index);
  }
  return index;
}

/**
 * Missing → the default license; an alias → its license; a value that already is a Dialpad API license
 * name (talk, agents, ...) is accepted as it stands, since it cannot mean anything else; any other
 * value is unknown and the user is not created (docs/rules.md#license). Pure; does not throw.
 */
export function resolveLicense(
  value: string | null,
  rules: Pick<Rules, 'licenseAliases' | 'defaultLicense'>,
): LicenseChoice {
  if (value === null || value.trim() === '') return { ok: true, license: rules.defaultLicense, source: 'default' };
  const key = normalize(value);
  // Aliases first, so an admin can remap even an API name; keys are compared normalized too.
  const alias = normalizedAliases(rules.licenseAliases).get(key);
  if (alias !== undefined) return { ok: true, license: alias, source: 'alias' };
  if (isDialpadLicense(key)) return { ok: true, license: key, source: 'api-name' };
  return { ok: false, value };
}
