// Failures and 429s per day on the time axis: three lines over the last 30 days (failed actions, Dialpad's and
// Okta's 429 answers).
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { html, type Html } from '../html.js';
import { chartSvg, DAY_MS, emptyChart, PLOT, round, timeAxis, timeScale, yAxis, type ChartWindow, type LegendItem } from './chart-frame.js';

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

/** Units the zero line sits above the x axis, so a line of zeros is not taken for the axis. */
const ZERO_LIFT = 8;

/**
 * The failures chart over `window`: `days` oldest first (every day, zeros included), a line per series with a dot at
 * the middle of each day. The y axis spans at least 0 to 1, its zero drawn as a line of its own above the x axis, so
 * a series of zeros shows as a line on it; the legend gives each series' total, and a window with none at all says
 * so in the plot. An empty state when there is no day at all.
 */
export function failuresChart(days: readonly DayCounts[], window: ChartWindow): Html {
  const id = 'chart-failures';
  const title = 'Failures and 429s per day';
  if (days.length === 0) return emptyChart({ id, title, message: 'No runs in the last 30 days' });
  const x = timeScale(window);
  const middle = (d: DayCounts): number => round(x(Date.parse(`${d.day}T00:00:00.000Z`) + DAY_MS / 2));
  const top = Math.max(1, ...days.flatMap((d) => SERIES.map((s) => d[s.key])));
  const y = scaleLinear()
    .domain([0, top])
    .nice()
    .range([PLOT.bottom - ZERO_LIFT, PLOT.top]);
  const lines = SERIES.map((series) => {
    const path = line<DayCounts>()
      .x(middle)
      .y((d) => round(y(d[series.key])))(days);
    const dots = days.map(
      (d) => html`<circle class="dot ${series.className}" cx="${middle(d)}" cy="${round(y(d[series.key]))}" r="2.5"><title>${d.day}: ${d[series.key]} ${series.label}</title></circle>`,
    );
    return html`<g class="series ${series.className}"><path class="line ${series.className}" data-series="${series.key}" d="${path ?? ''}"></path>${dots}</g>`;
  });
  const sum = (key: (typeof SERIES)[number]['key']): number => days.reduce((all, d) => all + d[key], 0);
  const none = SERIES.every((series) => sum(series.key) === 0);
  const zero = round(y(0));
  const noneNote = none
    ? html`<text class="chart-note" x="${(PLOT.left + PLOT.right) / 2}" y="${zero - 12}" text-anchor="middle">No failed action and no 429 answer in the last ${days.length} days</text>`
    : '';
  return chartSvg({
    id,
    title,
    description: `Over ${days.length} days: ${sum('failures')} failed actions, ${sum('dialpadThrottled')} Dialpad 429s, ${sum('oktaThrottled')} Okta 429s.`,
    legend: SERIES.map((series) => ({ label: `${series.label}: ${sum(series.key)}`, className: series.className })),
    caption: 'a day without runs counts 0.',
    body: html`${yAxis(y, 'per day', (v) => (Number.isInteger(v) ? String(v) : ''))}${timeAxis(x)}<line class="zero-line" x1="${PLOT.left}" x2="${PLOT.right}" y1="${zero}" y2="${zero}"></line>${noneNote}${lines}`,
  });
}
