// Runs of the last 30 days on a time axis: a bar per run at its start, as tall as the run took, coloured by how it
// ended (a bar per day when there are too many runs to tell apart, see chart-series.ts runBars).
import { scaleLinear } from 'd3-scale';
import { formatDuration } from '../../timing/format-duration.js';
import { html, type Html } from '../html.js';
import { barSlot, chartSvg, emptyChart, PLOT, round, timeAxis, timeScale, yAxis, type ChartWindow, type LegendItem } from './chart-frame.js';

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
  /** The UTC day (YYYY-MM-DD) the bar stands for, or null when it is one run. */
  day: string | null;
}

/** The outcomes with a colour of their own; any other word is drawn as `running`. */
const OUTCOMES: readonly LegendItem[] = [
  { label: 'succeeded', className: 'outcome-succeeded' },
  { label: 'partial', className: 'outcome-partial' },
  { label: 'failed', className: 'outcome-failed' },
  { label: 'running', className: 'outcome-running' },
];

/**
 * The runs chart over `window` (x: time, UTC): `runs` oldest first, a bar each at its start time (height: duration
 * in seconds, colour: outcome; a bar may stand for a day's runs), each bar a link to its (longest) run's page with a
 * tooltip. Taller bars are drawn first, so a short run next to a long one stays visible. An empty state when there
 * is no run.
 */
export function runsChart(runs: readonly RunBar[], window: ChartWindow): Html {
  const id = 'chart-runs';
  const title = 'Runs in the last 30 days: duration and outcome';
  if (runs.length === 0) return emptyChart({ id, title, message: 'No runs in the last 30 days' });
  const seconds = (run: RunBar): number => (run.durationMs ?? 0) / 1000;
  const x = timeScale(window);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...runs.map(seconds))])
    .nice()
    .range([PLOT.bottom, PLOT.top]);
  const bars = [...runs]
    .sort((a, b) => seconds(b) - seconds(a))
    .map((run) => {
      const top = round(y(seconds(run)));
      const height = Math.max(1, round(PLOT.bottom - top));
      const outcome = OUTCOMES.some((o) => o.label === run.outcome) ? run.outcome : 'running';
      const slot = barSlot(x, run, runs.length);
      return html`<a href="/runs/${encodeURIComponent(run.id)}"><rect class="bar outcome-${outcome}" data-run="${run.id}" x="${slot.x}" y="${Math.min(top, PLOT.bottom - 1)}" width="${slot.width}" height="${height}"><title>${run.day !== null ? `${run.runs} run${run.runs === 1 ? '' : 's'} on ${run.day}, the longest ${formatDuration(run.durationMs)}, the worst ${outcome}` : `${run.kind} run ${run.startedAt}: ${outcome}, ${formatDuration(run.durationMs)}`}</title></rect></a>`;
    });
  const failed = runs.filter((run) => run.outcome === 'failed' || run.outcome === 'partial').length;
  const perDay = runs.some((run) => run.day !== null);
  const total = runs.reduce((sum, run) => sum + run.runs, 0);
  return chartSvg({
    id,
    title,
    description: perDay
      ? `${total} runs, a bar per day (its longest run, its worst outcome); days with a failed or partial run: ${failed}; the longest took ${formatDuration(Math.max(...runs.map((run) => run.durationMs ?? 0)))}.`
      : `${runs.length} runs, each at its start time; ${failed} failed or partial; the longest took ${formatDuration(Math.max(...runs.map((run) => run.durationMs ?? 0)))}.`,
    legend: OUTCOMES,
    body: html`${yAxis(y, 'seconds')}${timeAxis(x)}<g class="bars">${bars}</g>`,
  });
}
