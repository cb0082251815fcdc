// The benchmark's scenarios against one org in the sandboxes: initial sync, no-change cycle, 1 % churn,
// incremental cycle (System Log) and event hook to done. Each returns its wall time, request counts by endpoint,
// the minimum it needed, the rate-limit floor, and dialsync's CPU time and peak RSS.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DialpadSandbox } from '../sandbox/dialpad/sandbox.js';
import { OktaSandbox } from '../sandbox/okta/sandbox.js';
import type { DialsyncJob, JobOutcome } from './dialsync-job.js';
import { API_BUDGETS, bucketOf, dialsyncBudgets, rateLimitFloor, type Floor, type RateBucket } from './floor.js';
import { mulberry32 } from '../sandbox/seeded-random.js';
import { generateOrg, hireUser, seedSyncedState, type GeneratedOrg, type OrgUser } from './org-generator.js';
import type { BenchStore } from './postgres-databases.js';
import type { DialsyncRunner } from './runner.js';

export const SCENARIOS = ['initial', 'no-change', 'churn', 'incremental', 'hook'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchSettings {
  users: number;
  latencyMs: number;
  /** Budgets (sandbox and dialsync's Dialpad limiter) are multiplied by it; the floor is divided by it. */
  timeScale: number;
  /** Changed users in the incremental cycle. */
  incrementalChanges: number;
  /** Users created one after another in the event-hook scenario. */
  hookUsers: number;
  seed: number;
  /** The store dialsync runs on: a SQLite file in the org's scratch folder, or the PostgreSQL database `database`. */
  store: BenchStore;
  /** PostgreSQL only: the DSN of an empty database made for this org. */
  database?: string;
}

export interface RequestCounts {
  total: number;
  byEndpoint: Record<string, number>;
  byBucket: Partial<Record<RateBucket, number>>;
  writes: number;
  rateLimited: number;
}

export interface ScenarioResult {
  scenario: ScenarioName | 'adopt';
  users: number;
  store: BenchStore;
  wallMs: number;
  /** Against what the APIs allow, and against what dialsync lets itself use (15/s Dialpad, half of each Okta bucket). */
  floor: { api: Floor; dialsync: Floor };
  ratio: { api: number | null; dialsync: number | null };
  okta: RequestCounts;
  dialpad: RequestCounts;
  /** The fewest requests the scenario can be done in, and how that number is made up. */
  minimum: { okta: number | null; dialpad: number | null; note: string; writeBacks?: number };
  cpuMs: number;
  /** Planning and bookkeeping (the planning phase and, when nothing was applied, the rest of the run). */
  planningCpuMs: number | null;
  maxRssMb: number;
  /** CPU and RSS are dialsync's own (child process), or include the sandboxes (in-process). */
  isolated: boolean;
  actions?: Record<string, number>;
  /** Full runs: wall and CPU ms of each phase (settling, reading, planning, applying). */
  phases?: JobOutcome['phases'];
  failedUsers?: number;
  held?: number;
  latency?: { samples: number; p50Ms: number; p95Ms: number; maxMs: number };
}

const OKTA_PAGE = 500;
const DIALPAD_PAGE = 100;

export class BenchOrg {
  readonly okta: OktaSandbox;
  readonly dialpad: DialpadSandbox;
  org: GeneratedOrg | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'dialsync-bench-'));
  private readonly random: () => number;

  constructor(
    readonly settings: BenchSettings,
    private readonly runner: DialsyncRunner,
  ) {
    if (settings.store === 'postgres' && settings.database === undefined) throw new Error('a PostgreSQL bench org needs the DSN of its database');
    const scale = settings.timeScale;
    // Time scaling shrinks every duration alike: the windows (budgets × scale) and the latency (÷ scale), so
    // the concurrency needed to reach the floor is the same as against the real APIs. The hook scenario,
    // whose target is in real seconds, runs at the real latency.
    const latency = settings.latencyMs > 0 ? { latencyMs: settings.latencyMs / scale } : {};
    this.okta = new OktaSandbox({
      rateLimits: {
        apps: API_BUDGETS['okta-apps'].requests * scale,
        users: API_BUDGETS['okta-users'].requests * scale,
        logs: API_BUDGETS['okta-logs'].requests * scale,
      },
      hookBatchWindowMs: 100,
      ...latency,
    });
    this.dialpad = new DialpadSandbox({ rateLimit: { perSecond: API_BUDGETS.dialpad.requests * scale }, ...latency });
    this.random = mulberry32(settings.seed + 1);
  }

  async start(): Promise<void> {
    await Promise.all([this.okta.start(), this.dialpad.start()]);
    this.org = generateOrg(this.okta, this.dialpad, { users: this.settings.users, seed: this.settings.seed });
  }

  async stop(): Promise<void> {
    await Promise.all([this.okta.stop(), this.dialpad.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Puts the org in its synced state without an initial sync (see seedSyncedState). */
  seedSynced(): void {
    seedSyncedState(this.okta, this.dialpad, this.requireOrg());
  }

  private requireOrg(): GeneratedOrg {
    if (this.org === undefined) throw new Error('the bench org is not started');
    return this.org;
  }

  job(configFile?: string): DialsyncJob {
    return {
      env: {
        OKTA_ORG_URL: this.okta.url,
        OKTA_APP_ID: this.okta.appId,
        OKTA_API_TOKEN: this.okta.token,
        DIALPAD_BASE_URL: this.dialpad.url,
        DIALPAD_API_KEY: this.dialpad.apiKey,
        DIALSYNC_DATABASE: this.settings.store === 'postgres' ? (this.settings.database as string) : join(this.dir, 'dialsync.sqlite'),
        DIALSYNC_LOG_LEVEL: 'silent',
        DIALSYNC_HOOK_SECRET: 'bench-hook-secret-0123456789abcdef',
      },
      configFile,
      timeScale: this.settings.timeScale,
    };
  }

  // ---- what the minimum needs ----

  private assignedCount(): number {
    return this.requireOrg().users.length;
  }

  private liveDialpadUsers(): number {
    return this.dialpad.users().filter((user) => user.state !== 'deleted').length;
  }

  /**
   * One listing of both sides: app-user pages of 500, Dialpad user pages of 100 (at least one), the offices page,
   * and the company read that checks the tenant pin (one per run).
   */
  private listingMinimum(): { okta: number; dialpad: number } {
    return {
      okta: Math.max(1, Math.ceil(this.assignedCount() / OKTA_PAGE)),
      dialpad: Math.max(1, Math.ceil(this.liveDialpadUsers() / DIALPAD_PAGE)) + 2,
    };
  }

  // ---- scenarios ----

  /** Everyone created: one POST each, a PATCH for the job title (the create message has none), one write-back per number. */
  async initial(): Promise<ScenarioResult> {
    const listing = this.listingMinimum();
    const users = this.requireOrg().users;
    const titled = users.filter((user) => user.title !== undefined).length;
    const withNumber = users.filter((user) => !needsNoNumber(user)).length;
    // The seat check reads the free lines of each office creates land in, once per run.
    const offices = new Set(users.map((user) => user.officeName)).size;
    // The first apply pins the tenant, with the Okta org's id (one read).
    return this.fullRun('initial', {
      okta: listing.okta + 1 + withNumber,
      dialpad: listing.dialpad + users.length + titled + offices,
      writeBacks: withNumber,
      note: `listing (${listing.okta} Okta pages, ${listing.dialpad} Dialpad requests incl. offices and company) + ${users.length} creates + ${titled} job-title PATCHes + ${offices} seat-check reads + ${withNumber} write-backs + 1 Okta org id read (the tenant pin)`,
    });
  }

  /** The first run over a seeded synced state: adopts every user (setup for large no-change runs). */
  async adopt(): Promise<ScenarioResult> {
    const listing = this.listingMinimum();
    return this.fullRun('adopt', { okta: listing.okta + 1, dialpad: listing.dialpad, writeBacks: 0, note: 'listing only: every user matches by email; 1 Okta org id read (the first apply pins the tenant)' });
  }

  async noChange(): Promise<ScenarioResult> {
    const listing = this.listingMinimum();
    return this.fullRun('no-change', {
      okta: listing.okta,
      dialpad: listing.dialpad,
      writeBacks: 0,
      note: `ceil(N/500) Okta pages + ceil(N/100) Dialpad pages + 1 offices page + 1 company read`,
    });
  }

  /** 1 % of the org changes: half profile edits (title), a quarter new hires, a quarter removed from the app. */
  async churn(): Promise<ScenarioResult> {
    const org = this.requireOrg();
    const changes = Math.max(4, Math.ceil(org.users.length / 100));
    const edits = Math.ceil(changes / 2);
    const hires = Math.floor(changes / 4);
    const removals = changes - edits - hires;
    const direct = org.users.filter((user) => !user.viaGroup);
    const touched = new Set<string>();
    for (let i = 0; i < edits; i += 1) {
      const user = direct[Math.floor(this.random() * direct.length)];
      if (user === undefined || touched.has(user.oktaUserId)) continue;
      touched.add(user.oktaUserId);
      user.title = `${user.title ?? 'Staff'} II`;
      this.okta.updateProfile(user.oktaUserId, { title: user.title });
    }
    let hiresNeedingPatch = 0;
    let hiresWithNumber = 0;
    const hireOffices = new Set<string>();
    for (let i = 0; i < hires; i += 1) {
      const user = hireUser(this.okta, org, this.random);
      hireOffices.add(user.officeName);
      if (user.title !== undefined) hiresNeedingPatch += 1;
      if (!needsNoNumber(user)) hiresWithNumber += 1;
    }
    let removed = 0;
    for (const user of direct) {
      if (removed >= removals) break;
      if (touched.has(user.oktaUserId)) continue;
      touched.add(user.oktaUserId);
      this.okta.unassignUser(user.oktaUserId);
      org.users.splice(org.users.indexOf(user), 1);
      removed += 1;
    }
    const listing = this.listingMinimum();
    // A user who left the app is read twice: the assignment by id proves the absence (404), then the user
    // (GET /api/v1/users/{id}) tells unassigned, deactivated or deleted apart.
    return this.fullRun('churn', {
      okta: listing.okta + hiresWithNumber + 2 * removed,
      dialpad: listing.dialpad + touched.size + hires + hiresNeedingPatch + hireOffices.size,
      writeBacks: hiresWithNumber,
      note: `listing + ${touched.size - removed} title PATCHes + ${hires} creates (+${hiresNeedingPatch} title PATCHes, ${hireOffices.size} seat-check reads, ${hiresWithNumber} write-backs) + ${removed} suspends (+${removed} Okta assignment reads proving the absence, ${removed} of their fate)`,
    });
  }

  /** k users' titles change in Okta; the daemon's System Log cycle picks them up. */
  async incremental(): Promise<ScenarioResult> {
    const org = this.requireOrg();
    const k = this.settings.incrementalChanges;
    const direct = org.users.filter((user) => !user.viaGroup);
    const outcome = await this.runner.incremental(this.job(), async () => {
      this.clearRequests();
      for (let i = 0; i < k; i += 1) {
        const user = direct[(i * 7919) % direct.length];
        if (user === undefined) continue;
        user.title = `${user.title ?? 'Staff'} (${i})`;
        this.okta.updateProfile(user.oktaUserId, { title: user.title });
      }
    });
    return this.result('incremental', outcome.wallMs, { okta: null, dialpad: null, note: `at most 3 + 3k = ${3 + 3 * k} requests in all (k = ${k}), no full listing` }, {
      cpuMs: outcome.cpu.userMs + outcome.cpu.systemMs,
      planningCpuMs: null,
      maxRssMb: outcome.maxRssMb,
    });
  }

  /** New hires one after another: from the Okta assignment to the Dialpad user created and dialpadPhone written. */
  async hook(): Promise<ScenarioResult> {
    const configFile = join(this.dir, 'hook.yaml');
    writeFileSync(
      configFile,
      ['daemon:', '  host: 127.0.0.1', '  port: 0', '  pollIntervalSeconds: 0', "  schedule: '0 3 1 1 *'", '  hooks:', '    enabled: true', ''].join('\n'),
    );
    const job = this.job(configFile);
    const samples: number[] = [];
    this.setLatency(this.settings.latencyMs);
    let wallMs = 0;
    const outcome = await this.runner.hook(job, async (port) => {
      await this.okta.registerEventHook({
        url: `http://127.0.0.1:${port}/hooks/okta`,
        secret: job.env.DIALSYNC_HOOK_SECRET ?? '',
        eventTypes: ['user.lifecycle.create', 'user.account.update_profile', 'application.user_membership.add', 'application.user_membership.remove'],
      });
      this.clearRequests();
      const t0 = performance.now();
      for (let i = 0; i < this.settings.hookUsers; i += 1) samples.push(await this.hireAndWait());
      wallMs = performance.now() - t0;
    }).finally(() => this.setLatency(this.settings.latencyMs / this.settings.timeScale));
    samples.sort((a, b) => a - b);
    return this.result(
      'hook',
      wallMs,
      { okta: null, dialpad: null, note: 'latency per user; requests are for all hook users together' },
      { cpuMs: outcome.cpu.userMs + outcome.cpu.systemMs, planningCpuMs: null, maxRssMb: outcome.maxRssMb },
      { samples: samples.length, p50Ms: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95), maxMs: samples[samples.length - 1] ?? 0 },
    );
  }

  private async hireAndWait(timeoutMs = 60_000): Promise<number> {
    const from = this.dialpad.requests.length;
    const t0 = performance.now();
    const user = hireUser(this.okta, this.requireOrg(), this.random, { licenseType: 'dialpad_talk' });
    let created = false;
    let scanned = from;
    while (performance.now() - t0 < timeoutMs) {
      if (!created) {
        for (; scanned < this.dialpad.requests.length; scanned += 1) {
          const request = this.dialpad.requests[scanned];
          if (request?.method === 'POST' && request.path === '/api/v2/users' && request.status === 200 && emailOf(request.body) === user.email) created = true;
        }
      }
      if (created && typeof this.okta.getUser(user.oktaUserId)?.profile.dialpadPhone === 'string') return performance.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`event hook: ${user.email} not done within ${timeoutMs} ms`);
  }

  private async fullRun(scenario: ScenarioResult['scenario'], minimum: ScenarioResult['minimum']): Promise<ScenarioResult> {
    this.clearRequests();
    const outcome = await this.runner.full(this.job());
    const applying = outcome.phases.applying;
    const planning = outcome.phases.planning;
    // With nothing to apply, the applying phase is the run's bookkeeping (recording it in the store).
    const planningCpuMs = planning === undefined ? null : planning.cpuMs + (outcome.plannedActions === 0 && applying ? applying.cpuMs : 0);
    return this.result(scenario, outcome.wallMs, minimum, {
      cpuMs: outcome.cpu.userMs + outcome.cpu.systemMs,
      planningCpuMs,
      maxRssMb: outcome.maxRssMb,
      actions: outcome.actions,
      phases: outcome.phases,
      failedUsers: outcome.failedUsers,
      held: outcome.held,
    });
  }

  private result(
    scenario: ScenarioResult['scenario'],
    wallMs: number,
    minimum: ScenarioResult['minimum'],
    measured: Pick<ScenarioResult, 'cpuMs' | 'planningCpuMs' | 'maxRssMb' | 'actions' | 'phases' | 'failedUsers' | 'held'>,
    latency?: ScenarioResult['latency'],
  ): ScenarioResult {
    const okta = countRequests('okta', this.okta.requests);
    const dialpad = countRequests('dialpad', this.dialpad.requests);
    const byBucket: Partial<Record<RateBucket, number>> = { ...okta.byBucket, ...dialpad.byBucket };
    const scale = this.settings.timeScale;
    const api = rateLimitFloor(byBucket, API_BUDGETS, scale);
    const own = rateLimitFloor(byBucket, dialsyncBudgets(), scale);
    return {
      scenario,
      users: this.settings.users,
      store: this.settings.store,
      wallMs,
      floor: { api, dialsync: own },
      ratio: { api: api.ms > 0 ? wallMs / api.ms : null, dialsync: own.ms > 0 ? wallMs / own.ms : null },
      okta,
      dialpad,
      minimum,
      isolated: this.runner.isolated,
      ...measured,
      ...(latency === undefined ? {} : { latency }),
    };
  }

  private setLatency(ms: number): void {
    this.okta.setLatency(ms);
    this.dialpad.setLatency(ms);
  }

  private clearRequests(): void {
    this.okta.clearRequests();
    this.dialpad.clearRequests();
  }
}

function needsNoNumber(user: OrgUser): boolean {
  return user.licenseType === 'dialpad_support';
}

function emailOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const email = (body as Record<string, unknown>).email;
  return typeof email === 'string' ? email : undefined;
}

/** `GET /api/v2/users/:id`: ids and numbers in paths folded, so endpoints add up. */
export function endpointOf(method: string, path: string): string {
  const segments = path.split('/').map((segment) => (/^(00u|00g|0oa)[A-Za-z0-9]+$/.test(segment) || /^\+?\d{6,}$/.test(segment) ? ':id' : segment));
  return `${method} ${segments.join('/')}`;
}

export function countRequests(service: 'okta' | 'dialpad', requests: readonly { method: string; path: string; status: number }[]): RequestCounts {
  const counts: RequestCounts = { total: 0, byEndpoint: {}, byBucket: {}, writes: 0, rateLimited: 0 };
  for (const request of requests) {
    counts.total += 1;
    const endpoint = endpointOf(request.method, request.path);
    counts.byEndpoint[endpoint] = (counts.byEndpoint[endpoint] ?? 0) + 1;
    const bucket = bucketOf(service, request.path);
    counts.byBucket[bucket] = (counts.byBucket[bucket] ?? 0) + 1;
    if (request.method !== 'GET') counts.writes += 1;
    if (request.status === 429) counts.rateLimited += 1;
  }
  return counts;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] as number;
}
