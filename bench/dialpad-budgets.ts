// The shared-budget and told-the-limit scenarios: how much of Dialpad's company budget is left for dialsync, and
// what dialsync is told. The sandbox counts these limits in a strict 1 s sliding window, as the measurements that
// set the targets did.

/** One org's Dialpad budget: what the sandbox grants, what dialsync is configured with. */
export interface DialpadBudgetVariant {
  /** The row's scenario name. */
  scenario: 'shared-budget' | 'shared-budget-drop' | 'told-limit';
  /** Requests per second the sandbox grants dialsync (before time scaling). */
  availablePerSecond: number;
  /** When set, the grant drops to this many per second once half the run's fewest Dialpad requests have arrived. */
  dropsToPerSecond?: number;
  /** dialpad.requestsPerSecond dialsync runs with (before time scaling). */
  configuredPerSecond: number;
}

/**
 * `shared-budget`: 12/s left while dialsync is configured at its default 15/s; then 20/s that drops to 10/s mid-run.
 * `told-limit`: dialsync told 95 % of the 20/s the sandbox grants.
 */
export const BUDGET_VARIANTS: Readonly<Record<'shared-budget' | 'told-limit', readonly DialpadBudgetVariant[]>> = {
  'shared-budget': [
    { scenario: 'shared-budget', availablePerSecond: 12, configuredPerSecond: 15 },
    { scenario: 'shared-budget-drop', availablePerSecond: 20, dropsToPerSecond: 10, configuredPerSecond: 15 },
  ],
  'told-limit': [{ scenario: 'told-limit', availablePerSecond: 20, configuredPerSecond: 19 }],
};

/** The variant in words, e.g. "20/s → 10/s available, configured 15/s". */
export function describeBudget(variant: DialpadBudgetVariant): string {
  const available = variant.dropsToPerSecond === undefined ? `${variant.availablePerSecond}/s` : `${variant.availablePerSecond}/s → ${variant.dropsToPerSecond}/s`;
  return `${available} available (sliding 1 s window), configured ${variant.configuredPerSecond}/s`;
}
