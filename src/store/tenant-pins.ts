// Which Dialpad company and which Okta org and app the store manages (see plan/tenant-check.ts). One row per pin;
// the newest is in force, the older ones are the history `dialsync status` shows.
import type { Knex } from 'knex';
import type { PinReason, TenantIdentity } from '../plan/tenant-check.js';

/** A pin as recorded: the tenant, why it was pinned, by which run and when. */
export interface TenantPin extends TenantIdentity {
  reason: PinReason;
  /** The reconcile run that pinned first, or the `repin` run; null when that run row is gone. */
  runId: string | null;
  /** ISO 8601. */
  pinnedAt: string;
}

interface TenantPinRow {
  id: number;
  dialpad_company_id: string;
  dialpad_company_name: string | null;
  okta_org_url: string;
  okta_org_id: string | null;
  okta_app_id: string;
  reason: string;
  run_id: string | null;
  pinned_at: string;
}

/** Linked Dialpad users read to prove that a store from before pinning belongs to the answering company. */
export const LINK_SAMPLE_SIZE = 10;

/** The `tenant_pins` table (newest row in force). Every method throws what the database driver throws. */
export class TenantPinStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /** The pin in force, or null when the store was never pinned. */
  async current(): Promise<TenantPin | null> {
    const row = await this.db<TenantPinRow>('tenant_pins').orderBy('id', 'desc').first();
    return row ? toPin(row) : null;
  }

  /** Every pin, newest first (the first is the one in force). */
  async history(limit: number): Promise<TenantPin[]> {
    const rows = await this.db<TenantPinRow>('tenant_pins').orderBy('id', 'desc').limit(limit);
    return rows.map(toPin);
  }

  /** Records a pin: from now on runs must talk to this tenant. runId must name a row of `runs`. */
  async pin(tenant: TenantIdentity, reason: PinReason, runId: string): Promise<TenantPin> {
    const pinnedAt = this.now().toISOString();
    await this.db('tenant_pins').insert({
      dialpad_company_id: tenant.dialpadCompanyId,
      dialpad_company_name: tenant.dialpadCompanyName,
      okta_org_url: tenant.oktaOrgUrl,
      okta_org_id: tenant.oktaOrgId,
      okta_app_id: tenant.oktaAppId,
      reason,
      run_id: runId,
      pinned_at: pinnedAt,
    });
    return { ...tenant, reason, runId, pinnedAt };
  }

  /**
   * Up to LINK_SAMPLE_SIZE linked Dialpad user ids, the most recently updated first (the likeliest to still exist):
   * read by id in the answering company before a store from before pinning is pinned.
   */
  async linkedDialpadUserSample(): Promise<string[]> {
    const rows: { dialpad_user_id: string }[] = await this.db('links').select('dialpad_user_id').orderBy([{ column: 'updated_at', order: 'desc' }, 'okta_user_id']).limit(LINK_SAMPLE_SIZE);
    return rows.map((row) => row.dialpad_user_id);
  }
}

function toPin(row: TenantPinRow): TenantPin {
  return {
    dialpadCompanyId: row.dialpad_company_id,
    dialpadCompanyName: row.dialpad_company_name,
    oktaOrgUrl: row.okta_org_url,
    oktaOrgId: row.okta_org_id,
    oktaAppId: row.okta_app_id,
    reason: row.reason === 'existing_store' || row.reason === 'repin' ? row.reason : 'first_run',
    runId: row.run_id,
    pinnedAt: row.pinned_at,
  };
}
