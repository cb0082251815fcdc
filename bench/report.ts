// The benchmark's verdicts on the performance targets (README, "Performance"), and its table.
import type { BenchStore } from './postgres-databases.js';
import type { ScenarioResult } from './scenarios.js';

export interface TargetVerdict {
  target: string;
  /** null: not measured in this run (the scenario or size was not run). */
  met: boolean | null;
  detail: string;
}

const NO_CHANGE_N = 100_000;
const INITIAL_N = 10_000;
const INCREMENTAL_N = 100_000;
/** The shared-budget targets name an initial sync of 1,000 users; told-limit one of 10,000. */
const SHARED_BUDGET_N = 1_000;
const TOLD_LIMIT_N = 10_000;

/** The largest-N result of a scenario, preferring the size the target names. */
function pick(results: readonly ScenarioResult[], scenario: ScenarioResult['scenario'], n: number): ScenarioResult | undefined {
  const exact = results.find((r) => r.scenario === scenario && r.users === n);
  if (exact) return exact;
  return results.filter((r) => r.scenario === scenario).sort((a, b) => b.users - a.users)[0];
}

function sizeNote(result: ScenarioResult, n: number): string {
  return result.users === n ? '' : ` (measured at N=${result.users}; the target names ${n})`;
}

/** A store's name as the table and the verdicts show it. */
export function storeLabel(store: BenchStore): string {
  return store === 'postgres' ? 'PostgreSQL' : 'SQLite';
}

/**
 * The targets, judged on each store's rows apart (prefixed with the store's name when a run is not SQLite only),
 * and, when both stores ran, whether the PostgreSQL rows match the SQLite rows of the same scenario and size.
 */
export function evaluateTargets(results: readonly ScenarioResult[]): TargetVerdict[] {
  const stores = [...new Set(results.map((r) => r.store))];
  if (stores.length === 0 || (stores.length === 1 && stores[0] === 'sqlite')) return evaluateStoreTargets(results);
  const verdicts = stores.flatMap((store) =>
    evaluateStoreTargets(results.filter((r) => r.store === store)).map((v) => ({ ...v, target: `${storeLabel(store)}: ${v.target}` })),
  );
  if (stores.length > 1) verdicts.push(compareStores(results));
  return verdicts;
}

/** Largest gap between the two stores' wall ÷ dialsync floor for one scenario and size still called the same. */
const SAME_RATIO = 0.1;

/** A smaller difference in wall time is start-up noise (a child process, a pool's first connection), not a gap. */
const SAME_WALL_MS = 1000;

/**
 * PostgreSQL against SQLite, per scenario and size both ran: the same requests (Okta and Dialpad totals) and a
 * ratio to the floor within SAME_RATIO, or wall times within SAME_WALL_MS (a run of a second or two is far from its
 * floor either way). Rows bound by latency rather than the floor (incremental, hook) compare requests only.
 */
function compareStores(results: readonly ScenarioResult[]): TargetVerdict {
  const details: string[] = [];
  let met = true;
  for (const pg of results.filter((r) => r.store === 'postgres')) {
    const lite = results.find((r) => r.store === 'sqlite' && r.scenario === pg.scenario && r.users === pg.users);
    if (!lite) continue;
    const sameRequests = pg.okta.total === lite.okta.total && pg.dialpad.total === lite.dialpad.total;
    const floorBound = pg.planningCpuMs !== null;
    const gap = (pg.ratio.dialsync ?? 0) - (lite.ratio.dialsync ?? 0);
    const ok = sameRequests && (!floorBound || Math.abs(gap) <= SAME_RATIO || Math.abs(pg.wallMs - lite.wallMs) <= SAME_WALL_MS);
    met &&= ok;
    details.push(
      `${pg.scenario}@${pg.users}: requests ${pg.okta.total}+${pg.dialpad.total} vs ${lite.okta.total}+${lite.dialpad.total}, wall/floor ${pg.ratio.dialsync?.toFixed(2) ?? '–'} vs ${lite.ratio.dialsync?.toFixed(2) ?? '–'}${ok ? '' : ' (differs)'}`,
    );
  }
  return {
    target: `PostgreSQL rows as the SQLite rows: the same requests, wall ÷ floor within ${SAME_RATIO}`,
    met: details.length === 0 ? null : met,
    detail: details.length === 0 ? 'no scenario and size ran on both stores' : details.join('; '),
  };
}

