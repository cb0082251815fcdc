import { describe, expect, it } from 'vitest';
import { DaemonMetrics, endpointTemplate } from '../../src/daemon/metrics.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

describe('endpointTemplate', () => {
  it.each([
    ['/api/v2/users/5712345678901234', '/api/v2/users/{id}'],
    ['/api/v2/users/5712345678901234/assign_number', '/api/v2/users/{id}/assign_number'],
    ['https://acme.okta.com/api/v1/apps/0oa1b2c3d4e5f6g7h8i9/users?limit=500&expand=user', '/api/v1/apps/{id}/users'],
    ['/api/v1/users/ann%40acme.com', '/api/v1/users/{id}'],
    ['/api/v1/users/me', '/api/v1/users/me'],
    ['/api/v1/logs', '/api/v1/logs'],
  ])('%s → %s', (path, expected) => {
    expect(endpointTemplate(path)).toBe(expected);
  });
});

describe('DaemonMetrics', () => {
  it('writes Prometheus text that parses, with its own registry', async () => {
    const metrics = new DaemonMetrics({ processMetrics: false });
    const other = new DaemonMetrics({ processMetrics: false });
    metrics.recordRun('full', 'succeeded', 1.5, new Date('2026-01-01T00:00:00Z'));
    metrics.recordRun('hook', 'failed', 0.2, new Date());
    metrics.recordSkippedRun('full');
    metrics.recordActions([
      { email: 'a@x.com', oktaUserId: '00u1', dialpadUserId: '1', kind: 'create', outcome: 'done', detail: null, error: null },
      { email: 'a@x.com', oktaUserId: '00u1', dialpadUserId: '1', kind: 'write_back', outcome: 'failed', detail: null, error: 'x' },
    ]);
    metrics.recordApiRequest('dialpad', '/api/v2/users/123', 200);
    metrics.recordApiRequest('dialpad', '/api/v2/users/456', 200);
    metrics.recordApiRequest('okta', 'https://acme.okta.com/api/v1/users/00u1abc', 429);
    metrics.recordApiRequest('dialpad', '/api/v2/company', null);
    metrics.setManagedUsers(7);

    const samples = parsePrometheusText(await metrics.text());
    expect(sampleValue(samples, 'dialsync_runs_total', { kind: 'full', outcome: 'succeeded' })).toBe(1);
    expect(sampleValue(samples, 'dialsync_runs_total', { kind: 'full', outcome: 'skipped' })).toBe(1);
    expect(sampleValue(samples, 'dialsync_runs_total', { kind: 'hook', outcome: 'failed' })).toBe(1);
    expect(sampleValue(samples, 'dialsync_run_duration_seconds_count', { kind: 'full' })).toBe(1);
    expect(sampleValue(samples, 'dialsync_actions_total', { kind: 'write_back', outcome: 'failed' })).toBe(1);
    expect(sampleValue(samples, 'dialsync_api_requests_total', { service: 'dialpad', endpoint: '/api/v2/users/{id}', status: '200' })).toBe(2);
    expect(sampleValue(samples, 'dialsync_api_requests_total', { service: 'dialpad', endpoint: '/api/v2/company', status: 'error' })).toBe(1);
    expect(sampleValue(samples, 'dialsync_rate_limit_waits_total', { service: 'okta' })).toBe(1);
    expect(sampleValue(samples, 'dialsync_managed_users', {})).toBe(7);
    expect(sampleValue(samples, 'dialsync_last_successful_run_timestamp_seconds', {})).toBe(Date.parse('2026-01-01T00:00:00Z') / 1000);
    expect(parsePrometheusText(await other.text()).filter((s) => s.name === 'dialsync_runs_total')).toEqual([]);
  });

  it('has every 429 series at 0 before the first 429, so rate() and alerts see the first one as a rise', async () => {
    const samples = parsePrometheusText(await new DaemonMetrics({ processMetrics: false }).text());
    expect(sampleValue(samples, 'dialsync_api_throttled_total', { service: 'dialpad', bucket: 'company' })).toBe(0);
    for (const bucket of ['apps', 'user_writes', 'user_reads', 'logs', 'other']) {
      expect(sampleValue(samples, 'dialsync_api_throttled_total', { service: 'okta', bucket })).toBe(0);
    }
    expect(sampleValue(samples, 'dialsync_rate_limit_waits_total', { service: 'dialpad' })).toBe(0);
    expect(sampleValue(samples, 'dialsync_rate_limit_waits_total', { service: 'okta' })).toBe(0);
  });

  it('exposes each API\'s adaptive rate as read at each scrape, and the 429s by service and bucket', async () => {
    const metrics = new DaemonMetrics({ processMetrics: false });
    let dialpadRate = 15;
    metrics.watchRates(() => ({
      dialpad: { ceiling: 15, current: dialpadRate, throttled: 0 },
      okta: { apps: { ceiling: 0.5, current: 0.35, throttled: 1 }, user_writes: { ceiling: 0.5, current: 0.5, throttled: 0 } },
    }));
    metrics.recordThrottled('dialpad', 'company');
    metrics.recordThrottled('dialpad', 'company');
    metrics.recordThrottled('okta', 'apps');

    let samples = parsePrometheusText(await metrics.text());
    expect(sampleValue(samples, 'dialsync_dialpad_rate_requests_per_second', { limit: 'current' })).toBe(15);
    expect(sampleValue(samples, 'dialsync_dialpad_rate_requests_per_second', { limit: 'ceiling' })).toBe(15);
    expect(sampleValue(samples, 'dialsync_okta_rate_limit_share', { bucket: 'apps', limit: 'current' })).toBe(0.35);
    expect(sampleValue(samples, 'dialsync_okta_rate_limit_share', { bucket: 'user_writes', limit: 'ceiling' })).toBe(0.5);
    expect(sampleValue(samples, 'dialsync_api_throttled_total', { service: 'dialpad', bucket: 'company' })).toBe(2);
    expect(sampleValue(samples, 'dialsync_api_throttled_total', { service: 'okta', bucket: 'apps' })).toBe(1);

    // A cut between two scrapes shows in the next one.
    dialpadRate = 10.5;
    samples = parsePrometheusText(await metrics.text());
    expect(sampleValue(samples, 'dialsync_dialpad_rate_requests_per_second', { limit: 'current' })).toBe(10.5);
  });
});
