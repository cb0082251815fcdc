// What applying a plan works with: the gateways it writes through, the store it journals and links in, the run it
// belongs to and how it reports. Its own file so the steps of apply (create, update, relink...) need not import
// apply-plan.ts, which imports them.
import type { DialpadGateway } from '../dialpad/types.js';
import type { Logger } from '../log/logger.js';
import type { OktaGateway } from '../okta/types.js';
import type { Rules } from '../plan/types.js';
import type { Store } from '../store/store.js';

/** Everything applyPlan and its steps need besides the plan. */
export interface ApplyContext {
  dialpad: DialpadGateway;
  okta: OktaGateway;
  store: Store;
  /** The run's rules; apply reads the write-back attribute and target (docs/rules.md#write-back). */
  rules: Rules;
  /** The run every write is journaled under (runs.id). */
  runId: string;
  /** Users whose Dialpad side is applied at once (a count, at least 1); a user's slot is freed before its write-back. */
  concurrency: number;
  /**
   * Okta write-backs sent at once, from their own queue (okta.concurrency; a count, at least 1); default
   * `concurrency`.
   */
  writeBackConcurrency?: number;
  /** Bound to the run (reconcile passes a child logger carrying runId). */
  logger: Logger;
  /** Called as users finish: users done so far, users in the plan. */
  onProgress?: (done: number, total: number) => void;
  /** userKey → sha256 of the user's Okta data, stored with a failure (quarantine lifts when it changes). */
  fingerprints?: ReadonlyMap<string, string>;
  /**
   * Aborted on shutdown: no step starts after it (reported not_run, "shutting down", and finished by the next run);
   * the write in flight finishes and is journaled.
   */
  signal?: AbortSignal;
  /** The run read only some users (--user, incremental, hook): plan/systemic-failure.ts rule 3 applies. */
  targeted?: boolean;
}
