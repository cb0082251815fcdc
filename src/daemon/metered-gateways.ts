// The daemon's Okta and Dialpad gateways, built like the CLI's but with every HTTP request counted in the
// metrics: Dialpad through DialpadClient's onResponse, Okta through the SDK request executor's events.
import type { Client } from '@okta/okta-sdk-nodejs';
import type { Gateways } from '../cli/connect.js';
import type { Config } from '../config/load.js';
import { DialpadClient } from '../dialpad/client.js';
import type { Logger } from '../log/logger.js';
import { createOktaClient } from '../okta/client.js';
import { OktaSource } from '../okta/source.js';
import type { DaemonMetrics } from './metrics.js';

export interface MeteredGateways extends Gateways {
  /** The SDK client under the Okta gateway (the System Log poll pages with it). */
  oktaClient: Client;
}

/** What the SDK's executor emits: node-fetch responses (url, status). */
interface ExecutorResponse {
  url?: unknown;
  status?: unknown;
}

export function createMeteredGateways(config: Config, logger: Logger, metrics: DaemonMetrics): MeteredGateways {
  const oktaClient = createOktaClient(config.okta);
  oktaClient.requestExecutor.on('response', (response: ExecutorResponse) => {
    const url = typeof response.url === 'string' ? response.url : '';
    metrics.recordApiRequest('okta', url, typeof response.status === 'number' ? response.status : null);
  });
  const okta = new OktaSource({ client: oktaClient, appId: config.okta.appId, pageSize: config.okta.pageSize, logger });
  const dialpad = new DialpadClient({
    baseUrl: config.dialpad.baseUrl,
    apiKey: config.dialpad.apiKey,
    requestsPerSecond: config.dialpad.requestsPerSecond,
    maxRetries: config.dialpad.maxRetries,
    timeoutMs: config.dialpad.timeoutMs,
    logger,
    onResponse: (info) => metrics.recordApiRequest('dialpad', info.path, info.status),
  });
  return { okta, dialpad, oktaClient };
}
