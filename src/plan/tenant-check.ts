// Tenant pinning: a store manages one Dialpad company and one Okta app (in one Okta org). Its links pair users of
// exactly those two; applied to another company they would create a second set of users and overwrite Okta's
// `dialpadPhone` with numbers of a company nobody meant to sync. So every run first compares what answers now
// with what the store is pinned to, and stops before any write when they differ.
//
// Worked example: the store is pinned to Dialpad company 4700000000000000001 and Okta app 0oa1 at
// https://acme.okta.com. The API key now answers for company 4700000000000000002: the verdict is `mismatch`
// with one difference (dialpad_company, pinned 4700000000000000001, answering 4700000000000000002), and the run
// exits 3 until an admin runs `dialsync repin --dialpad-company`.
//
// A store from before pinning (links, no pin) is pinned from what answers only when the linked Dialpad users
// are found there: of a sample of linked users read by id, more than half must exist (a user an admin deleted in
// Dialpad may be among them; none of them exist in another company, whose ids are its own).

/** Which Dialpad company and which Okta org and app: what a store is pinned to, or what a run talks to. */
export interface TenantIdentity {
  /** GET /api/v2/company `id` (int64 as a decimal string). */
  dialpadCompanyId: string;
  /** GET /api/v2/company `name`: shown in messages, never compared. */
  dialpadCompanyName: string | null;
  /** The configured Okta org URL (compared by origin: scheme, host and port, case-insensitively). */
  oktaOrgUrl: string;
  /**
   * The org's id (GET /.well-known/okta-organization), read when pinning and, on a run, only when the org URL differs
   * from the pinned one: the same id at another URL (a custom domain) is the same org. null when not read or not told.
   */
  oktaOrgId: string | null;
  /** The configured id of the Dialpad app in Okta (`0oa...`). */
  oktaAppId: string;
}

/** A part of the tenant a store is pinned to: the Dialpad company, the Okta org, the Okta app. */
export type TenantField = 'dialpad_company' | 'okta_org' | 'okta_app';

/** One part of the tenant that differs: what the store is pinned to and what answers now. */
export interface TenantDifference {
  field: TenantField;
  pinned: string;
  answering: string;
}

/** How many of a sample of the store's linked Dialpad users the answering company has (read by id). */
export interface LinkSample {
  sampled: number;
  found: number;
}

/**
 * The verdict of checkTenant:
 * - `match`: the run talks to the pinned tenant.
 * - `pin`: nothing is pinned yet; an apply pins what answers (`first_run`: the store has no links;
 *   `existing_store`: its links were found in the answering company). A dry run pins nothing.
 * - `mismatch`: a pinned part differs; no write may happen.
 * - `unproven`: nothing is pinned, the store has links, and too few of them were found in the answering company.
 */
export type TenantCheck =
  | { kind: 'match' }
  | { kind: 'pin'; reason: 'first_run' | 'existing_store' }
  | { kind: 'mismatch'; differences: TenantDifference[] }
  | { kind: 'unproven'; sample: LinkSample };

/** The reasons a pin is recorded for: the two kinds of first pin, and an admin's `dialsync repin`. */
export type PinReason = 'first_run' | 'existing_store' | 'repin';

/**
 * Compares the answering tenant with the pinned one.
 * @param input.pinned the pin in force, or null when the store has none yet.
 * @param input.answering what this run talks to.
 * @param input.linkSample only read when nothing is pinned: null when the store has no links, else the sample.
 * @returns the verdict (see TenantCheck); never throws.
 */
export function checkTenant(input: { pinned: TenantIdentity | null; answering: TenantIdentity; linkSample: LinkSample | null }): TenantCheck {
  const { pinned, answering, linkSample } = input;
  if (pinned === null) {
    if (linkSample === null || linkSample.sampled === 0) return { kind: 'pin', reason: 'first_run' };
    return linkSample.found * 2 > linkSample.sampled ? { kind: 'pin', reason: 'existing_store' } : { kind: 'unproven', sample: linkSample };
  }
  const differences = tenantDifferences(pinned, answering);
  return differences.length === 0 ? { kind: 'match' } : { kind: 'mismatch', differences };
}

/** The parts of two tenants that differ, in the order Dialpad company, Okta org, Okta app. */
export function tenantDifferences(pinned: TenantIdentity, answering: TenantIdentity): TenantDifference[] {
  const differences: TenantDifference[] = [];
  if (pinned.dialpadCompanyId !== answering.dialpadCompanyId) {
    differences.push({ field: 'dialpad_company', pinned: describeCompany(pinned), answering: describeCompany(answering) });
  }
  if (!sameOrg(pinned, answering)) {
    differences.push({ field: 'okta_org', pinned: describeOrg(pinned), answering: describeOrg(answering) });
  }
  if (pinned.oktaAppId !== answering.oktaAppId) {
    differences.push({ field: 'okta_app', pinned: pinned.oktaAppId, answering: answering.oktaAppId });
  }
  return differences;
}

/**
 * The tenant `dialsync repin` records: the pinned one with the parts the admin named taken from what answers now.
 * With nothing pinned yet, everything that answers is pinned (a pin is always whole).
 * @param parts.dialpadCompany take the Dialpad company that answers; parts.oktaApp take the configured Okta org and app.
 * @returns the tenant to pin, and how it differs from the one pinned before (empty: nothing to record).
 */
