// The daemon's Okta and Dialpad gateways, built like the CLI's but with every HTTP request counted in the
// metrics: Dialpad through DialpadClient's onResponse, Okta through the request executor's events.
import type { Config } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { buildGateways, type BuiltGateways } from '../wiring/build.js';
import type { DaemonMetrics } from './metrics.js';

/** What the SDK's executor emits: node-fetch responses (url, status). */
interface ExecutorResponse {
  url?: unknown;
  status?: unknown;
}

/**
 * The gateways with metrics attached (dialsync_api_requests_total, dialsync_rate_limit_waits_total,
 * dialsync_api_throttled_total, and the adaptive rates' gauges read at each scrape); `stop` is the
 * daemon's shutdown signal and `writeGate` the journal's fence (see buildGateways). Contacts nothing.
 */
export function createMeteredGateways(config: Config, logger: Logger, metrics: DaemonMetrics, stop?: AbortSignal, writeGate?: () => void): BuiltGateways {
  const gateways = buildGateways(config, logger, {
    observers: {
      onDialpadResponse: (info) => metrics.recordApiRequest('dialpad', info.path, info.status),
      // The pacer's own waits (staying under the share of a bucket), on top of the 429s counted below.
      onOktaRateLimitWait: () => metrics.recordRateLimitWait('okta'),
      onThrottled: (service, bucket) => metrics.recordThrottled(service, bucket),
    },
    ...(stop ? { stop } : {}),
    ...(writeGate ? { writeGate } : {}),
  });
  metrics.watchRates(gateways.rates);
  gateways.oktaClient.requestExecutor.on('response', (response: ExecutorResponse) => {
    const url = typeof response.url === 'string' ? response.url : '';
    metrics.recordApiRequest('okta', url, typeof response.status === 'number' ? response.status : null);
  });
  return gateways;
}
