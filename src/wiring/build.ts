// The composition root: (config, logger) → the Okta and Dialpad gateways, the store and the reconcile
// dependencies. The CLI commands, the daemon's build function, the benchmark and the tests all build through
// here, so what runs in a test or a benchmark is what runs in production.
import { setMaxListeners } from 'node:events';
import type { Config, StoreConfig } from '../config/load.js';
import { DialpadClient, type DialpadResponseInfo } from '../dialpad/client.js';
import { RateLimiter } from '../dialpad/rate-limiter.js';
import type { DialpadGateway } from '../dialpad/types.js';
import type { Logger } from '../log/logger.js';
import { createOktaClient, type OktaClient } from '../okta/client.js';
import type { OktaRateBucket } from '../okta/rate-pacer.js';
import { OktaSource } from '../okta/source.js';
import type { OktaGateway } from '../okta/types.js';
import { attributesReadBy } from '../plan/rules/profile-attribute.js';
import type { RateBudgets } from '../reconcile/rate-budgets.js';
import type { ReconcileDeps, ThrottleTally } from '../reconcile/reconcile.js';
import { configuredTenant } from '../reconcile/tenant-guard.js';
import { Store } from '../store/store.js';

/** The two sides a run reads and writes: the desired side (Okta) and the current side (Dialpad). */
export interface Gateways {
  okta: OktaGateway;
  dialpad: DialpadGateway;
  /** 429 answers each API gave since the gateways were built (buildGateways counts them; a run keeps its share). */
  throttled?: () => ThrottleTally;
  /** Each API's adaptive rate budget now (ceiling, current rate, 429s since built). */
  rates?: () => RateBudgets;
}

/** The gateways as built, with the Okta client under the Okta gateway (the System Log reader pages with it). */
export interface BuiltGateways extends Gateways {
  oktaClient: OktaClient;
  throttled: () => ThrottleTally;
  rates: () => RateBudgets;
}

/** Observers the daemon attaches for its metrics. */
export interface GatewayObservers {
  /** Every Dialpad response (path and status), retries included. */
  onDialpadResponse?: (info: DialpadResponseInfo) => void;
  /** Every wait the Okta pacer adds to stay under its share of a rate-limit bucket. */
  onOktaRateLimitWait?: () => void;
  /** Every 429 answer: Dialpad's (bucket `company`: its limit is per company) and Okta's, with its bucket. */
  onThrottled?: (service: 'okta' | 'dialpad', bucket: OktaRateBucket | 'company') => void;
}

/**
 * The Okta and Dialpad gateways for `config`. Build them once per process and share them: each holds its API's
 * only client-side limiter (Dialpad: at most dialpad.requestsPerSecond, default 15 of the 20 requests/s Dialpad allows
 * per company; Okta: paced from its rate-limit headers under okta.rateLimitShare, default half, of each bucket; both
 * adapt below that to the 429s they meet), so a second pair would double the budget. `rates` reports both budgets. `stop` (the daemon's shutdown) ends every wait and retry of both and cuts
 * off their reads (see DialpadClientOptions.signal). `writeGate` is asked right before each write is sent (the
 * journal's fence: Journal.checkFence), so a process that lost the run lock sends nothing more. `throttled` counts
 * each API's 429 answers from then on (a run records its own share). Contacts nothing;
 * throws nothing for a loaded config.
 */
export function buildGateways(
  config: Config,
  logger: Logger,
  options: { observers?: GatewayObservers; stop?: AbortSignal; writeGate?: () => void } = {},
): BuiltGateways {
  const { onOktaRateLimitWait, onDialpadResponse, onThrottled } = options.observers ?? {};
  const { stop, writeGate } = options;
  // Always on, whatever the observers: each run records its own share of these (ReconcileDeps.throttled).
  const tally: ThrottleTally = { dialpad: 0, okta: 0 };
  // Every request, wait and retry in flight listens to the stop signal: with a run's concurrency that is more than
  // Node's leak warning threshold (10 listeners), and each listener goes when its request ends.
  if (stop) setMaxListeners(0, stop);
  const oktaClient = createOktaClient(
    {
      ...config.okta,
      ...(onOktaRateLimitWait ? { onRateLimitWait: () => onOktaRateLimitWait() } : {}),
      onThrottled: (bucket) => {
        tally.okta += 1;
        onThrottled?.('okta', bucket);
      },
    },
    { logger, redactor: config.redactor, ...(stop ? { signal: stop } : {}), ...(writeGate ? { writeGate } : {}) },
  );
  const okta = new OktaSource({
    client: oktaClient,
    appId: config.okta.appId,
    pageSize: config.okta.pageSize,
    keepAttributes: attributesReadBy(config.rules),
    logger,
  });
  // The process's one Dialpad limiter: its adaptive rate is what rates() reports.
  const rateLimiter = new RateLimiter({ requestsPerSecond: config.dialpad.requestsPerSecond });
  const dialpad = new DialpadClient({
    baseUrl: config.dialpad.baseUrl,
    apiKey: config.dialpad.apiKey,
    rateLimiter,
    maxRetries: config.dialpad.maxRetries,
    timeoutMs: config.dialpad.timeoutMs,
    logger,
    redactor: config.redactor,
    onResponse: (info: DialpadResponseInfo) => {
      if (info.status === 429) {
        tally.dialpad += 1;
        onThrottled?.('dialpad', 'company');
      }
      onDialpadResponse?.(info);
    },
    ...(stop ? { signal: stop } : {}),
    ...(writeGate ? { writeGate } : {}),
  });
  const rates = (): RateBudgets => ({ dialpad: rateLimiter.state(), okta: oktaClient.requestExecutor.shareStates() });
  return { okta, dialpad, oktaClient, throttled: () => ({ ...tally }), rates };
}

/**
 * Opens the configured database (creating it and applying migrations when needed), with the config's redactor,
 * so no secret reaches it (the CLI and the daemon always have one; a test reading a run's database may not), and
 * the PostgreSQL settings when the database is a DSN.
 * Throws what the store throws (an unreadable file, a failed migration).
 */
export function openStore(config: Pick<StoreConfig, 'database'> & Partial<Pick<StoreConfig, 'redactor' | 'postgres'>>): Promise<Store> {
  return Store.open(config.database, undefined, config.redactor, config.postgres);
}

/**
 * What `reconcile` needs, from the config and the parts built above: the rules, the safety settings, the
 * concurrency of each side (Dialpad: `concurrency` users at once; Okta: okta.concurrency reads, and write-backs, at once) and the
 * configured tenant that the store's pin is checked against.
 */
export function buildReconcileDeps(config: Config, parts: { gateways: Gateways; store: Store; logger: Logger }): ReconcileDeps {
  return {
    okta: parts.gateways.okta,
    dialpad: parts.gateways.dialpad,
    store: parts.store,
    rules: config.rules,
    safety: config.safety,
    logger: parts.logger,
    concurrency: config.concurrency,
    oktaConcurrency: config.okta.concurrency,
    tenant: configuredTenant(config.okta),
    ...(parts.gateways.throttled ? { throttled: parts.gateways.throttled } : {}),
    ...(parts.gateways.rates ? { rates: parts.gateways.rates } : {}),
  };
}
