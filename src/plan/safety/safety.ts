// The safety settings (config `safety:` and `licenseCaps:`): what a run may do on its own, and what it holds back.
import { configDefaults } from '../../config/schema.js';
import type { DialpadLicense } from '../../dialpad/types.js';

/** A mass-change threshold: held when both are exceeded. */
export interface MassThreshold {
  /** Held when more than this many users would be affected... */
  count: number;
  /** ...and more than this percentage of the managed (linked) users. */
  percent: number;
}

/** The safety settings every pass reads (config `safety:` and `licenseCaps:`), with the defaults of defaultSafety. */
export interface Safety {
  /** true: the mass-change guard lets everything through (the source health gate still applies). */
  allowMassChanges: boolean;
  massSuspend: MassThreshold;
  massDelete: MassThreshold;
  /**
   * A full Okta listing with fewer assignments than this fraction of the last healthy one, or a Dialpad listing
   * holding fewer than this fraction of the linked users, withholds every suspend and delete (see the health gates).
   */
  sourceHealthMinFraction: number;
  /** Consecutive failing runs after which a user is quarantined; 0 turns quarantine off. */
  quarantineAfter: number;
  /** Ask Dialpad for the offices' free license lines before creating. */
  checkAvailableLicenses: boolean;
  /** false: a create or reactivation that needs a line the office has not got is held ("would buy a seat"). */
  allowBuyingSeats: boolean;
  /** Hours an approval of a held suspend or delete counts before it expires unused (held again). */
  approvalHours: number;
  /** Most users per license (active in Dialpad, managed or not, plus planned creates and reactivations). */
  licenseCaps: Partial<Record<DialpadLicense, number>>;
}

/** The safety settings when the config file says nothing: the schema's defaults, a fresh copy every call. */
export function defaultSafety(): Safety {
  const { safety, licenseCaps } = configDefaults();
  return { ...safety, licenseCaps };
}
