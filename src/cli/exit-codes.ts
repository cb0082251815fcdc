// Exit codes, as documented in the README.
import type { ReconcileOutcome } from '../reconcile/run-outcome.js';

/**
 * Every exit code of the `dialsync` command line, by meaning; the commands' help and the README list them. A
 * finished run's code comes from exitCodeOfRun, a failure's from exitCodeFor (cli/runtime.ts).
 */
export const EXIT = {
  /** Done: nothing failed (a dry run that planned, or an apply where every action went through). */
  ok: 0,
  /**
   * The run finished but some users' actions failed (they are listed; the others were applied), or every user it
   * would act on is quarantined (nothing was tried).
   */
  usersFailed: 1,
  /**
   * Configuration or usage error: nothing was contacted; or a scope.groups entry names no Okta group, or a name
   * several share (found while reading: nothing was written).
   */
  config: 2,
  /**
   * Okta or Dialpad refused the credentials, the app id is wrong, an API could not be reached at start, or the Dialpad
   * company or Okta org or app answering is not the one the store is pinned to (nothing was changed).
   */
  access: 3,
  /**
   * The run failed as a whole (an API failed while reading, a listing answered something that is not a listing,
   * or the store failed); nothing more was applied.
   */
  runFailed: 4,
  /**
   * The source health gate, the Dialpad health gate or the mass-change guard held suspends, deletes or re-creations
   * of linked users back (everything else was applied;
   * a dry run exits with it too). Wins over usersFailed. Let them through with --allow-mass-changes, or approve the
   * held suspends and deletes one by one (`dialsync approve`).
   */
  massChangeHeld: 5,
  /**
   * A systemic failure: a cause the run's users shared (the write-back attribute missing in Okta, a credential or
   * permission refused, an outage, the rate limit used up). Reported once, with what to do; it counts toward
   * nobody's quarantine. Wins over massChangeHeld and usersFailed.
   */
  systemic: 6,
  /**
   * Everything else was done (or, in a dry run, planned), but some assigned, in-scope users were left without a
   * Dialpad user because their email is held elsewhere (another Okta user still holding the Dialpad user, two
   * Okta users with one email, several Dialpad users with it). The output says what to do for each. 6, 5 and 1 win over it.
   */
  unprovisioned: 7,
  /**
   * `reconcile --apply` found the run lock held by another process (a leading daemon, another reconcile --apply)
   * and wrote nothing; or it lost the lock during its run (paused past the lock's TTL) and wrote nothing more. The
   * message says who holds it, on which host, with which pid and since when.
   */
  lockHeld: 8,
  /**
   * `dialsync apply plan.json` refused some planned users: Okta or Dialpad changed them since `reconcile --out`
   * made the file (each listed with what changed). The others were applied. 8, 6 and 1 win over it.
   */
  planUsersRefused: 9,
  /**
   * `dialsync apply plan.json` refused the file whole, before anything was written: not a plan file, an unknown
   * version, edited after it was written (checksum), made under another config or for another tenant, or older than
   * planFile.maxAgeHours. The message says which.
   */
  planFileRefused: 10,
} as const;

/**
 * A finished run's exit code, from its outcome and what the safety gates held back: systemic failure (6) wins over
 * held back (5), which wins over failed or all-quarantined users (1), which wins over users left unprovisioned by
 * an email conflict (7). A run a SIGTERM or SIGINT interrupted exits 1: some users' actions were not run (the
 * next run does them). A run that lost the run lock exits 8, whatever else happened.
 */
export function exitCodeOfRun(outcome: ReconcileOutcome, heldBack: boolean): number {
  if (outcome === 'lease_lost') return EXIT.lockHeld;
  if (outcome === 'systemic') return EXIT.systemic;
  if (heldBack) return EXIT.massChangeHeld;
  switch (outcome) {
    case 'users_failed':
    case 'all_quarantined':
    case 'interrupted':
      return EXIT.usersFailed;
    case 'unprovisioned':
      return EXIT.unprovisioned;
    case 'succeeded':
      return EXIT.ok;
  }
}
