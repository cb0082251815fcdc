// Runs of the last 30 days: one bar per run, as tall as the run took, coloured by how it ended.
import { scaleBand, scaleLinear } from 'd3-scale';
import { formatDuration } from '../../timing/format-duration.js';
import { html, type Html } from '../html.js';
import { chartSvg, dayLabel, emptyChart, PLOT, round, spread, xAxis, yAxis, type LegendItem } from './chart-frame.js';

/** One run as the chart draws it. */
export interface RunBar {
  id: string;
  kind: string;
  /** ISO 8601. */
  startedAt: string;
  /** How long it took (ms); null while it runs or when unknown (drawn as a stub). */
  durationMs: number | null;
  outcome: string;
  /** Runs the bar stands for: 1, or a day's runs (the bar is then the day's longest run and its worst outcome). */
  runs: number;
}

/** The outcomes with a colour of their own; any other word is drawn as `running`. */
const OUTCOMES: readonly LegendItem[] = [
  { label: 'succeeded', className: 'outcome-succeeded' },
  { label: 'partial', className: 'outcome-partial' },
  { label: 'failed', className: 'outcome-failed' },
  { label: 'running', className: 'outcome-running' },
];

/**
 * The runs chart: `runs` oldest first, a bar each (height: duration in seconds, colour: outcome; a bar may stand
 * for a day's runs, see chart-series.ts runBars), each bar a link to its (longest) run's page with a tooltip. An
 * empty state when there is no run.
 */
export function runsChart(runs: readonly RunBar[]): Html {
  const id = 'chart-runs';
  const title = 'Runs in the last 30 days: duration and outcome';
  if (runs.length === 0) return emptyChart({ id, title, message: 'No runs in the last 30 days' });
  const seconds = (run: RunBar): number => (run.durationMs ?? 0) / 1000;
  const x = scaleBand<number>()
    .domain(runs.map((_, i) => i))
    .range([PLOT.left, PLOT.right])
    .paddingInner(runs.length > 60 ? 0.1 : 0.25)
    .paddingOuter(0.1);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...runs.map(seconds))])
    .nice()
    .range([PLOT.bottom, PLOT.top]);
  const bars = runs.map((run, i) => {
    const top = round(y(seconds(run)));
    const height = Math.max(1, round(PLOT.bottom - top));
    const outcome = OUTCOMES.some((o) => o.label === run.outcome) ? run.outcome : 'running';
    return html`<a href="/runs/${encodeURIComponent(run.id)}"><rect class="bar outcome-${outcome}" data-run="${run.id}" x="${round(x(i) ?? 0)}" y="${Math.min(top, PLOT.bottom - 1)}" width="${round(x.bandwidth())}" height="${height}"><title>${run.runs > 1 ? `${run.runs} runs on ${run.startedAt.slice(0, 10)}, the longest ${formatDuration(run.durationMs)}, the worst ${outcome}` : `${run.kind} run ${run.startedAt}: ${outcome}, ${formatDuration(run.durationMs)}`}</title></rect></a>`;
  });
  const labels = spread(
    runs.map((run, i) => ({ x: (x(i) ?? 0) + x.bandwidth() / 2, text: dayLabel(run.startedAt) })),
    8,
  );
  const failed = runs.filter((run) => run.outcome === 'failed' || run.outcome === 'partial').length;
  const perDay = runs.some((run) => run.runs > 1);
  const total = runs.reduce((sum, run) => sum + run.runs, 0);
  return chartSvg({
    id,
    title,
    description: perDay
      ? `${total} runs, a bar per day (its longest run, its worst outcome); days with a failed or partial run: ${failed}; the longest took ${formatDuration(Math.max(...runs.map((run) => run.durationMs ?? 0)))}.`
      : `${runs.length} runs; ${failed} failed or partial; the longest took ${formatDuration(Math.max(...runs.map((run) => run.durationMs ?? 0)))}.`,
    legend: OUTCOMES,
    body: html`${yAxis(y, 'seconds')}${xAxis(labels)}<g class="bars">${bars}</g>`,
  });
}