function evaluateStoreTargets(results: readonly ScenarioResult[]): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];

  const initial = pick(results, 'initial', INITIAL_N);
  if (initial) {
    const ratio = initial.ratio.dialsync ?? 0;
    const total = initial.okta.total + initial.dialpad.total;
    const rateLimited = initial.okta.rateLimited + initial.dialpad.rateLimited;
    const extraDialpad = initial.minimum.dialpad === null ? 0 : initial.dialpad.total - initial.minimum.dialpad;
    const met = ratio <= 1.15 && extraDialpad <= 0 && rateLimited < total / 100;
    verdicts.push({
      target: `initial sync of ${INITIAL_N}: ≤ 1.15 × floor, no extra Dialpad requests, < 1 % 429s`,
      met: initial.users === INITIAL_N ? met : null,
      detail: `wall/floor ${ratio.toFixed(2)} (API floor: ${(initial.ratio.api ?? 0).toFixed(2)}); Dialpad ${initial.dialpad.total} requests vs minimum ${initial.minimum.dialpad ?? '?'}; 429s ${rateLimited}/${total}${sizeNote(initial, INITIAL_N)}`,
    });
  } else verdicts.push({ target: 'initial sync of 10,000', met: null, detail: 'not run' });

  const noChange = pick(results, 'no-change', NO_CHANGE_N);
  if (noChange) {
    const writes = noChange.okta.writes + noChange.dialpad.writes;
    const exact = noChange.okta.total === noChange.minimum.okta && noChange.dialpad.total === noChange.minimum.dialpad;
    const ratio = noChange.ratio.dialsync ?? 0;
    const planning = noChange.planningCpuMs ?? Number.POSITIVE_INFINITY;
    const met = writes === 0 && exact && ratio <= 1.1 && planning < 3000 && noChange.maxRssMb < 300;
    verdicts.push({
      target: `no-change cycle at ${NO_CHANGE_N}: 0 writes, requests = pages, ≤ 1.1 × floor, planning CPU < 3 s, RSS < 300 MB`,
      met: noChange.users === NO_CHANGE_N ? met : null,
      detail: `writes ${writes}; Okta ${noChange.okta.total}/${noChange.minimum.okta ?? '?'} and Dialpad ${noChange.dialpad.total}/${noChange.minimum.dialpad ?? '?'} requests (actual/minimum); wall/floor ${ratio.toFixed(2)}; planning+bookkeeping CPU ${(planning / 1000).toFixed(2)} s; peak RSS ${noChange.maxRssMb.toFixed(0)} MB${noChange.isolated ? '' : ' (in-process: includes the sandboxes)'}${sizeNote(noChange, NO_CHANGE_N)}`,
    });
  } else verdicts.push({ target: 'no-change cycle at 100,000', met: null, detail: 'not run' });

  const incremental = pick(results, 'incremental', INCREMENTAL_N);
  if (incremental) {
    const k = Number(/\(k = (\d+)\)/.exec(incremental.minimum.note)?.[1] ?? '0');
    const total = incremental.okta.total + incremental.dialpad.total;
    const listings = incremental.okta.byEndpoint['GET /api/v1/apps/:id/users'] ?? 0;
    // Looking k users up by email is fine; more Dialpad user-list requests than that is a listing.
    const dialpadLists = incremental.dialpad.byEndpoint['GET /api/v2/users'] ?? 0;
    // Each of the k title edits is one Dialpad PATCH: fewer means the cycle did not handle them (a cycle that
    // read nothing would otherwise pass the request bound).
    const dialpadWrites = incremental.dialpad.writes;
    const met = total <= 3 + 3 * k && listings === 0 && dialpadLists <= k && dialpadWrites >= k;
    verdicts.push({
      target: `incremental cycle, k changed users in ${INCREMENTAL_N}: every change written, no full listing, ≤ 3 + 3k requests`,
      met: incremental.users === INCREMENTAL_N ? met : met ? null : false,
      detail: `${total} requests and ${dialpadWrites} Dialpad writes for k = ${k} (bound ${3 + 3 * k}); Okta app-user listing pages ${listings}, Dialpad GET /api/v2/users ${dialpadLists}${sizeNote(incremental, INCREMENTAL_N)}`,
    });
  } else verdicts.push({ target: 'incremental cycle', met: null, detail: 'not run' });

  const hooks = results.filter((r) => r.scenario === 'hook' && r.latency);
  const hook = hooks.sort((a, b) => b.users - a.users)[0];
  if (hook?.latency) {
    verdicts.push({
      target: 'event hook to Dialpad user created and dialpadPhone written: p95 < 1 s at 50 ms latency',
      met: hook.latency.p95Ms < 1000,
      detail: `p50 ${(hook.latency.p50Ms / 1000).toFixed(2)} s, p95 ${(hook.latency.p95Ms / 1000).toFixed(2)} s over ${hook.latency.samples} users (N=${hook.users})`,
    });
  } else verdicts.push({ target: 'event hook p95 < 1 s', met: null, detail: 'not run' });

  verdicts.push(pipelineVerdict(pick(results, 'initial', INITIAL_N)));
  verdicts.push(budgetVerdict(pick(results, 'shared-budget', SHARED_BUDGET_N), SHARED_BUDGET_N, 'shared budget (12/s available, 15/s configured)', { share: 0.02, ratio: 1.2 }));
  verdicts.push(budgetVerdict(pick(results, 'shared-budget-drop', SHARED_BUDGET_N), SHARED_BUDGET_N, 'shared budget dropping mid-run from 20/s to 10/s (15/s configured)', { share: 0.02, ratio: 1.2 }));
  verdicts.push(budgetVerdict(pick(results, 'told-limit', TOLD_LIMIT_N), TOLD_LIMIT_N, 'told the limit (requestsPerSecond 19 = 95 % of the 20/s available)', { share: 0.005, ratio: 1.1 }));

  // Write-back: as many Okta user writes as numbers that changed (the minimum counts them), no Okta 429.
  const writeRuns = results.filter((r) => r.minimum.writeBacks !== undefined);
  if (writeRuns.length > 0) {
    const bad = writeRuns.filter((r) => writeBacksOf(r) > (r.minimum.writeBacks ?? 0) || r.okta.rateLimited > 0);
    verdicts.push({
      target: 'write-back: only changed numbers written, within the Okta user-update budget',
      met: bad.length === 0,
      detail: writeRuns.map((r) => `${r.scenario}@${r.users}: ${writeBacksOf(r)} written / ${r.minimum.writeBacks ?? 0} changed, Okta 429s ${r.okta.rateLimited}`).join('; '),
    });
  }
  return verdicts;
}

