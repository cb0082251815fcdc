// The planner's rules from the config file's settings, and the rules when it says nothing else (docs/rules.md).
import { licenseDriftPolicy } from '../../config/license-drift-policy.js';
import { configDefaults, type ConfigFile } from '../../config/schema.js';
import type { DialpadLicense } from '../../dialpad/types.js';
import type { Rules } from '../types.js';

/**
 * Okta `licenseType` values (lower-cased) → Dialpad API license (docs/rules.md#license). The `dialpad_*` values come from
 * Dialpad's older SCIM articles, the `Dialpad_Ai …` ones from the current Okta SCIM FAQ.
 */
export const DEFAULT_LICENSE_ALIASES: Readonly<Record<string, DialpadLicense>> = Object.freeze({
  dialpad_talk: 'talk',
  'dialpad_ai voice': 'talk',
  dialpad_lite: 'lite_lines',
  dialpad_support: 'lite_support_agents',
  dialpad_sell: 'agents',
  'dialpad_ai sales': 'agents',
  dialpad_tfb: 'magenta_lines',
});

/**
 * The planner's rules from a parsed config file (config/schema.ts, defaults filled in): the built-in license aliases
 * with the file's extra ones on top (keys trimmed and lower-cased), country codes lower-cased. Pure; the result
 * shares no object with `file`'s built-ins, so a caller may adjust it.
 */
export function rulesFromConfig(file: ConfigFile): Rules {
  const licenseAliases = { ...DEFAULT_LICENSE_ALIASES };
  for (const [value, license] of Object.entries(file.licenses.aliases)) licenseAliases[value.trim().toLowerCase()] = license;
  const countryOffices: Record<string, string> = {};
  for (const [country, office] of Object.entries(file.offices.byCountry)) countryOffices[country.toLowerCase()] = office;
  return {
    mapping: { ...file.mapping },
    inScopeStatuses: file.scope.statuses,
    licenseAliases,
    defaultLicense: file.licenses.default,
    noNumberLicenses: file.licenses.withoutNumber,
    countryOffices,
    defaultOffice: file.offices.default,
    onDeactivated: file.lifecycle.onDeactivated,
    onOktaSuspended: file.lifecycle.onOktaSuspended,
    writeBack: { ...file.writeBack },
    policy: file.policy,
    scope: {
      groups: [...file.scope.groups],
      include: file.scope.include.map((filter) => ({ ...filter, clauses: filter.clauses.map((clause) => ({ ...clause })) })),
      exclude: file.scope.exclude.map((filter) => ({ ...filter, clauses: filter.clauses.map((clause) => ({ ...clause })) })),
      onOutOfScope: file.scope.onOutOfScope,
    },
    drift: {
      name: file.drift.name,
      job_title: file.drift.job_title,
      office: file.drift.office,
      license: file.drift.license ?? licenseDriftPolicy(file.licenses.drift),
    },
  };
}

/**
 * The rules when the config file says nothing: the schema's defaults (Contact Center agents get no number; a
 * deactivated Okta user is suspended, as the newer Dialpad article does). A fresh copy every call, so a caller that
 * adjusts its rules never changes anyone else's.
 */
export function defaultRules(): Rules {
  return rulesFromConfig(configDefaults());
}
