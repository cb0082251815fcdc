// Failures and 429s per day: three lines over the last 30 days (failed actions, Dialpad's and Okta's 429 answers).
import { scalePoint, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { html, type Html } from '../html.js';
import { chartSvg, emptyChart, PLOT, round, spread, xAxis, yAxis, type LegendItem } from './chart-frame.js';

/** One UTC day's totals over the runs that started on it. */
export interface DayCounts {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Actions that failed. */
  failures: number;
  /** 429 answers from Dialpad during the runs. */
  dialpadThrottled: number;
  /** 429 answers from Okta during the runs. */
  oktaThrottled: number;
}

const SERIES: readonly (LegendItem & { key: 'failures' | 'dialpadThrottled' | 'oktaThrottled' })[] = [
  { key: 'failures', label: 'failed actions', className: 'series-failures' },
  { key: 'dialpadThrottled', label: 'Dialpad 429s', className: 'series-dialpad' },
  { key: 'oktaThrottled', label: 'Okta 429s', className: 'series-okta' },
];

/**
 * The failures chart: `days` oldest first (every day, zeros included), a line per series with a dot per day.
 * An empty state when there is no day at all; a flat line at 0 is drawn when the days had none (that is news too).
 */
export function failuresChart(days: readonly DayCounts[]): Html {
  const id = 'chart-failures';
  const title = 'Failures and 429s per day';
  if (days.length === 0) return emptyChart({ id, title, message: 'No runs in the last 30 days' });
  const x = scalePoint<string>()
    .domain(days.map((d) => d.day))
    .range([PLOT.left, PLOT.right])
    .padding(0.5);
  const top = Math.max(1, ...days.flatMap((d) => SERIES.map((s) => d[s.key])));
  const y = scaleLinear().domain([0, top]).nice().range([PLOT.bottom, PLOT.top]);
  const lines = SERIES.map((series) => {
    const path = line<DayCounts>()
      .x((d) => round(x(d.day) ?? 0))
      .y((d) => round(y(d[series.key])))(days);
    const dots = days.map(
      (d) => html`<circle class="dot ${series.className}" cx="${round(x(d.day) ?? 0)}" cy="${round(y(d[series.key]))}" r="2.5"><title>${d.day}: ${d[series.key]} ${series.label}</title></circle>`,
    );
    return html`<g class="series ${series.className}"><path class="line ${series.className}" data-series="${series.key}" d="${path ?? ''}"></path>${dots}</g>`;
  });
  const labels = spread(
    days.map((d) => ({ x: x(d.day) ?? 0, text: d.day.slice(5) })),
    8,
  );
  const sum = (key: (typeof SERIES)[number]['key']): number => days.reduce((all, d) => all + d[key], 0);
  return chartSvg({
    id,
    title,
    description: `Over ${days.length} days: ${sum('failures')} failed actions, ${sum('dialpadThrottled')} Dialpad 429s, ${sum('oktaThrottled')} Okta 429s.`,
    legend: SERIES,
    body: html`${yAxis(y, 'per day', (v) => (Number.isInteger(v) ? String(v) : ''))}${xAxis(labels)}${lines}`,
  });
}
