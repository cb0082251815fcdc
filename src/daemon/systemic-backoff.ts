// How the daemon paces itself while a systemic failure lasts (a cause every user of a run shares: the write-back
// attribute missing, a credential refused, an outage, the rate limit used up). Pure state; the daemon feeds it.
//
// Full runs go on as scheduled (the schedule is the admin's bound on staleness, and a failing full run costs what a
// healthy one does). On top of that, after a systemic failure an extra full run is tried 5 min later, then 15 min
// after the next failing attempt, then every hour (the cap): a passing fault (a 503 storm, a used-up rate-limit
// window) is over within minutes, so the first try comes soon; a fix that needs a person (an attribute, a key) takes
// longer, and every attempt spends the listings and one failing request per planned user, so the tries thin out to
// the default schedule's pace. Incremental and event-hook runs pause meanwhile: each would fail the same way for its
// users, and the next full run covers them (the System Log cursor stays where it was). The first healthy run ends it
// all, and /readyz is ready again.

/** Delay before the extra full run after the 1st, 2nd, 3rd and later failing attempts in a row (ms). */
export const SYSTEMIC_RETRY_DELAYS_MS: readonly number[] = [5 * 60_000, 15 * 60_000, 60 * 60_000];

/**
 * The state of a systemic failure (see the file's header): fed every finished run's systemic cause codes, it says
 * whether targeted runs pause and when the extra full run is due (SYSTEMIC_RETRY_DELAYS_MS).
 */
export class SystemicBackoff {
  private failingRuns = 0;
  private retryAt: Date | null = null;
  private causes: string[] = [];

  /** Whether a systemic failure is going on (the last run had one and none has run healthy since). */
  get active(): boolean {
    return this.failingRuns > 0;
  }

  /** When the extra full run is due, while a systemic failure lasts; else null. */
  get nextAttemptAt(): Date | null {
    return this.retryAt;
  }

  /** The cause codes of the last failing run (for logs); empty when healthy. */
  get lastCauses(): readonly string[] {
    return this.causes;
  }

  /**
   * Records a finished run: `causes` are the codes of its systemic failures (empty: healthy). Returns the delay
   * before the extra full run in ms, or null when healthy (the backoff is over).
   */
  recordRun(causes: readonly string[], now: Date): number | null {
    if (causes.length === 0) {
      this.failingRuns = 0;
      this.retryAt = null;
      this.causes = [];
      return null;
    }
    this.failingRuns += 1;
    this.causes = [...causes];
    const delayMs = SYSTEMIC_RETRY_DELAYS_MS[Math.min(this.failingRuns, SYSTEMIC_RETRY_DELAYS_MS.length) - 1] ?? 0;
    this.retryAt = new Date(now.getTime() + delayMs);
    return delayMs;
  }
}
