// Explain one user: what `dialsync reconcile --user EMAIL` would read, plan and hold for them, as one typed value.
// The CLI's `dialsync explain` and the console's user page both call it, so they can never disagree. Read-only:
// nothing is changed, no run is recorded, and the tenant check never pins (as a dry run does not).
import type { Config } from '../config/load.js';
import type { DialpadGateway } from '../dialpad/types.js';
import type { Logger } from '../log/logger.js';
import type { OktaGateway } from '../okta/types.js';
import { calculatePlan } from '../plan/calculate.js';
import { explainUnmanaged, explainUser, type Explanation } from '../plan/explain.js';
import type { Store } from '../store/store.js';
import { readSafetyFacts } from './read-safety-facts.js';
import { readSides, UserNotFoundError } from './read-sides.js';
import { configuredTenant, guardTenant } from './tenant-guard.js';

/**
 * What `dialsync explain --json` prints for one user: both sides with the attribute behind each field, the office,
 * license and number rules' choices, and the next run's actions, skips and held-back actions (plan/explain.ts).
 */
export type UserExplanation = Explanation;

/** What explaining a user reads through: the API gateways, the store (links, safety facts) and the loaded config. */
export interface ExplainUserDeps {
  /** The two sides (the composition root's Gateways; declared here as reconcile/ does not import wiring/). */
  gateways: { okta: OktaGateway; dialpad: DialpadGateway };
  store: Store;
  config: Config;
  logger: Logger;
}

/**
 * Explains the user with this email (an Okta login or a linked user's email, matched by email identity): the same
 * reads, planner and safety passes as a run limited to that user, so a user a cap, the seat check, the mass-change
 * guard or quarantine would hold is explained as held with the reason the run gives. An email only a live Dialpad
 * user holds (no Okta user or link claims it) is explained as unmanaged. Changes nothing and records no run.
 * @throws TenantMismatchError when Okta or Dialpad is not the org or company the database is pinned to;
 *   UserNotFoundError when neither Okta, a link nor a live Dialpad user holds the email; OktaError, DialpadError
 *   or a store error when a read fails.
 */
export async function explainOneUser(deps: ExplainUserDeps, email: string): Promise<UserExplanation> {
  const { gateways, store, config, logger } = deps;
  // The same tenant check as a run (a mismatch is the same error); never pins, as a dry run does not.
  await guardTenant({ store, dialpad: gateways.dialpad, okta: gateways.okta, configured: configuredTenant(config.okta), apply: false, runId: 'explain', logger });
  let input;
  try {
    input = await readSides(gateways.okta, gateways.dialpad, store, config.rules, { onlyEmail: email, oktaConcurrency: config.okta.concurrency });
  } catch (error) {
    // Neither Okta nor a link knows the email: a Dialpad user holding it is unmanaged, as a run would list it.
    if (!(error instanceof UserNotFoundError)) throw error;
    const [holders, offices] = await Promise.all([gateways.dialpad.findUsersByEmail(email), gateways.dialpad.listOffices()]);
    const unmanaged = explainUnmanaged(email, holders, offices);
    if (unmanaged === null) throw error;
    return unmanaged;
  }
  // The facts a run reads for its safety passes, for the plan a run limited to this user would calculate.
  const plan = calculatePlan(input, config.rules);
  const facts = await readSafetyFacts({ input, plan, rules: config.rules, safety: config.safety, store, dialpad: gateways.dialpad, allowMassChanges: false });
  return explainUser(input, config.rules, email, { settings: config.safety, facts });
}
