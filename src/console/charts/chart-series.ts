// From the store's run rows and action counts to what the overview's charts draw. Pure.
import type { RunActionCounts } from './actions-chart.js';
import type { DayCounts } from './failures-chart.js';
import type { RunBar } from './runs-chart.js';

/** The parts of a stored run the charts read (store/runs.ts RunRecord). */
export interface ChartRun {
  id: string;
  kind: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: string;
  failedActions?: number;
  dialpadThrottled?: number;
  oktaThrottled?: number;
}

/** A run's duration in ms, from its start to its end; null while it runs or when a time is unreadable. */
export function runDurationMs(run: Pick<ChartRun, 'startedAt' | 'finishedAt'>): number | null {
  if (run.finishedAt === null) return null;
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return Number.isNaN(ms) ? null : Math.max(0, ms);
}

/**
 * Bars a chart draws one per run; with more runs (a daemon with event hooks runs hundreds a day) each bar is one
 * UTC day instead, so the chart stays readable and the overview's answer small.
 */
export const MAX_RUN_BARS = 120;

/** Outcomes from the best to the worst: a day's bar takes the worst of its runs. */
const OUTCOME_RANK = ['succeeded', 'running', 'partial', 'failed'];

/**
 * The runs chart's bars, oldest first: one per run (`runs: 1`, `day: null`), or, with more than MAX_RUN_BARS runs,
 * one per UTC day with runs (`day`: YYYY-MM-DD): the day's longest run (its id, kind and duration, linked), the worst outcome of the day and how
 * many runs it had.
 */
export function runBars(runs: readonly ChartRun[]): RunBar[] {
  const bars: RunBar[] = runs.map((run) => ({ id: run.id, kind: run.kind, startedAt: run.startedAt, durationMs: runDurationMs(run), outcome: run.outcome, runs: 1, day: null }));
  if (bars.length <= MAX_RUN_BARS) return bars;
  const days = new Map<string, RunBar>();
  for (const bar of bars) {
    const day = days.get(bar.startedAt.slice(0, 10));
    if (day === undefined) {
      days.set(bar.startedAt.slice(0, 10), { ...bar, day: bar.startedAt.slice(0, 10) });
      continue;
    }
    const longer = (bar.durationMs ?? 0) > (day.durationMs ?? 0);
    const worse = OUTCOME_RANK.indexOf(bar.outcome) > OUTCOME_RANK.indexOf(day.outcome);
    days.set(bar.startedAt.slice(0, 10), {
      ...(longer ? { id: bar.id, kind: bar.kind, durationMs: bar.durationMs } : { id: day.id, kind: day.kind, durationMs: day.durationMs }),
      startedAt: day.startedAt,
      outcome: worse ? bar.outcome : day.outcome,
      runs: day.runs + 1,
      day: day.day,
    });
  }
  return [...days.values()];
}

/**
 * The actions chart's bars: each of `runs` (oldest first) with its actions counted by kind from `perRun` (the
 * store's counts per run, kind and outcome; every outcome counts: the chart shows what each run had to do). With
 * more than MAX_RUN_BARS runs that had actions, one bar per UTC day sums its runs (the day's last run id).
 */
export function actionCounts(runs: readonly ChartRun[], perRun: readonly { runId: string; kind: string; count: number }[]): RunActionCounts[] {
  const byRun = new Map<string, Record<string, number>>();
  for (const row of perRun) {
    const counts = byRun.get(row.runId) ?? {};
    counts[row.kind] = (counts[row.kind] ?? 0) + row.count;
    byRun.set(row.runId, counts);
  }
  const bars: RunActionCounts[] = runs.map((run) => ({ runId: run.id, startedAt: run.startedAt, counts: byRun.get(run.id) ?? {}, runs: 1, day: null }));
  const withActions = bars.filter((bar) => Object.keys(bar.counts).length > 0);
  if (withActions.length <= MAX_RUN_BARS) return bars;
  const days = new Map<string, RunActionCounts>();
  for (const bar of withActions) {
    const key = bar.startedAt.slice(0, 10);
    const day = days.get(key);
    const counts: Record<string, number> = { ...day?.counts };
    for (const [kind, count] of Object.entries(bar.counts)) counts[kind] = (counts[kind] ?? 0) + count;
    days.set(key, { runId: bar.runId, startedAt: day?.startedAt ?? bar.startedAt, counts, runs: (day?.runs ?? 0) + 1, day: key });
  }
  return [...days.values()];
}

/**
 * The failures chart's days: every UTC day from `from` to `to` (both included, oldest first), each with the failed
 * actions and 429 answers of the runs that started on it (a run without the counts adds 0).
 */
export function dayCounts(runs: readonly ChartRun[], from: Date, to: Date): DayCounts[] {
  const days = new Map<string, DayCounts>();
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let at = first; at <= to.getTime(); at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10);
    days.set(day, { day, failures: 0, dialpadThrottled: 0, oktaThrottled: 0 });
  }
  for (const run of runs) {
    const entry = days.get(run.startedAt.slice(0, 10));
    if (entry === undefined) continue;
    entry.failures += run.failedActions ?? 0;
    entry.dialpadThrottled += run.dialpadThrottled ?? 0;
    entry.oktaThrottled += run.oktaThrottled ?? 0;
  }
  return [...days.values()];
}
