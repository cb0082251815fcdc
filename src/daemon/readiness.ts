// What /readyz answers: ready only when the store takes writes (and is still the file opened), the last Okta and
// Dialpad access checks passed, and runs have not been failing for longer than the threshold. /readyz is
// unauthenticated, so it shows reason codes only; the detail behind each code (an org URL, an app id, an API's
// refusal text) goes to the log and, through the store, to `dialsync status`. Pure state; the daemon feeds it.
import { describeError } from '../errors/describe-error.js';
import { DialpadError } from '../dialpad/errors.js';
import { OktaError } from '../okta/errors.js';

/** Every reason the daemon can be unready, and what it means. Adding a reason is adding a line here. */
export const READINESS_REASONS = {
  okta_unchecked: 'the first Okta access check has not finished yet',
  okta_credentials: 'Okta refused the API token or the service app (401/403)',
  okta_app_not_found: 'Okta has no app with the configured id (okta.appId / OKTA_APP_ID)',
  okta_unreachable: 'Okta could not be reached, or failed the access check otherwise (timeout, 5xx, rate limit)',
  dialpad_unchecked: 'the first Dialpad access check has not finished yet',
  dialpad_credentials: 'Dialpad refused the API key (401/403)',
  dialpad_unreachable: 'Dialpad could not be reached, or failed the access check otherwise (timeout, 5xx, rate limit)',
  store_unwritable: 'the database did not take the readiness write in time',
  store_replaced: 'the SQLite file was deleted or replaced while the daemon had it open: restart the daemon',
  runs_failing: 'runs have been failing for longer than daemon.readyzMaxFailingSeconds',
  tenant_mismatch: 'the last run stopped: the Dialpad company or the Okta org or app answering is not the one the database is pinned to',
  systemic_failure: "the last run failed for a cause its users shared (see daemon/systemic-backoff.ts), until a run is healthy",
} as const;

/** A code /readyz may show (a key of READINESS_REASONS). */
export type ReadinessReason = keyof typeof READINESS_REASONS;

/** The API an access check is of. */
export type AccessSide = 'okta' | 'dialpad';

/** One reason with its detail: for the log and `dialsync status`, never for /readyz. */
export interface ReadinessProblem {
  reason: ReadinessReason;
  detail: string;
}

/** What a readiness check found. */
export interface ReadinessVerdict {
  /** No problem found: /readyz answers 200, else 503. */
  ready: boolean;
  /** The codes /readyz shows, in the order of READINESS_REASONS. */
  reasons: ReadinessReason[];
  /** The same, with their details. */
  problems: ReadinessProblem[];
}

const ORDER = Object.keys(READINESS_REASONS) as ReadinessReason[];
/** What an access check of each side decides: each check replaces its side's previous result. */
const ACCESS_REASONS: Record<AccessSide, readonly ReadinessReason[]> = {
  okta: ['okta_unchecked', 'okta_credentials', 'okta_app_not_found', 'okta_unreachable'],
  dialpad: ['dialpad_unchecked', 'dialpad_credentials', 'dialpad_unreachable'],
};

/**
 * What the daemon knows of its readiness between checks: the last access check of each side, reasons set by the
 * daemon (tenant mismatch, systemic failure), and the streak of failed runs, judged against `maxFailingSeconds`
 * (daemon.readyzMaxFailingSeconds). Unready until the first access check of each side has passed.
 */
export class ReadinessState {
  /** Standing problems by reason (access checks, and any a caller sets); runs_failing is worked out per verdict. */
  private readonly standing = new Map<ReadinessReason, string>([
    ['okta_unchecked', 'the Okta access check has not run yet'],
    ['dialpad_unchecked', 'the Dialpad access check has not run yet'],
  ]);
  /** Start of the current streak of failed runs, or null when the last run did not fail. */
  private failingSince: Date | null = null;
  private lastRunError: string | null = null;

  constructor(private readonly maxFailingSeconds: number) {}

  /** The result of one access check of `side`: null when it passed, else what it failed with. */
  recordAccess(side: AccessSide, error: unknown): void {
    for (const reason of ACCESS_REASONS[side]) this.standing.delete(reason);
    if (error !== null && error !== undefined) this.standing.set(accessReason(side, error), describeError(error));
  }

  /** Sets (detail) or clears (null) a standing reason: the hook for conditions other parts of the daemon notice. */
  setProblem(reason: ReadinessReason, detail: string | null): void {
    if (detail === null) this.standing.delete(reason);
    else this.standing.set(reason, detail);
  }

  /** A finished run: a failed one starts or extends the failing streak (with its error), any other ends it. */
  recordRun(outcome: 'succeeded' | 'partial' | 'failed', startedAt: Date, error: string | null): void {
    if (outcome === 'failed') {
      this.failingSince ??= startedAt;
      this.lastRunError = error;
    } else {
      this.failingSince = null;
      this.lastRunError = null;
    }
  }

  /** The verdict at `now`, given what the store check found (see Daemon.ready). */
  verdict(now: Date, storeProblems: readonly ReadinessProblem[] = []): ReadinessVerdict {
    const found = new Map<ReadinessReason, string>(this.standing);
    for (const problem of storeProblems) found.set(problem.reason, problem.detail);
    if (this.failingSince !== null) {
      const seconds = (now.getTime() - this.failingSince.getTime()) / 1000;
      if (seconds > this.maxFailingSeconds) {
        found.set('runs_failing', `runs have been failing for ${Math.round(seconds)} s (since ${this.failingSince.toISOString()}): ${this.lastRunError ?? 'unknown error'}`);
      }
    }
    const problems = ORDER.flatMap((reason) => {
      const detail = found.get(reason);
      return detail === undefined ? [] : [{ reason, detail }];
    });
    return { ready: problems.length === 0, reasons: problems.map((problem) => problem.reason), problems };
  }
}

/** Which reason a failed access check of `side` is: refused credentials, a wrong app id, or anything else. */
export function accessReason(side: AccessSide, error: unknown): ReadinessReason {
  if (side === 'okta') {
    if (error instanceof OktaError && (error.code === 'unauthorized' || error.code === 'forbidden')) return 'okta_credentials';
    if (error instanceof OktaError && error.code === 'app_not_found') return 'okta_app_not_found';
    return 'okta_unreachable';
  }
  if (error instanceof DialpadError && (error.code === 'unauthorized' || error.code === 'forbidden')) return 'dialpad_credentials';
  return 'dialpad_unreachable';
}
