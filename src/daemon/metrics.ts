// What Prometheus scrapes from /metrics. A registry of our own (not prom-client's global one), so tests
// and several daemons in one process never share counters.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActionResult } from '../apply/apply-plan.js';

export type ApiService = 'okta' | 'dialpad';

export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({
    name: 'dialsync_runs_total',
    help: 'Reconciliations by kind (full, incremental, hook) and outcome (succeeded, partial, failed, skipped).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly runDuration = new Histogram({
    name: 'dialsync_run_duration_seconds',
    help: 'How long reconciliations take, by kind.',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  private readonly actions = new Counter({
    name: 'dialsync_actions_total',
    help: 'Planned actions carried out, by kind (create, update, ...) and outcome (done, failed, not_run, unchanged).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly apiRequests = new Counter({
    name: 'dialsync_api_requests_total',
    help: 'HTTP requests to Okta and Dialpad by service, templated endpoint and status ("error" when no response came back).',
    labelNames: ['service', 'endpoint', 'status'] as const,
    registers: [this.registry],
  });
  private readonly rateLimitWaits = new Counter({
    name: 'dialsync_rate_limit_waits_total',
    help: 'Times a request was rate limited (HTTP 429) and waited before retrying.',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });
  private readonly managedUsers = new Gauge({
    name: 'dialsync_managed_users',
    help: 'Dialpad users linked to an Okta user.',
    registers: [this.registry],
  });
  private readonly lastSuccess = new Gauge({
    name: 'dialsync_last_successful_run_timestamp_seconds',
    help: 'Unix time at which the last reconciliation without failures finished.',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'dialsync_' });
  }

  recordRun(kind: string, outcome: 'succeeded' | 'partial' | 'failed', durationSeconds: number, finishedAt: Date): void {
    this.runs.inc({ kind, outcome });
    this.runDuration.observe({ kind }, durationSeconds);
    if (outcome === 'succeeded') this.lastSuccess.set(finishedAt.getTime() / 1000);
  }

  recordSkippedRun(kind: string): void {
    this.runs.inc({ kind, outcome: 'skipped' });
  }

  recordActions(results: readonly ActionResult[]): void {
    for (const result of results) this.actions.inc({ kind: result.kind, outcome: result.outcome });
  }

  recordApiRequest(service: ApiService, path: string, status: number | null): void {
    this.apiRequests.inc({ service, endpoint: endpointTemplate(path), status: status === null ? 'error' : String(status) });
    if (status === 429) this.rateLimitWaits.inc({ service });
  }

  recordRateLimitWait(service: ApiService): void {
    this.rateLimitWaits.inc({ service });
  }

  setManagedUsers(count: number): void {
    this.managedUsers.set(count);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * The path with ids replaced by {id}, so the label's values stay few: /api/v2/users/5412 → /api/v2/users/{id}.
 * A segment is an id when it holds a digit or an @ (Okta ids, Dialpad ids, logins), except version segments (v1).
 */
export function endpointTemplate(pathOrUrl: string): string {
  let path = pathOrUrl;
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return 'unknown';
    }
  }
  path = path.split(/[?#]/)[0] ?? '';
  return path
    .split('/')
    .map((segment) => (segment !== '' && !/^v\d+$/.test(segment) && /[0-9@%]/.test(segment) ? '{id}' : segment))
    .join('/');
}
