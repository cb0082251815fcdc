// Actions per run, by kind: one stacked bar per run, a layer per action kind.
import { scaleBand, scaleLinear } from 'd3-scale';
import { stack } from 'd3-shape';
import { ACTION_ORDER } from '../../plan/action-titles.js';
import { html, type Html } from '../html.js';
import { chartSvg, dayLabel, emptyChart, PLOT, round, spread, xAxis, yAxis } from './chart-frame.js';

/** One run's actions counted by kind (kind: an ActionKind), with when it started. */
export interface RunActionCounts {
  runId: string;
  /** ISO 8601. */
  startedAt: string;
  counts: Readonly<Record<string, number>>;
  /** Runs the bar stands for: 1, or a day's runs (see chart-series.ts actionCounts). */
  runs: number;
}

/**
 * The actions chart: `runs` oldest first, a bar each stacked by action kind (in the order a run applies them;
 * kinds no run had are left out of the stack and the legend). An empty state when no run had an action.
 */
export function actionsChart(runs: readonly RunActionCounts[]): Html {
  const id = 'chart-actions';
  const title = 'Actions per run, by kind';
  const withActions = runs.filter((run) => Object.values(run.counts).some((count) => count > 0));
  if (withActions.length === 0) return emptyChart({ id, title, message: 'No run in the last 30 days had an action' });
  const known = new Set<string>(ACTION_ORDER);
  const extra = [...new Set(withActions.flatMap((run) => Object.keys(run.counts)))].filter((kind) => !known.has(kind)).sort();
  const kinds = [...ACTION_ORDER, ...extra].filter((kind) => withActions.some((run) => (run.counts[kind] ?? 0) > 0));
  const series = stack<RunActionCounts, string>()
    .keys(kinds)
    .value((run, kind) => run.counts[kind] ?? 0)(withActions);
  const x = scaleBand<number>()
    .domain(withActions.map((_, i) => i))
    .range([PLOT.left, PLOT.right])
    .paddingInner(0.25)
    .paddingOuter(0.1);
  const total = Math.max(1, ...withActions.map((run) => kinds.reduce((sum, kind) => sum + (run.counts[kind] ?? 0), 0)));
  const y = scaleLinear().domain([0, total]).nice().range([PLOT.bottom, PLOT.top]);
  const layers = series.map(
    (layer) =>
      html`<g class="layer kind-${layer.key}">${layer.map(([low, high], i) => {
        if (high - low <= 0) return '';
        const run = withActions[i] as RunActionCounts;
        return html`<rect class="bar kind-${layer.key}" data-run="${run.runId}" x="${round(x(i) ?? 0)}" y="${round(y(high))}" width="${round(x.bandwidth())}" height="${round(y(low) - y(high))}"><title>${run.runs > 1 ? `${run.startedAt.slice(0, 10)} (${run.runs} runs)` : run.startedAt}: ${high - low} ${layer.key}</title></rect>`;
      })}</g>`,
  );
  const labels = spread(
    withActions.map((run, i) => ({ x: (x(i) ?? 0) + x.bandwidth() / 2, text: dayLabel(run.startedAt) })),
    8,
  );
  const sum = withActions.reduce((all, run) => all + Object.values(run.counts).reduce((a, b) => a + b, 0), 0);
  return chartSvg({
    id,
    title,
    description: withActions.some((run) => run.runs > 1)
      ? `${sum} actions over ${withActions.reduce((all, run) => all + run.runs, 0)} runs with actions, a bar per day, by kind: ${kinds.join(', ')}.`
      : `${sum} actions over ${withActions.length} runs with actions, by kind: ${kinds.join(', ')}.`,
    legend: kinds.map((kind) => ({ label: kind, className: `kind-${kind}` })),
    body: html`${yAxis(y, 'actions', (v) => (Number.isInteger(v) ? String(v) : ''))}${xAxis(labels)}<g class="bars">${layers}</g>`,
  });
}
