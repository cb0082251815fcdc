import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createMeteredGateways } from '../../src/daemon/metered-gateways.js';
import { DaemonMetrics } from '../../src/daemon/metrics.js';
import { silentLogger } from '../../src/log/logger.js';
import { requiredEnv } from '../config/config-fixture.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

describe('createMeteredGateways', () => {
  it("shows the gateways' Dialpad rate budget on /metrics, from the configured ceiling", async () => {
    const config = loadConfig({ env: { ...requiredEnv, DIALPAD_API_KEY: 'dp-key-0123456789abcdef' } });
    const metrics = new DaemonMetrics({ processMetrics: false });
    const gateways = createMeteredGateways(config, silentLogger(), metrics);
    const samples = parsePrometheusText(await metrics.text());
    expect(sampleValue(samples, 'dialsync_dialpad_rate_requests_per_second', { limit: 'ceiling' })).toBe(config.dialpad.requestsPerSecond);
    expect(sampleValue(samples, 'dialsync_dialpad_rate_requests_per_second', { limit: 'current' })).toBe(config.dialpad.requestsPerSecond);
    expect(gateways.rates()).toEqual({ dialpad: { ceiling: config.dialpad.requestsPerSecond, current: config.dialpad.requestsPerSecond, throttled: 0 }, okta: {} });
  });
});
