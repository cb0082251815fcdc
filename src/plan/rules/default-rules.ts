// The rules dialsync applies when the config file says nothing else (domain-rules §1–§7).
import type { DialpadLicense } from '../../dialpad/types.js';
import type { Rules } from '../types.js';

/**
 * Okta `licenseType` values (lower-cased) → Dialpad API license (§4). The `dialpad_*` values come from
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

/** A fresh copy every call, so a caller that adjusts its rules never changes anyone else's. */
export function defaultRules(): Rules {
  return {
    mapping: {
      firstName: 'firstName',
      lastName: 'lastName',
      email: ['login', 'email'],
      title: 'title',
      office: ['officeName', 'physicalDeliveryOfficeName', 'department'],
      country: 'countryCode',
      language: 'preferredLanguage',
      license: 'licenseType',
    },
    inScopeStatuses: ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'],
    licenseAliases: { ...DEFAULT_LICENSE_ALIASES },
    defaultLicense: 'talk',
    licenseDrift: 'report',
    // Contact Center agents get no DID by default (§5).
    noNumberLicenses: ['lite_support_agents'],
    countryOffices: {},
    defaultOffice: null,
    // The newer Dialpad article suspends on deactivation; delete is the older FAQ's behaviour (§6).
    onDeactivated: 'suspend',
    onOktaSuspended: 'suspend',
    writeBack: { enabled: true, attribute: 'dialpadPhone', target: 'user', onSuspended: 'keep' },
    policy: 'sync',
  };
}
