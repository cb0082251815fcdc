// Where each API's adaptive rate stood during a run, for the run's JSON: the budgets are the process's (one
// limiter per API, shared by every run), the run reports their state when it ended and the 429s it met.
import type { OktaRateBucket } from '../okta/rate-pacer.js';
import type { AdaptiveRateState } from '../timing/adaptive-rate.js';

/**
 * Each API's rate budget: Dialpad's in requests per second (ceiling: dialpad.requestsPerSecond), Okta's per
 * rate-limit bucket that answered, as the share of the bucket's limit (ceiling: okta.rateLimitShare).
 * `throttled` counts 429 answers.
 */
export interface RateBudgets {
  dialpad: AdaptiveRateState;
  okta: Partial<Record<OktaRateBucket, AdaptiveRateState>>;
}

/**
 * The budgets as a run reports them: rates as they stand at `after`, rounded to 2 decimals (the limiter's own floats,
 * 2.6905224549999995, are noise to a reader), 429s counted since `before` (both taken from the same process's
 * limiters). Pure.
 */
export function ratesOfRun(before: RateBudgets, after: RateBudgets): RateBudgets {
  const okta: Partial<Record<OktaRateBucket, AdaptiveRateState>> = {};
  for (const [bucket, state] of Object.entries(after.okta) as [OktaRateBucket, AdaptiveRateState][]) {
    okta[bucket] = reported(state, before.okta[bucket]?.throttled ?? 0);
  }
  return { dialpad: reported(after.dialpad, before.dialpad.throttled), okta };
}

function reported(state: AdaptiveRateState, throttledBefore: number): AdaptiveRateState {
  return { ...state, ceiling: hundredths(state.ceiling), current: hundredths(state.current), throttled: state.throttled - throttledBefore };
}

function hundredths(rate: number): number {
  return Math.round(rate * 100) / 100;
}
