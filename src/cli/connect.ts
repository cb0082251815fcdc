// The imperative shell's wiring: config → logger, store, Okta and Dialpad gateways, each checked once.
import { DialpadClient, type DialpadResponseInfo } from '../dialpad/client.js';
import type { DialpadGateway } from '../dialpad/types.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { createOktaClient, type OktaClient } from '../okta/client.js';
import { OktaSource } from '../okta/source.js';
import type { OktaGateway } from '../okta/types.js';
import { attributesReadBy } from '../plan/rules/profile-attribute.js';

export interface Gateways {
  okta: OktaGateway;
  dialpad: DialpadGateway;
}

/** Observers the daemon attaches for its metrics. */
export interface GatewayObservers {
  onDialpadResponse?: (info: DialpadResponseInfo) => void;
  onOktaRateLimitWait?: () => void;
}

/**
 * Build these once per process and share them: each gateway holds its API's only client-side limiter (Dialpad:
 * dialpad.requestsPerSecond, default 15 of the 20 requests/s Dialpad allows per company; Okta: paced from its
 * rate-limit headers under okta.rateLimitShare, default half, of each bucket). A second gateway would double the budget.
 * `stop` (the daemon's shutdown) ends every wait and retry of both and cuts off their reads (see DialpadClientOptions.signal).
 */
export function createGateways(config: Config, logger: Logger, observers: GatewayObservers = {}, stop?: AbortSignal): Gateways & { oktaClient: OktaClient } {
  const { onOktaRateLimitWait, onDialpadResponse } = observers;
  const oktaClient = createOktaClient(
    { ...config.okta, ...(onOktaRateLimitWait ? { onRateLimitWait: () => onOktaRateLimitWait() } : {}) },
    { logger, redactor: config.redactor, ...(stop ? { signal: stop } : {}) },
  );
  const okta = new OktaSource({
    client: oktaClient,
    appId: config.okta.appId,
    pageSize: config.okta.pageSize,
    keepAttributes: attributesReadBy(config.rules),
    logger,
  });
  const dialpad = new DialpadClient({
    baseUrl: config.dialpad.baseUrl,
    apiKey: config.dialpad.apiKey,
    requestsPerSecond: config.dialpad.requestsPerSecond,
    maxRetries: config.dialpad.maxRetries,
    timeoutMs: config.dialpad.timeoutMs,
    logger,
    redactor: config.redactor,
    ...(onDialpadResponse ? { onResponse: onDialpadResponse } : {}),
    ...(stop ? { signal: stop } : {}),
  });
  return { okta, dialpad, oktaClient };
}

/** A failure of the start-up check: bad credentials, a wrong app id, or an API that cannot be reached. */
export class AccessCheckError extends Error {
  readonly code = 'access';
  constructor(readonly side: 'Okta' | 'Dialpad', cause: unknown) {
    super(`${side} access check failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'AccessCheckError';
  }
}

/** Both credentials are checked before anything is read (the Okta SDK would otherwise hide a bad token). */
export async function checkAccess(gateways: Gateways): Promise<void> {
  await Promise.all([
    gateways.okta.checkAccess().catch((error: unknown) => {
      throw new AccessCheckError('Okta', error);
    }),
    gateways.dialpad.checkAccess().catch((error: unknown) => {
      throw new AccessCheckError('Dialpad', error);
    }),
  ]);
}
