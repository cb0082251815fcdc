import { describe, expect, it } from 'vitest';
import { actionCounts, dayCounts, MAX_RUN_BARS, runBars } from '../../../src/console/charts/chart-series.js';

const run = (id: string, startedAt: string, counts: { failedActions?: number; dialpadThrottled?: number; oktaThrottled?: number } = {}) => ({
  id,
  kind: 'full',
  startedAt,
  finishedAt: new Date(Date.parse(startedAt) + 2500).toISOString(),
  outcome: 'succeeded',
  ...counts,
});

describe('the charts’ series', () => {
  it('gives each run its duration, a run still going none', () => {
    expect(runBars([run('a', '2026-11-01T10:00:00.000Z'), { ...run('b', '2026-11-02T10:00:00.000Z'), finishedAt: null, outcome: 'running' }])).toEqual([
      { id: 'a', kind: 'full', startedAt: '2026-11-01T10:00:00.000Z', durationMs: 2500, outcome: 'succeeded', runs: 1, day: null },
      { id: 'b', kind: 'full', startedAt: '2026-11-02T10:00:00.000Z', durationMs: null, outcome: 'running', runs: 1, day: null },
    ]);
  });

  it('draws a bar per day with more runs than MAX_RUN_BARS: the day’s longest run, its worst outcome, how many', () => {
    // Every 10 minutes for a day and a half: 216 runs of 2.5 s; one long full run, one failed run on the first day.
    const runs = Array.from({ length: 216 }, (_, i) => run(`r${i}`, new Date(Date.UTC(2026, 10, 1, 0, i * 10)).toISOString()));
    runs[5] = { ...run('long', runs[5]?.startedAt ?? ''), finishedAt: new Date(Date.UTC(2026, 10, 1, 1, 0)).toISOString() };
    runs[7] = { ...run('bad', runs[7]?.startedAt ?? ''), outcome: 'failed' };
    expect(runs.length).toBeGreaterThan(MAX_RUN_BARS);
    expect(runBars(runs)).toEqual([
      { id: 'long', kind: 'full', startedAt: '2026-11-01T00:00:00.000Z', durationMs: 10 * 60_000, outcome: 'failed', runs: 144, day: '2026-11-01' },
      { id: 'r144', kind: 'full', startedAt: '2026-11-02T00:00:00.000Z', durationMs: 2500, outcome: 'succeeded', runs: 72, day: '2026-11-02' },
    ]);
    const perRun = runs.map((r) => ({ runId: r.id, kind: 'update', outcome: 'done', count: 2 }));
    expect(actionCounts(runs, perRun)).toEqual([
      { runId: 'r143', startedAt: '2026-11-01T00:00:00.000Z', counts: { update: 288 }, runs: 144, day: '2026-11-01' },
      { runId: 'r215', startedAt: '2026-11-02T00:00:00.000Z', counts: { update: 144 }, runs: 72, day: '2026-11-02' },
    ]);
  });

  it('counts each run’s actions by kind over every outcome', () => {
    const perRun = [
      { runId: 'a', kind: 'create', outcome: 'done', count: 2 },
      { runId: 'a', kind: 'create', outcome: 'failed', count: 1 },
      { runId: 'a', kind: 'suspend', outcome: 'held', count: 4 },
    ];
    expect(actionCounts([run('a', '2026-11-01T10:00:00.000Z'), run('b', '2026-11-02T10:00:00.000Z')], perRun)).toEqual([
      { runId: 'a', startedAt: '2026-11-01T10:00:00.000Z', counts: { create: 3, suspend: 4 }, runs: 1, day: null },
      { runId: 'b', startedAt: '2026-11-02T10:00:00.000Z', counts: {}, runs: 1, day: null },
    ]);
  });

  it('sums failures and 429s per UTC day, every day of the window included', () => {
    const days = dayCounts(
      [run('a', '2026-11-01T23:59:00.000Z', { failedActions: 2, oktaThrottled: 1 }), run('b', '2026-11-01T01:00:00.000Z', { dialpadThrottled: 5 }), run('c', '2026-11-03T00:00:00.000Z', { failedActions: 1 })],
      new Date('2026-11-01T12:00:00.000Z'),
      new Date('2026-11-03T08:00:00.000Z'),
    );
    expect(days).toEqual([
      { day: '2026-11-01', failures: 2, dialpadThrottled: 5, oktaThrottled: 1 },
      { day: '2026-11-02', failures: 0, dialpadThrottled: 0, oktaThrottled: 0 },
      { day: '2026-11-03', failures: 1, dialpadThrottled: 0, oktaThrottled: 0 },
    ]);
  });
});