/** How much slower than its floor a side of the initial sync may finish. */
const PIPELINE_RATIO = 1.1;

/**
 * The pipelined initial sync: all users in Dialpad within 1.1 × the Dialpad floor, even when the Okta write-back
 * floor is larger; all write-backs done within 1.1 × the Okta floor (each from the run's first request).
 */
export function pipelineVerdict(initial: ScenarioResult | undefined): TargetVerdict {
  const target = `initial sync of ${INITIAL_N.toLocaleString('en-US')}: all users in Dialpad ≤ ${PIPELINE_RATIO} × the Dialpad floor, all write-backs done ≤ ${PIPELINE_RATIO} × the Okta write-back floor`;
  const pipeline = initial?.pipeline;
  if (initial === undefined || pipeline === undefined) return { target, met: null, detail: 'not run' };
  const dialpadRatio = pipeline.dialpadFloorMs > 0 ? pipeline.dialpadDoneMs / pipeline.dialpadFloorMs : 0;
  const oktaRatio = pipeline.writeBacksDoneMs === null || pipeline.writeBackFloorMs === 0 ? 0 : pipeline.writeBacksDoneMs / pipeline.writeBackFloorMs;
  const met = dialpadRatio <= PIPELINE_RATIO && oktaRatio <= PIPELINE_RATIO;
  const larger = pipeline.writeBackFloorMs > pipeline.dialpadFloorMs ? 'the Okta floor is the larger' : 'the Dialpad floor is the larger';
  return {
    target,
    met: initial.users === INITIAL_N ? met : null,
    detail:
      `all users in Dialpad after ${seconds(pipeline.dialpadDoneMs)} s, floor ${seconds(pipeline.dialpadFloorMs)} s (× ${dialpadRatio.toFixed(2)}); ` +
      `write-backs done after ${pipeline.writeBacksDoneMs === null ? '–' : seconds(pipeline.writeBacksDoneMs)} s, floor ${seconds(pipeline.writeBackFloorMs)} s (× ${oktaRatio.toFixed(2)}); ${larger}${sizeNote(initial, INITIAL_N)}`,
  };
}

/**
 * A Dialpad budget row (shared-budget, shared-budget-drop, told-limit): fewer than `limits.share` of its Dialpad
 * requests answered 429, and the Dialpad side's wall within `limits.ratio` × the floor at the rate actually
 * available to dialsync: min(configured, available) in each phase.
 */
