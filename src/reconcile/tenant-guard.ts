// The first step of every run: is this the Dialpad company and the Okta org and app the store is pinned to?
// Reads the company (one request per run), compares (plan/tenant-check.ts), and stops the run before any write
// when they differ. The first apply pins what answers.
import { describeError } from '../errors/describe-error.js';
import { DialpadError } from '../dialpad/errors.js';
import type { DialpadCompany, DialpadGateway } from '../dialpad/types.js';
import type { Logger } from '../log/logger.js';
import type { OktaGateway } from '../okta/types.js';
import { singleLine } from '../plan/rules/desired-user.js';
import { checkTenant, describeTenantRefusal, sameOrg, type LinkSample, type TenantCheck, type TenantIdentity } from '../plan/tenant-check.js';
import type { Store } from '../store/store.js';
import type { TenantPin } from '../store/tenant-pins.js';

/** The Okta side of the tenant, as configured (okta.orgUrl, okta.appId): it answers for whatever the config names. */
export interface ConfiguredTenant {
  oktaOrgUrl: string;
  oktaAppId: string;
}

/** The Okta side of the tenant from the config's `okta` section. */
export function configuredTenant(okta: { orgUrl: string; appId: string }): ConfiguredTenant {
  return { oktaOrgUrl: okta.orgUrl, oktaAppId: okta.appId };
}

/**
 * What the guard found, kept in the run's report:
 * - `matched`: the pinned tenant answered.
 * - `pinned`: this apply pinned the tenant (the store had no pin).
 * - `would_pin`: a dry run on a store without a pin; the first apply pins `tenant`.
 */
export interface TenantReport {
  status: 'matched' | 'pinned' | 'would_pin';
  tenant: TenantIdentity;
}

/**
 * The run talks to another tenant than the pinned one, or to one a store from before pinning cannot be proven to
 * belong to (code `tenant_mismatch`; the CLI exits 3, the daemon turns unready). `check` holds the differences or
 * the link sample; the message says what differs and how to re-pin (docs/rules.md#safety).
 */
export class TenantMismatchError extends Error {
  readonly code = 'tenant_mismatch';
  constructor(
    readonly check: Extract<TenantCheck, { kind: 'mismatch' | 'unproven' }>,
    readonly pinned: TenantIdentity | null,
    readonly answering: TenantIdentity,
  ) {
    super(describeTenantRefusal(check, answering));
    this.name = 'TenantMismatchError';
  }
}

/**
 * Checks the answering tenant against the store's pin, before anything is settled, read or written.
 * Cost: GET /api/v2/company once; when pinning, or when the org URL differs from the pinned one, the Okta org's id;
 * on a store with links but no pin yet, up to LINK_SAMPLE_SIZE Dialpad user reads by id.
 * @returns what was found; an apply on a store without a pin records the pin (with runId).
 * @throws TenantMismatchError on a mismatch (dry run or apply alike), DialpadError when the company cannot be read.
 */
export async function guardTenant(params: {
  store: Store;
  dialpad: DialpadGateway;
  okta: OktaGateway;
  configured: ConfiguredTenant;
  apply: boolean;
  runId: string;
  logger: Logger;
}): Promise<TenantReport> {
  const { store, dialpad, configured, logger } = params;
  const company = await dialpad.getCompany();
  const pin = await store.tenantPins.current();
  const pinned = pin === null ? null : identityOf(pin);
  // The org id is read to be kept with a new pin, and when the org URL differs from a pin that has one.
  const readOrgId = pinned === null ? params.apply : pinned.oktaOrgId !== null && !sameOrg(pinned, { oktaOrgUrl: configured.oktaOrgUrl, oktaOrgId: null });
  const answering = answeringTenant(company, configured, readOrgId ? await readOktaOrgId(params.okta, logger) : null);
  const linkSample = pinned === null ? await sampleLinks(store, dialpad) : null;
  const check = checkTenant({ pinned, answering, linkSample });
  switch (check.kind) {
    case 'match':
      return { status: 'matched', tenant: answering };
    case 'pin':
      if (!params.apply) return { status: 'would_pin', tenant: answering };
      await store.tenantPins.pin(answering, check.reason, params.runId);
      logger.info({ tenant: answering, reason: check.reason }, 'pinned the store to this Dialpad company and Okta app');
      return { status: 'pinned', tenant: answering };
    case 'mismatch':
    case 'unproven': {
      const error = new TenantMismatchError(check, pinned, answering);
      logger.error({ code: error.code, pinned, answering, ...(check.kind === 'unproven' ? { linkSample: check.sample } : { differences: check.differences }) }, error.message);
      throw error;
    }
  }
}

/** Longest company name kept, in code points: it is only shown, and Dialpad's answer should not fill the store or the logs. */
const COMPANY_NAME_MAX = 100;

/**
 * The tenant a run talks to: the Dialpad company the key belongs to, the configured Okta org and app, and the org
 * id when it was read. The company name is made one line and at most COMPANY_NAME_MAX code points.
 */
export function answeringTenant(company: DialpadCompany, configured: ConfiguredTenant, oktaOrgId: string | null): TenantIdentity {
  const name = singleLine(company.name);
  return {
    dialpadCompanyId: company.id,
    dialpadCompanyName: name === null ? null : [...name].slice(0, COMPANY_NAME_MAX).join(''),
    oktaOrgUrl: configured.oktaOrgUrl,
    oktaOrgId,
    oktaAppId: configured.oktaAppId,
  };
}

/** The tenant part of a recorded pin. */
export function identityOf(pin: TenantPin): TenantIdentity {
  return {
    dialpadCompanyId: pin.dialpadCompanyId,
    dialpadCompanyName: pin.dialpadCompanyName,
    oktaOrgUrl: pin.oktaOrgUrl,
    oktaOrgId: pin.oktaOrgId,
    oktaAppId: pin.oktaAppId,
  };
}

/**
 * The Okta org's id, or null when it cannot be read: a pin then holds the URL alone, and a URL that differs from the
 * pinned one is taken for another org (the safe side).
 */
export async function readOktaOrgId(okta: OktaGateway, logger: Logger): Promise<string | null> {
  try {
    return await okta.getOrgId();
  } catch (error) {
    logger.warn({ err: { message: describeError(error) } }, "could not read the Okta org's id; the tenant pin compares the org URL alone");
    return null;
  }
}

/** How many of a sample of linked Dialpad users the answering company has; null when the store has no links. */
async function sampleLinks(store: Store, dialpad: DialpadGateway): Promise<LinkSample | null> {
  const ids = await store.tenantPins.linkedDialpadUserSample();
  if (ids.length === 0) return null;
  let found = 0;
  for (const id of ids) {
    // A user that does not pass the schema still exists in this company.
    const listing = await dialpad.getUserListing(id).catch((error: unknown) => {
      // Dialpad does not document its answer for another company's user: a 403 is taken for "not in this company".
      if (error instanceof DialpadError && error.code === 'forbidden') return null;
      throw error;
    });
    if (listing !== null && listing.users.length + listing.rejected.length > 0) found += 1;
  }
  return { sampled: ids.length, found };
}
