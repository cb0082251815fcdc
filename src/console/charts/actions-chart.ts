// Actions per run, by kind, on a time axis: a stacked bar per run at its start (a bar per day when there are too
// many runs to tell apart), a layer per action kind.
import { scaleLinear } from 'd3-scale';
import { stack } from 'd3-shape';
import { STEP_ORDER, stepTitle } from '../../plan/action-titles.js';
import { html, type Html } from '../html.js';
import { barSlot, chartSvg, emptyChart, PLOT, round, timeAxis, timeScale, yAxis, type ChartWindow } from './chart-frame.js';

/** One run's actions counted by kind (kind: a step kind, see plan/action-titles.ts), with when it started. */
export interface RunActionCounts {
  runId: string;
  /** ISO 8601. */
  startedAt: string;
  counts: Readonly<Record<string, number>>;
  /** Runs the bar stands for: 1, or a day's runs (see chart-series.ts actionCounts). */
  runs: number;
  /** The UTC day (YYYY-MM-DD) the bar stands for, or null when it is one run. */
  day: string | null;
}

/**
 * The actions chart over `window` (x: time, UTC): each of `runs` with an action, a bar at its start stacked by kind
 * (in the order a run carries them out; kinds no run had are left out of the stack and the legend), the tallest
 * drawn first so a small run beside a big one stays visible. An empty state when no run had an action.
 */
export function actionsChart(runs: readonly RunActionCounts[], window: ChartWindow): Html {
  const id = 'chart-actions';
  const title = 'Actions per run, by kind';
  const withActions = runs.filter((run) => Object.values(run.counts).some((count) => count > 0));
  if (withActions.length === 0) return emptyChart({ id, title, message: 'No run in the last 30 days had an action' });
  const known = new Set<string>(STEP_ORDER);
  const extra = [...new Set(withActions.flatMap((run) => Object.keys(run.counts)))].filter((kind) => !known.has(kind)).sort();
  const kinds = [...STEP_ORDER, ...extra].filter((kind) => withActions.some((run) => (run.counts[kind] ?? 0) > 0));
  const totalOf = (run: RunActionCounts): number => kinds.reduce((sum, kind) => sum + (run.counts[kind] ?? 0), 0);
  const ordered = [...withActions].sort((a, b) => totalOf(b) - totalOf(a));
  const series = stack<RunActionCounts, string>()
    .keys(kinds)
    .value((run, kind) => run.counts[kind] ?? 0)(ordered);
  const x = timeScale(window);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...ordered.map(totalOf))])
    .nice()
    .range([PLOT.bottom, PLOT.top]);
  // A run's pieces together, so the tallest run's whole stack is drawn before (under) the next one.
  const columns = ordered.map((run, i) => {
    const slot = barSlot(x, run, withActions.length);
    const pieces = series.map((layer) => {
      const [low, high] = layer[i] as [number, number];
      if (high - low <= 0) return '';
      const when = run.day !== null ? `${run.day} (${run.runs} run${run.runs === 1 ? '' : 's'})` : run.startedAt;
      return html`<rect class="bar kind-${layer.key}" data-run="${run.runId}" x="${slot.x}" y="${round(y(high))}" width="${slot.width}" height="${round(y(low) - y(high))}"><title>${when}: ${high - low} × ${stepTitle(layer.key)}</title></rect>`;
    });
    return html`<g class="column">${pieces}</g>`;
  });
  const sum = withActions.reduce((all, run) => all + totalOf(run), 0);
  const perDay = withActions.some((run) => run.day !== null);
  return chartSvg({
    id,
    title,
    description: perDay
      ? `${sum} actions over ${withActions.reduce((all, run) => all + run.runs, 0)} runs with actions, a bar per day, by kind: ${kinds.join(', ')}.`
      : `${sum} actions over ${withActions.length} runs with actions, each at its start time, by kind: ${kinds.join(', ')}.`,
    legend: kinds.map((kind) => ({ label: kind.replaceAll('_', ' '), className: `kind-${kind}` })),
    body: html`${yAxis(y, 'actions', (v) => (Number.isInteger(v) ? String(v) : ''))}${timeAxis(x)}<g class="bars">${columns}</g>`,
  });
}
