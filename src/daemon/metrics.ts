// What Prometheus scrapes from /metrics. A registry of our own (not prom-client's global one), so tests
// and several daemons in one process never share counters.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActionResult } from '../apply/apply-plan.js';
import type { RateBudgets } from '../reconcile/rate-budgets.js';
import { OKTA_RATE_BUCKETS } from '../okta/rate-pacer.js';

/** The `service` label of the API metrics. */
export type ApiService = 'okta' | 'dialpad';

/**
 * The daemon's Prometheus metrics, each `dialsync_`-prefixed (runs, run duration in seconds, actions, API requests,
 * rate-limit waits, 429s, each API's adaptive rate, managed users, last successful run, leadership), and the
 * process metrics unless `processMetrics: false`.
 */
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
  private readonly throttled = new Counter({
    name: 'dialsync_api_throttled_total',
    help: 'HTTP 429 (Too Many Requests) answers by service and rate-limit bucket (Dialpad: company; Okta: apps, user_reads, user_writes, logs, other).',
    labelNames: ['service', 'bucket'] as const,
    registers: [this.registry],
  });
  /** Read at each scrape from watchRates' source. */
  private rates: (() => RateBudgets) | undefined;
  private readonly dialpadRate = new Gauge({
    name: 'dialsync_dialpad_rate_requests_per_second',
    help: 'Dialpad requests dialsync starts per second: the adaptive rate now (limit="current", cut by 429s) and dialpad.requestsPerSecond (limit="ceiling").',
    labelNames: ['limit'] as const,
    registers: [this.registry],
    collect: () => {
      const state = this.rates?.().dialpad;
      if (state === undefined) return;
      this.dialpadRate.set({ limit: 'current' }, state.current);
      this.dialpadRate.set({ limit: 'ceiling' }, state.ceiling);
    },
  });
  private readonly oktaShare = new Gauge({
    name: 'dialsync_okta_rate_limit_share',
    help: 'Share of each Okta rate-limit bucket dialsync uses: the adaptive share now (limit="current", cut by 429s) and okta.rateLimitShare (limit="ceiling"); buckets that answered.',
    labelNames: ['bucket', 'limit'] as const,
    registers: [this.registry],
    collect: () => {
      const okta = this.rates?.().okta ?? {};
      for (const [bucket, state] of Object.entries(okta)) {
        if (state === undefined) continue;
        this.oktaShare.set({ bucket, limit: 'current' }, state.current);
        this.oktaShare.set({ bucket, limit: 'ceiling' }, state.ceiling);
      }
    },
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

  private readonly leader = new Gauge({
    name: 'dialsync_leader',
    help: '1 while this replica holds the run lock and leads (runs reconciliations), 0 while it follows.',
    registers: [this.registry],
  });
  private readonly leaderTransitions = new Counter({
    name: 'dialsync_leader_transitions_total',
    help: 'Times this replica became leader (elected) or stopped leading (demoted).',
    labelNames: ['transition'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'dialsync_' });
    // Every series of the 429 counters exists from the start at 0, so rate() and alerts see the first 429 as a rise.
    this.throttled.inc({ service: 'dialpad', bucket: 'company' }, 0);
    for (const bucket of OKTA_RATE_BUCKETS) this.throttled.inc({ service: 'okta', bucket }, 0);
    for (const service of ['dialpad', 'okta'] as const) this.rateLimitWaits.inc({ service }, 0);
  }

  /** Whether this replica leads now (dialsync_leader); a change is counted as a transition. */
  setLeader(leading: boolean, transition?: 'elected' | 'demoted'): void {
    this.leader.set(leading ? 1 : 0);
    if (transition) this.leaderTransitions.inc({ transition });
  }

  /** Counts a finished run and observes its duration (seconds); a succeeded one also sets the last-success time. */
  recordRun(kind: string, outcome: 'succeeded' | 'partial' | 'failed', durationSeconds: number, finishedAt: Date): void {
    this.runs.inc({ kind, outcome });
    this.runDuration.observe({ kind }, durationSeconds);
    if (outcome === 'succeeded') this.lastSuccess.set(finishedAt.getTime() / 1000);
  }

  /** Counts a run not started because another of its kind was going or waiting (outcome `skipped`). */
  recordSkippedRun(kind: string): void {
    this.runs.inc({ kind, outcome: 'skipped' });
  }

  /** Counts an applied run's actions by kind and outcome. */
  recordActions(results: readonly ActionResult[]): void {
    for (const result of results) this.actions.inc({ kind: result.kind, outcome: result.outcome });
  }

  /**
   * Counts one HTTP response (`status`; null: no response came back) under its endpoint template; a 429 also
   * counts as a rate-limit wait.
   */
  recordApiRequest(service: ApiService, path: string, status: number | null): void {
    this.apiRequests.inc({ service, endpoint: endpointTemplate(path), status: status === null ? 'error' : String(status) });
    if (status === 429) this.rateLimitWaits.inc({ service });
  }

  /** Counts one 429 answer of `service` in its rate-limit bucket (Dialpad's is `company`). */
  recordThrottled(service: ApiService, bucket: string): void {
    this.throttled.inc({ service, bucket });
  }

  /** Where the rate gauges read each API's adaptive rate at each scrape (the gateways' `rates`). */
  watchRates(rates: () => RateBudgets): void {
    this.rates = rates;
  }

  /** Counts a wait the client added itself to stay under the rate limit (no 429 involved). */
  recordRateLimitWait(service: ApiService): void {
    this.rateLimitWaits.inc({ service });
  }

  /** Sets the number of linked Dialpad users. */
  setManagedUsers(count: number): void {
    this.managedUsers.set(count);
  }

  /** The Content-Type of text(): Prometheus's text format. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in Prometheus's text format, for /metrics. */
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
