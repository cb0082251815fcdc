// The benchmark's scenarios against one org in the sandboxes: initial sync, no-change cycle, 1 % churn,
// incremental cycle (System Log) and event hook to done; and, each on an org of its own, initial syncs under a
// Dialpad budget shared with other integrations (shared-budget) or one dialsync is told (told-limit). Each returns
// its wall time, request counts by endpoint, the minimum it needed, the rate-limit floor, and dialsync's CPU time
// and peak RSS; initial syncs also when each side was done (all users in Dialpad, all write-backs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DialpadSandbox } from '../sandbox/dialpad/sandbox.js';
import { OktaSandbox } from '../sandbox/okta/sandbox.js';
import { describeBudget, type DialpadBudgetVariant } from './dialpad-budgets.js';
import type { DialsyncJob, JobOutcome } from './dialsync-job.js';
import { availableFloorMs, runTimeline, type RateStep } from './run-timeline.js';
import { API_BUDGETS, bucketOf, dialsyncBudgets, rateLimitFloor, type Floor, type RateBucket } from './floor.js';
import { mulberry32 } from '../sandbox/seeded-random.js';
import { generateOrg, hireUser, seedSyncedState, type GeneratedOrg, type OrgUser } from './org-generator.js';
import type { BenchStore } from './postgres-databases.js';
import type { DialsyncRunner } from './runner.js';