export function budgetVerdict(row: ScenarioResult | undefined, n: number, what: string, limits: { share: number; ratio: number }): TargetVerdict {
  const target = `${what}, initial sync of ${n.toLocaleString('en-US')}: < ${(limits.share * 100).toFixed(1)} % of Dialpad requests answered 429, Dialpad wall ≤ ${limits.ratio} × the floor at min(configured, available)`;
  const budget = row?.budget;
  if (row === undefined || budget === undefined) return { target, met: null, detail: 'not run' };
  const met = budget.rateLimitedShare < limits.share && budget.ratio <= limits.ratio;
  return {
    target,
    met: row.users === n ? met : null,
    detail:
      `${budget.rateLimited} of ${budget.dialpadRequests} Dialpad requests answered 429 (${(budget.rateLimitedShare * 100).toFixed(2)} %); ` +
      `Dialpad side ${seconds(budget.dialpadWallMs)} s against a floor of ${seconds(budget.floorMs)} s at min(configured, available), ${budget.description} (× ${budget.ratio.toFixed(2)}); run wall ${seconds(row.wallMs)} s${sizeNote(row, n)}`,
  };
}

/** The initial syncs' two sides and the budget rows, a line each (printed under the table). */
export function renderPipeline(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const where = `${r.scenario} @ ${r.users} on ${storeLabel(r.store)}`;
    if (r.pipeline) {
      const p = r.pipeline;
      lines.push(
        `- ${where}: all users in Dialpad ${seconds(p.dialpadDoneMs)} s (Dialpad floor ${seconds(p.dialpadFloorMs)} s), all write-backs done ${p.writeBacksDoneMs === null ? '–' : seconds(p.writeBacksDoneMs)} s (Okta write-back floor ${seconds(p.writeBackFloorMs)} s)`,
      );
    }
    if (r.budget) {
      const b = r.budget;
      lines.push(`- ${where}: ${b.description}: 429s ${b.rateLimited}/${b.dialpadRequests} (${(b.rateLimitedShare * 100).toFixed(2)} %), Dialpad side ${seconds(b.dialpadWallMs)} s, floor at min(configured, available) ${seconds(b.floorMs)} s (× ${b.ratio.toFixed(2)})`);
    }
  }
  return lines.join('\n');
}

/** Okta user profile writes (the dialpadPhone write-back). */
function writeBacksOf(r: ScenarioResult): number {
  return (r.okta.byEndpoint['POST /api/v1/users/:id'] ?? 0) + (r.okta.byEndpoint['PUT /api/v1/users/:id'] ?? 0);
}

function seconds(ms: number): string {
  return ms >= 100_000 ? (ms / 1000).toFixed(0) : ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2);
}

/** A Markdown table (the README's), one row per scenario and size. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const header = [
    '| scenario | store | N | wall s | floor s (dialsync / API) | wall ÷ floor (dialsync / API) | Okta req (min) | Dialpad req (min) | writes | 429 | CPU s | plan CPU s | peak RSS MB | hook p50 / p95 s |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const rows = results.map((r) =>
    [
      r.scenario,
      storeLabel(r.store),
      r.users.toLocaleString('en-US'),
      seconds(r.wallMs),
      `${seconds(r.floor.dialsync.ms)} / ${seconds(r.floor.api.ms)}`,
      `${r.ratio.dialsync?.toFixed(2) ?? '–'} / ${r.ratio.api?.toFixed(2) ?? '–'}`,
      `${r.okta.total} (${r.minimum.okta ?? '–'})`,
      `${r.dialpad.total} (${r.minimum.dialpad ?? '–'})`,
      String(r.okta.writes + r.dialpad.writes),
      String(r.okta.rateLimited + r.dialpad.rateLimited),
      (r.cpuMs / 1000).toFixed(2),
      r.planningCpuMs === null ? '–' : (r.planningCpuMs / 1000).toFixed(2),
      r.maxRssMb.toFixed(0),
      r.latency ? `${(r.latency.p50Ms / 1000).toFixed(2)} / ${(r.latency.p95Ms / 1000).toFixed(2)}` : '–',
    ].join(' | '),
  );
  return [...header, ...rows.map((row) => `| ${row} |`)].join('\n');
}

export function renderTargets(verdicts: readonly TargetVerdict[]): string {
  return verdicts.map((v) => `- ${v.met === null ? 'not measured' : v.met ? 'met' : 'NOT met'}: ${v.target}. ${v.detail}`).join('\n');
}

/** Requests by endpoint, for the scenarios where they differ from the minimum. */
export function renderEndpoints(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const parts = [...Object.entries(r.okta.byEndpoint).map(([e, n]) => `okta ${e} ×${n}`), ...Object.entries(r.dialpad.byEndpoint).map(([e, n]) => `dialpad ${e} ×${n}`)];
    lines.push(`- ${r.scenario} @ ${r.users} on ${storeLabel(r.store)}: ${parts.join(', ')}${r.minimum.note ? ` — minimum: ${r.minimum.note}` : ''}`);
  }
  return lines.join('\n');
}
