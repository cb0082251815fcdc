// Quarantine: a user whose actions failed in N runs in a row is left alone (skipped with its last error) until
// its Okta data changes or an admin runs `dialsync release`; everyone else keeps syncing. Only a user's own
// failures count (a cause the run's users share never does: plan/systemic-failure.ts), and a user whose last
// failure has the code of a cause now known to be systemic is not held. Pure: the failure records, the
// fingerprints of the users' current Okta data and the systemic causes come in.
//
// Example: safety.quarantineAfter 3. Ann's create failed in 3 runs in a row with the same Okta data (fingerprint
// f1 then and now): she leaves the plan and is skipped as `quarantined`. Bob failed 2 runs in a row: still planned.
// Cy failed 5 runs, but his title changed in Okta since (f1 then, f2 now): one more attempt.
import type { SafetyPassResult } from './held-back.js';
import type { Plan, SkippedUser, UserPlan } from '../types.js';
import { userKeyOf } from '../user-key.js';

/** What the store remembers of a user's failing runs (only users failing in at least quarantineAfter runs in a row are read). */
export interface FailureRecord {
  userKey: string;
  consecutiveFailures: number;
  action: string;
  message: string;
  /** Fingerprint of the user's Okta data when it last failed; null when unknown. */
  oktaFingerprint: string | null;
  /** The last failure's cause code (plan/systemic-failure.ts); null when unknown. */
  cause: string | null;
}

/** The facts quarantine needs: the setting, the failure records, and the users' Okta data now. */
export interface QuarantineOptions {
  /** Failing runs in a row that quarantine a user; 0 turns quarantine off. */
  after: number;
  failures: readonly FailureRecord[];
  /** userKey → fingerprint of the user's Okta data now. */
  fingerprints: ReadonlyMap<string, string>;
  /** Codes of the causes known to be systemic now: a user whose last failure had one of them is not held. */
  systemicCodes?: ReadonlySet<string>;
}

/**
 * A user is quarantined when it has failed in at least `after` consecutive runs and its Okta data is the same as
 * when it last failed (a missing fingerprint on either side counts as unchanged). Changed data earns one more
 * attempt; if that fails too, the user is quarantined again. A quarantined user's plan leaves `plan.users` and the
 * user is listed in `plan.skipped` (code `quarantined`, kept in email order); `held` is always null.
 */
export function quarantine(plan: Plan, options: QuarantineOptions): SafetyPassResult {
  if (options.after <= 0 || options.failures.length === 0) return { plan, held: null };
  const byKey = new Map(options.failures.map((f) => [f.userKey, f]));
  const users: UserPlan[] = [];
  const skipped: SkippedUser[] = [...plan.skipped];
  for (const user of plan.users) {
    const key = userKeyOf(user);
    const failure = byKey.get(key);
    const now = options.fingerprints.get(key) ?? null;
    const stored = failure?.oktaFingerprint ?? null;
    const changed = stored !== null && now !== null && now !== stored;
    const systemic = failure?.cause ? (options.systemicCodes?.has(failure.cause) ?? false) : false;
    if (!failure || failure.consecutiveFailures < options.after || changed || systemic) {
      users.push(user);
      continue;
    }
    skipped.push({
      oktaUserId: user.oktaUserId,
      email: user.email,
      code: 'quarantined',
      reason: `quarantined after failing in ${failure.consecutiveFailures} runs in a row (last: ${failure.action}: ${failure.message}${failure.cause ? ` [${failure.cause}]` : ''}); it is retried when its Okta data changes, or run \`dialsync release ${user.email}\``,
    });
  }
  if (users.length === plan.users.length) return { plan, held: null };
  const lower = (s: string | null): string => (s ?? '').toLowerCase();
  skipped.sort((a, b) => (lower(a.email) < lower(b.email) ? -1 : lower(a.email) > lower(b.email) ? 1 : 0));
  return { plan: { ...plan, users, skipped }, held: null };
}

/**
 * How many users the quarantine holds when it holds every user the plan would act on (nothing is left to apply):
 * such a run is stuck, not a quiet success (the CLI warns and exits 1). 0 when some user is still planned, or
 * nobody is quarantined.
 */
export function quarantineStall(plan: Pick<Plan, 'users' | 'skipped'>): number {
  if (plan.users.length > 0) return 0;
  return plan.skipped.filter((skip) => skip.code === 'quarantined').length;
}