export const SCENARIOS = ['initial', 'no-change', 'churn', 'incremental', 'hook', 'shared-budget', 'told-limit'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The scenarios run on an org of their own per Dialpad budget (dialpad-budgets.ts), not on the shared org. */
export const BUDGET_SCENARIOS: readonly ScenarioName[] = ['shared-budget', 'told-limit'];

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

/** An initial sync's two sides: when each was done, from the run's first request, against its own floor (dialsync's budgets). */
export interface PipelineTimes {
  /** The last Dialpad write answered: every user in Dialpad. */
  dialpadDoneMs: number;
  /** The run's Dialpad requests at dialsync's Dialpad budget (time-scaled). */
  dialpadFloorMs: number;
  /** The last dialpadPhone write-back answered (null: none was written). */
  writeBacksDoneMs: number | null;
  /** The run's Okta user-bucket requests (write-backs and user reads) at dialsync's share of the bucket (time-scaled). */
  writeBackFloorMs: number;
}

/** A run under a Dialpad budget other than the default: what was granted and told, the 429s, the Dialpad side's wall. */
export interface BudgetOutcome {
  /** The budget in words (describeBudget). */
  description: string;
  availablePerSecond: number;
  dropsToPerSecond: number | null;
  configuredPerSecond: number;
  /** Dialpad requests sent, and of them answered 429. */
  dialpadRequests: number;
  rateLimited: number;
  /** rateLimited ÷ dialpadRequests. */
  rateLimitedShare: number;
  /** From the run's first request to its last Dialpad answer (the Okta write-backs may go on after it). */
  dialpadWallMs: number;
  /** The accepted Dialpad requests at min(configured, available) when each was answered (time-scaled). */
  floorMs: number;
  /** dialpadWallMs ÷ floorMs. */
  ratio: number;
}

export interface ScenarioResult {
  scenario: ScenarioName | 'adopt' | 'shared-budget-drop';
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
  /** Initial syncs: when the Dialpad side and the write-backs were done. */
  pipeline?: PipelineTimes;
  /** shared-budget and told-limit rows. */
  budget?: BudgetOutcome;
}

const OKTA_PAGE = 500;
const DIALPAD_PAGE = 100;

export class BenchOrg {
  readonly okta: OktaSandbox;
  readonly dialpad: DialpadSandbox;
  org: GeneratedOrg | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'dialsync-bench-'));
  private readonly random: () => number;
  /** Dialpad requests arrived since the budget run began, and the count at which the grant drops (budget runs). */
  private arrived = 0;
  private dropAfter = Number.POSITIVE_INFINITY;
  /** The Dialpad rate in force over the budget run (epoch ms from which each applies). */
  private rateSteps: RateStep[] = [];

  /**
   * `budget`: the sandbox grants its Dialpad rate in a strict sliding window (and may drop it mid-run) and
   * dialsync is configured with its rate; without it, Dialpad's 20/s in a fixed 1 s window and dialsync's default.
   */
  constructor(
    readonly settings: BenchSettings,
    private readonly runner: DialsyncRunner,
    private readonly budget?: DialpadBudgetVariant,
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
    const rateLimit = budget === undefined ? { perSecond: API_BUDGETS.dialpad.requests * scale } : { perSecond: budget.availablePerSecond * scale, window: 'sliding' as const };
    this.dialpad = new DialpadSandbox({ rateLimit, ...latency, onRequestArrived: () => this.countArrival() });
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
    return this.fullRun('initial', this.initialMinimum());
  }

  /**
   * An initial sync under this org's Dialpad budget: dialsync configured with its rate; the sandbox's grant, in a
   * sliding window, dropping once half the fewest Dialpad requests have arrived when the budget says so. Adds the
   * share of 429s and the Dialpad side's wall against the floor of the rate actually available.
   */
  async budgetRun(): Promise<ScenarioResult> {
    const budget = this.budget;
    if (budget === undefined) throw new Error('budgetRun needs an org built with a Dialpad budget');
    const minimum = this.initialMinimum();
    const configFile = join(this.dir, 'budget.yaml');
    writeFileSync(configFile, `dialpad:\n  requestsPerSecond: ${budget.configuredPerSecond}\n`);
    this.arrived = 0;
    this.dropAfter = budget.dropsToPerSecond === undefined ? Number.POSITIVE_INFINITY : Math.ceil((minimum.dialpad ?? 0) / 2);
    this.rateSteps = [{ fromMs: Date.now(), perSecond: budget.availablePerSecond }];
    const result = await this.fullRun(budget.scenario, minimum, configFile);
    const timeline = runTimeline(this.okta.requests, this.dialpad.requests);
    const floorMs = availableFloorMs(this.dialpad.requests, this.rateSteps, budget.configuredPerSecond, this.settings.timeScale);
    const dialpadWallMs = timeline.dialpadLastMs ?? 0;
    return {
      ...result,
      budget: {
        description: describeBudget(budget),
        availablePerSecond: budget.availablePerSecond,
        dropsToPerSecond: budget.dropsToPerSecond ?? null,
        configuredPerSecond: budget.configuredPerSecond,
        dialpadRequests: result.dialpad.total,
        rateLimited: result.dialpad.rateLimited,
        rateLimitedShare: result.dialpad.total === 0 ? 0 : result.dialpad.rateLimited / result.dialpad.total,
        dialpadWallMs,
        floorMs,
        ratio: floorMs > 0 ? dialpadWallMs / floorMs : 0,
      },
    };
  }

  /** A budget run's grant drops (another integration starts spending) once half its fewest Dialpad requests arrived. */
  private countArrival(): void {
    this.arrived += 1;
    const dropsTo = this.budget?.dropsToPerSecond;
    if (dropsTo === undefined || this.arrived !== this.dropAfter) return;
    this.dialpad.setRateLimit(dropsTo * this.settings.timeScale);
    this.rateSteps.push({ fromMs: Date.now(), perSecond: dropsTo });
  }

  /** The fewest requests of an initial sync of this org, and how they add up. */
  private initialMinimum(): ScenarioResult['minimum'] {
    const listing = this.listingMinimum();
    const users = this.requireOrg().users;
    const titled = users.filter((user) => user.title !== undefined).length;
    const withNumber = users.filter((user) => !needsNoNumber(user)).length;
    // The seat check reads the free lines of each office creates land in, once per run.
    const offices = new Set(users.map((user) => user.officeName)).size;
    // The first apply pins the tenant, with the Okta org's id (one read).
    return {
      okta: listing.okta + 1 + withNumber,
      dialpad: listing.dialpad + users.length + titled + offices,
      writeBacks: withNumber,
      note: `listing (${listing.okta} Okta pages, ${listing.dialpad} Dialpad requests incl. offices and company) + ${users.length} creates + ${titled} job-title PATCHes + ${offices} seat-check reads + ${withNumber} write-backs + 1 Okta org id read (the tenant pin)`,
    };
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

  private async fullRun(scenario: ScenarioResult['scenario'], minimum: ScenarioResult['minimum'], configFile?: string): Promise<ScenarioResult> {
    this.clearRequests();
    const outcome = await this.runner.full(this.job(configFile));
    const applying = outcome.phases.applying;
    const planning = outcome.phases.planning;
    // With nothing to apply, the applying phase is the run's bookkeeping (recording it in the store).
    const planningCpuMs = planning === undefined ? null : planning.cpuMs + (outcome.plannedActions === 0 && applying ? applying.cpuMs : 0);
    const result = this.result(scenario, outcome.wallMs, minimum, {
      cpuMs: outcome.cpu.userMs + outcome.cpu.systemMs,
      planningCpuMs,
      maxRssMb: outcome.maxRssMb,
      actions: outcome.actions,
      phases: outcome.phases,
      failedUsers: outcome.failedUsers,
      held: outcome.held,
    });
    if (minimum.writeBacks === undefined || minimum.writeBacks === 0 || scenario === 'churn') return result;
    // An initial sync: when each side was done, against its own floor at dialsync's budgets.
    const timeline = runTimeline(this.okta.requests, this.dialpad.requests);
    const pipeline: PipelineTimes = {
      dialpadDoneMs: timeline.dialpadDoneMs ?? 0,
      dialpadFloorMs: result.floor.dialsync.byBucket.dialpad,
      writeBacksDoneMs: timeline.writeBacksDoneMs,
      writeBackFloorMs: result.floor.dialsync.byBucket['okta-users'],
    };
    return { ...result, pipeline };
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
