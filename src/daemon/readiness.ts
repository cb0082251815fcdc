// What /readyz answers: ready only when the store answers, the last Okta and Dialpad access checks passed,
// and runs have not been failing for longer than the threshold. Pure state; the daemon feeds it.

export type AccessSide = 'okta' | 'dialpad';

export interface ReadinessVerdict {
  ready: boolean;
  /** Why not, one line each (never a secret: access errors are already redacted by the clients). */
  reasons: string[];
}

export class ReadinessState {
  private readonly access: Record<AccessSide, { ok: boolean; error: string | null } | null> = { okta: null, dialpad: null };
  /** Start of the current streak of failed runs, or null when the last run did not fail. */
  private failingSince: Date | null = null;
  private lastRunError: string | null = null;
  /** The last run had a systemic failure and none has run healthy since (daemon/systemic-backoff.ts). */
  private systemic = false;

  constructor(private readonly maxFailingSeconds: number) {}

  recordAccess(side: AccessSide, error: string | null): void {
    this.access[side] = { ok: error === null, error };
  }

  recordRun(outcome: 'succeeded' | 'partial' | 'failed', startedAt: Date, error: string | null): void {
    if (outcome === 'failed') {
      this.failingSince ??= startedAt;
      this.lastRunError = error;
    } else {
      this.failingSince = null;
      this.lastRunError = null;
    }
  }

  /** Whether a systemic failure is going on: unready (reason `systemic_failure`) until the first healthy run. */
  recordSystemic(failing: boolean): void {
    this.systemic = failing;
  }

  verdict(now: Date, storeError: string | null): ReadinessVerdict {
    const reasons: string[] = [];
    if (storeError !== null) reasons.push(`store: ${storeError}`);
    for (const side of ['okta', 'dialpad'] as const) {
      const check = this.access[side];
      const name = side === 'okta' ? 'Okta' : 'Dialpad';
      if (check === null) reasons.push(`${name}: access not checked yet`);
      else if (!check.ok) reasons.push(`${name}: ${check.error ?? 'access check failed'}`);
    }
    if (this.failingSince !== null) {
      const seconds = (now.getTime() - this.failingSince.getTime()) / 1000;
      if (seconds > this.maxFailingSeconds) {
        reasons.push(`runs have been failing for ${Math.round(seconds)} s (since ${this.failingSince.toISOString()}): ${this.lastRunError ?? 'unknown error'}`);
      }
    }
    if (this.systemic) reasons.push('systemic_failure');
    return { ready: reasons.length === 0, reasons };
  }
}
