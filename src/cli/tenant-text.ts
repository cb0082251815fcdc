// The tenant pin as the command line prints it: after a run, in `dialsync status`, and after `dialsync repin`.
import { describeCompany, describeOrg, TENANT_FIELD_NAMES, type TenantDifference, type TenantIdentity } from '../plan/tenant-check.js';
import type { TenantReport } from '../reconcile/tenant-guard.js';
import type { TenantPin } from '../store/tenant-pins.js';

/** "Dialpad company 4700000000000000001 (Example Corp), Okta app 0oa1 at https://acme.okta.com (org 00o1)" */
export function describeTenant(tenant: TenantIdentity): string {
  return `Dialpad company ${describeCompany(tenant)}, Okta app ${tenant.oktaAppId} at ${describeOrg(tenant)}`;
}

/** One line after a run that pinned the store, or a dry run on a store not pinned yet (nothing for a match). */
export function renderTenantReport(report: TenantReport): string {
  if (report.status === 'pinned') return `Pinned this database to ${describeTenant(report.tenant)}: runs against another company or app stop (exit 3).`;
  if (report.status === 'would_pin') return `Not pinned yet: the first \`reconcile --apply\` pins this database to ${describeTenant(report.tenant)}.`;
  return `Tenant: ${describeTenant(report.tenant)}.`;
}

const REASONS: Record<TenantPin['reason'], string> = {
  first_run: 'first apply',
  existing_store: 'first apply, links proven',
  repin: 'dialsync repin',
};

/** The `dialsync status` section: the pin in force and the earlier ones (history newest first). */
export function renderTenantPins(history: readonly TenantPin[]): string[] {
  const [current, ...earlier] = history;
  if (current === undefined) return ['Tenant: not pinned yet (the first `reconcile --apply` pins it)'];
  const out = [`Tenant: ${describeTenant(current)} (pinned ${current.pinnedAt} by ${REASONS[current.reason]})`];
  for (const pin of earlier) out.push(`  before: ${describeTenant(pin)} (pinned ${pin.pinnedAt} by ${REASONS[pin.reason]})`);
  return out;
}

/** "  Dialpad company: 4700000000000000001 (Example Corp) → 4700000000000000002 (Other Corp)", one line per change. */
export function renderTenantChanges(differences: readonly TenantDifference[]): string[] {
  return differences.map((d) => `  ${TENANT_FIELD_NAMES[d.field]}: ${d.pinned} → ${d.answering}`);
}
