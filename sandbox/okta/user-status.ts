// The lifecycle states of an Okta user, written from the Management API spec (components.schemas.UserStatus) —
// not imported from the product's client, so the simulation checks the client's list instead of echoing it.

/** Every value of UserStatus in the Okta Management API spec. */
export const SANDBOX_OKTA_USER_STATUSES = [
  'ACTIVE',
  'DEPROVISIONED',
  'LOCKED_OUT',
  'PASSWORD_EXPIRED',
  'PROVISIONED',
  'RECOVERY',
  'STAGED',
  'SUSPENDED',
] as const;

/** One Okta user status, as the API spells it. */
export type OktaUserStatus = (typeof SANDBOX_OKTA_USER_STATUSES)[number];
