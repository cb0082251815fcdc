import { describe, expect, it } from 'vitest';
import { rateLimitFloor, API_BUDGETS } from '../../bench/floor.js';
import { budgetVerdict, evaluateTargets, pipelineVerdict, renderPipeline } from '../../bench/report.js';
import type { BudgetOutcome, PipelineTimes, RequestCounts, ScenarioResult } from '../../bench/scenarios.js';

const counts = (total: number, rateLimited = 0): RequestCounts => ({ total, byEndpoint: {}, byBucket: {}, writes: 0, rateLimited });

/** A result row with what the report reads; the rest neutral. */
function row(scenario: ScenarioResult['scenario'], users: number, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const floor = rateLimitFloor({}, API_BUDGETS);
  return {
    scenario,
    users,
    store: 'sqlite',
    wallMs: 100_000,
    floor: { api: floor, dialsync: floor },
    ratio: { api: null, dialsync: null },
    okta: counts(0),
    dialpad: counts(0),
    minimum: { okta: null, dialpad: null, note: '' },
    cpuMs: 1,
    planningCpuMs: null,
    maxRssMb: 50,
    isolated: true,
    ...extra,
  };
}

const pipeline = (dialpadDoneMs: number, writeBacksDoneMs: number | null): PipelineTimes => ({ dialpadDoneMs, dialpadFloorMs: 100_000, writeBacksDoneMs, writeBackFloorMs: 200_000 });

function budget(rateLimited: number, dialpadRequests: number, dialpadWallMs: number, floorMs: number): BudgetOutcome {
  return {
    description: '12/s available (sliding 1 s window), configured 15/s',
    availablePerSecond: 12,
    dropsToPerSecond: null,
    configuredPerSecond: 15,
    dialpadRequests,
    rateLimited,
    rateLimitedShare: rateLimited / dialpadRequests,
    dialpadWallMs,
    floorMs,
    ratio: dialpadWallMs / floorMs,
  };
}

describe('pipelineVerdict: an initial sync’s two sides against their floors', () => {
  it.each<[string, PipelineTimes, boolean]>([
    ['both within 1.1 × their floors, the Okta floor the larger', pipeline(108_000, 215_000), true],
    ['Dialpad waited for the write-backs', pipeline(190_000, 215_000), false],
    ['write-backs too slow', pipeline(100_000, 240_000), false],
  ])('%s', (_name, times, met) => {
    expect(pipelineVerdict(row('initial', 10_000, { pipeline: times })).met).toBe(met);
  });

  it('reports both times and floors, and leaves another size unjudged', () => {
    const verdict = pipelineVerdict(row('initial', 1_000, { pipeline: pipeline(108_000, 215_000) }));
    expect(verdict.met).toBeNull();
    expect(verdict.detail).toBe(
      'all users in Dialpad after 108 s, floor 100 s (× 1.08); write-backs done after 215 s, floor 200 s (× 1.07); the Okta floor is the larger (measured at N=1000; the target names 10000)',
    );
    expect(pipelineVerdict(undefined)).toMatchObject({ met: null, detail: 'not run' });
  });
});

describe('budgetVerdict: the share of 429s and the Dialpad wall against the rate available', () => {
  const limits = { share: 0.02, ratio: 1.2 };
  it.each<[string, BudgetOutcome, boolean]>([
    ['few 429s, near the floor', budget(10, 1600, 140_000, 125_000), true],
    ['2 % or more answered 429', budget(32, 1600, 140_000, 125_000), false],
    ['too slow', budget(0, 1600, 160_000, 125_000), false],
  ])('%s', (_name, outcome, met) => {
    expect(budgetVerdict(row('shared-budget', 1_000, { budget: outcome }), 1_000, 'shared budget', limits).met).toBe(met);
  });

  it('says the figures in words', () => {
    const verdict = budgetVerdict(row('shared-budget', 1_000, { budget: budget(10, 1600, 140_000, 125_000) }), 1_000, 'shared budget', limits);
    expect(verdict.target).toBe('shared budget, initial sync of 1,000: < 2.0 % of Dialpad requests answered 429, Dialpad wall ≤ 1.2 × the floor at min(configured, available)');
    expect(verdict.detail).toBe(
      '10 of 1600 Dialpad requests answered 429 (0.63 %); Dialpad side 140 s against a floor of 125 s at min(configured, available), 12/s available (sliding 1 s window), configured 15/s (× 1.12); run wall 100 s',
    );
  });
});

describe('evaluateTargets: issue targets for the pipeline and the Dialpad budgets', () => {
  it('judges each budget row by its own target and says not run for the missing ones', () => {
    const verdicts = evaluateTargets([
      row('shared-budget', 1_000, { budget: budget(0, 1600, 130_000, 125_000) }),
      row('shared-budget-drop', 1_000, { budget: budget(100, 1600, 130_000, 125_000) }),
    ]);
    const about = (words: string) => verdicts.find((v) => v.target.includes(words));
    expect(about('12/s available')?.met).toBe(true);
    expect(about('from 20/s to 10/s')?.met).toBe(false);
    expect(about('told the limit')).toMatchObject({ met: null, detail: 'not run' });
    expect(about('all users in Dialpad')).toMatchObject({ met: null, detail: 'not run' });
    expect(about('event hook')?.target).toContain('p95 < 1 s');
  });

  it('lists each initial sync’s two times and each budget row under the table', () => {
    const lines = renderPipeline([
      row('initial', 200, { pipeline: pipeline(9_500, 20_000) }),
      row('no-change', 200),
      row('told-limit', 200, { budget: { ...budget(1, 400, 21_000, 20_000), description: '20/s available (sliding 1 s window), configured 19/s' } }),
    ]).split('\n');
    expect(lines).toEqual([
      '- initial @ 200 on SQLite: all users in Dialpad 9.50 s (Dialpad floor 100 s), all write-backs done 20.0 s (Okta write-back floor 200 s)',
      '- told-limit @ 200 on SQLite: 20/s available (sliding 1 s window), configured 19/s: 429s 1/400 (0.25 %), Dialpad side 21.0 s, floor at min(configured, available) 20.0 s (× 1.05)',
    ]);
  });
});

describe('evaluateTargets: the incremental cycle', () => {
  const incremental = (total: number, writes: number): ScenarioResult =>
    row('incremental', 100_000, {
      okta: counts(11),
      dialpad: { ...counts(total - 11), writes },
      minimum: { okta: null, dialpad: null, note: 'at most 3 + 3k = 33 requests in all (k = 10), no full listing' },
    });
  const verdictOf = (result: ScenarioResult) => evaluateTargets([result]).find((v) => v.target.startsWith('incremental cycle'));

  it.each<[string, ScenarioResult, boolean]>([
    ['every edit written within the bound', incremental(32, 10), true],
    // A cycle that read nothing (a daemon that does not lead polls nothing) must not pass for a fast one.
    ['nothing read, nothing written', { ...incremental(11, 0), okta: counts(0), dialpad: counts(0) }, false],
    ['an edit not written', incremental(30, 9), false],
    ['over the request bound', incremental(40, 10), false],
  ])('%s', (_name, result, met) => {
    expect(verdictOf(result)?.met).toBe(met);
  });
});
