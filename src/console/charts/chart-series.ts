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

/** The runs chart's bars: `runs` oldest first. */
export function runBars(runs: readonly ChartRun[]): RunBar[] {
  return runs.map((run) => ({ id: run.id, kind: run.kind, startedAt: run.startedAt, durationMs: runDurationMs(run), outcome: run.outcome }));
}

/**
 * The actions chart's bars: each of `runs` (oldest first) with its actions counted by kind from `perRun` (the
 * store's counts per run, kind and outcome; every outcome counts: the chart shows what each run had to do).
 */
export function actionCounts(runs: readonly ChartRun[], perRun: readonly { runId: string; kind: string; count: number }[]): RunActionCounts[] {
  const byRun = new Map<string, Record<string, number>>();
  for (const row of perRun) {
    const counts = byRun.get(row.runId) ?? {};
    counts[row.kind] = (counts[row.kind] ?? 0) + row.count;
    byRun.set(row.runId, counts);
  }
  return runs.map((run) => ({ runId: run.id, startedAt: run.startedAt, counts: byRun.get(run.id) ?? {} }));
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