export function repinnedTenant(
  pinned: TenantIdentity | null,
  answering: TenantIdentity,
  parts: { dialpadCompany: boolean; oktaApp: boolean },
): { tenant: TenantIdentity; differences: TenantDifference[] } {
  if (pinned === null) return { tenant: answering, differences: [] };
  const tenant: TenantIdentity = {
    ...(parts.dialpadCompany
      ? { dialpadCompanyId: answering.dialpadCompanyId, dialpadCompanyName: answering.dialpadCompanyName }
      : { dialpadCompanyId: pinned.dialpadCompanyId, dialpadCompanyName: pinned.dialpadCompanyName }),
    ...(parts.oktaApp
      ? { oktaOrgUrl: answering.oktaOrgUrl, oktaOrgId: answering.oktaOrgId, oktaAppId: answering.oktaAppId }
      : { oktaOrgUrl: pinned.oktaOrgUrl, oktaOrgId: pinned.oktaOrgId, oktaAppId: pinned.oktaAppId }),
  };
  // A new URL of the same org (by id) is no mismatch, but it is a change to record: runs then need not read the id.
  const differences = tenantDifferences(pinned, tenant);
  if (!differences.some((d) => d.field === 'okta_org') && orgOrigin(pinned.oktaOrgUrl) !== orgOrigin(tenant.oktaOrgUrl)) {
    const at = differences.findIndex((d) => d.field === 'okta_app');
    differences.splice(at < 0 ? differences.length : at, 0, { field: 'okta_org', pinned: describeOrg(pinned), answering: describeOrg(tenant) });
  }
  return { tenant, differences };
}

/** "4700000000000000001 (Example Corp)", or the id alone when Dialpad gave no name. */
export function describeCompany(tenant: Pick<TenantIdentity, 'dialpadCompanyId' | 'dialpadCompanyName'>): string {
  return tenant.dialpadCompanyName ? `${tenant.dialpadCompanyId} (${tenant.dialpadCompanyName})` : tenant.dialpadCompanyId;
}

/** How each part of a tenant is named in messages. */
export const TENANT_FIELD_NAMES: Record<TenantField, string> = {
  dialpad_company: 'Dialpad company',
  okta_org: 'Okta org',
  okta_app: 'Okta app',
};

/** The `dialsync repin` flag that accepts a difference of this field. */
const REPIN_FLAGS: Record<TenantField, string> = {
  dialpad_company: '--dialpad-company',
  okta_org: '--okta-app',
  okta_app: '--okta-app',
};

/**
 * What an admin reads when a run stops: both tenants, and how to re-pin if the change is intended.
 * @param check a `mismatch` or `unproven` verdict.
 * @param answering what the run talked to (named in an `unproven` message).
 */
export function describeTenantRefusal(check: Extract<TenantCheck, { kind: 'mismatch' | 'unproven' }>, answering: TenantIdentity): string {
  if (check.kind === 'unproven') {
    return (
      `tenant not proven: the database holds links from before tenant pinning, but only ${check.sample.found} of ${check.sample.sampled} ` +
      `linked Dialpad users checked exist in Dialpad company ${describeCompany(answering)}; it may be another company than the one ` +
      `the links were made in. Nothing was changed. If this is the right company and Okta app (${answering.oktaOrgUrl}, app ` +
      `${answering.oktaAppId}), pin them with \`dialsync repin --dialpad-company --okta-app\`.`
    );
  }
  const parts = check.differences.map((d) => `${TENANT_FIELD_NAMES[d.field]}: pinned ${d.pinned}, now answering ${d.answering}`);
  const flags = [...new Set(check.differences.map((d) => REPIN_FLAGS[d.field]))].join(' ');
  return (
    `tenant mismatch: the database is pinned to another tenant than the one answering (${parts.join('; ')}). ` +
    `Nothing was changed. If the change is intended, run \`dialsync repin ${flags}\`.`
  );
}

/**
 * Whether two tenants name the same Okta org: by id when both ids are known (an org may answer at its okta.com URL
 * and at a custom domain), else by the URL's origin.
 */
export function sameOrg(pinned: Pick<TenantIdentity, 'oktaOrgUrl' | 'oktaOrgId'>, answering: Pick<TenantIdentity, 'oktaOrgUrl' | 'oktaOrgId'>): boolean {
  if (pinned.oktaOrgId !== null && answering.oktaOrgId !== null) return pinned.oktaOrgId === answering.oktaOrgId;
  return orgOrigin(pinned.oktaOrgUrl) === orgOrigin(answering.oktaOrgUrl);
}

/** "https://acme.okta.com (org 00o1)", or the URL alone when the id is not known. */
export function describeOrg(tenant: Pick<TenantIdentity, 'oktaOrgUrl' | 'oktaOrgId'>): string {
  return tenant.oktaOrgId === null ? tenant.oktaOrgUrl : `${tenant.oktaOrgUrl} (org ${tenant.oktaOrgId})`;
}

/** Scheme, host and port of an org URL, lower-cased; the text itself when it is not a URL. */
function orgOrigin(url: string): string {
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}
