// What every console chart shares: the SVG element with its accessible name, the plot area, the axes, the legend
// and the empty state. Charts are server-rendered SVG: the scales and shapes come from d3-scale and d3-shape, the
// elements are written here; colours come from classes in the stylesheet (no inline style under the CSP).
import { scaleUtc, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { html, type Html } from '../html.js';

/** The drawing size (SVG user units = CSS pixels at 100 %): readable on a laptop, scaled down on narrow screens. */
export const CHART = { width: 720, height: 240, margin: { top: 16, right: 16, bottom: 40, left: 52 } } as const;

/** The plot area inside the margins: x from left to right, y from top to bottom. */
export const PLOT = {
  left: CHART.margin.left,
  right: CHART.width - CHART.margin.right,
  top: CHART.margin.top,
  bottom: CHART.height - CHART.margin.bottom,
} as const;

/** One legend entry: the label and the stylesheet class that colours it. */
export interface LegendItem {
  label: string;
  className: string;
}

/**
 * A chart: `<svg role="img">` named by `title` (its `<title>` and aria-label) and described by `description`,
 * with `body` drawn inside, the legend under it, and under the drawing its title and `caption` (a sentence on how to read it).
 */
export function chartSvg(args: { id: string; title: string; description: string; legend: readonly LegendItem[]; body: Html; caption?: string }): Html {
  // Five legend entries a row; a second row makes the drawing taller rather than crowding the first.
  const perRow = 5;
  const rows = Math.max(1, Math.ceil(args.legend.length / perRow));
  const height = CHART.height + (rows - 1) * 18;
  const legend = args.legend.map(
    (item, i) =>
      html`<g class="legend-item" transform="translate(${PLOT.left + (i % perRow) * 130},${CHART.height - 10 + Math.floor(i / perRow) * 18})"><rect class="${item.className}" width="12" height="12" y="-10"></rect><text x="18">${item.label}</text></g>`,
  );
  return html`<figure class="chart">
<svg id="${args.id}" class="chart-svg" role="img" aria-label="${args.title}" viewBox="0 0 ${CHART.width} ${height}" width="${CHART.width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title>${args.title}</title>
<desc>${args.description}</desc>
${args.body}
<g class="legend">${legend}</g>
</svg>
<figcaption>${args.title}${args.caption ? html` — <span class="detail">${args.caption}</span>` : ''}</figcaption>
</figure>`;
}

/** The chart's place when there is nothing to draw: the same accessible name, and a sentence saying why. */
export function emptyChart(args: { id: string; title: string; message: string }): Html {
  return html`<figure class="chart chart-empty">
<svg id="${args.id}" class="chart-svg" role="img" aria-label="${args.title}: ${args.message}" viewBox="0 0 ${CHART.width} ${CHART.height}" width="${CHART.width}" height="${CHART.height}" xmlns="http://www.w3.org/2000/svg">
<title>${args.title}</title>
<rect class="chart-empty-frame" x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}"></rect>
<text class="chart-empty-text" x="${CHART.width / 2}" y="${CHART.height / 2}" text-anchor="middle">${args.message}</text>
</svg>
<figcaption>${args.title}</figcaption>
</figure>`;
}

/** The y axis of a linear scale: its ticks (d3's nice values) as gridlines with labels, and the unit as a caption. */
export function yAxis(y: ScaleLinear<number, number>, unit: string, format: (value: number) => string = String): Html {
  const ticks = y.ticks(5).map(
    (value) =>
      html`<g class="tick" transform="translate(0,${round(y(value))})"><line class="grid" x1="${PLOT.left}" x2="${PLOT.right}"></line><text x="${PLOT.left - 6}" dy="0.32em" text-anchor="end">${format(value)}</text></g>`,
  );
  return html`<g class="axis axis-y">${ticks}<text class="axis-label" transform="translate(12,${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">${unit}</text></g>`;
}

/** The charts' time window: whole UTC days, `from` at a midnight and `to` at the midnight after the last day (ISO 8601). */
export interface ChartWindow {
  from: string;
  to: string;
}

/** One UTC day in ms. */
export const DAY_MS = 86_400_000;

/** The window of the `days` UTC days up to and including the day of `now`. */
export function chartWindow(now: Date, days: number): ChartWindow {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
  return { from: new Date(end - days * DAY_MS).toISOString(), to: new Date(end).toISOString() };
}

/** The x scale of a window: its first midnight at the plot's left edge, its last at the right. */
export function timeScale(window: ChartWindow): ScaleTime<number, number> {
  return scaleUtc()
    .domain([new Date(window.from), new Date(window.to)])
    .range([PLOT.left, PLOT.right]);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 8" for a UTC instant: an axis label people read without thinking about the date format. */
export function dayMonthLabel(at: Date): string {
  return `${MONTHS[at.getUTCMonth()] ?? ''} ${at.getUTCDate()}`;
}

/**
 * The time axis: a baseline, a short mark at each UTC midnight, and a labelled gridline at d3's nice ticks (the
 * Sundays, over 30 days): a day's bar or point sits just right of its midnight.
 */
export function timeAxis(x: ScaleTime<number, number>): Html {
  const [from, to] = x.domain().map((d) => d.getTime()) as [number, number];
  const days: Html[] = [];
  for (let at = from; at <= to; at += DAY_MS) days.push(html`<line class="day-mark" x1="${round(x(at))}" x2="${round(x(at))}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 3}"></line>`);
  const ticks = x.ticks(5).map(
    (at) =>
      html`<g class="tick" transform="translate(${round(x(at))},${PLOT.bottom})"><line class="grid" y1="${PLOT.top - PLOT.bottom}" y2="0"></line><line y2="6"></line><text y="18" text-anchor="middle">${dayMonthLabel(at)}</text></g>`,
  );
  return html`<g class="axis axis-x"><line class="baseline" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"></line>${days}${ticks}</g>`;
}

/** Where a bar goes on a time axis: its left edge and width (SVG units). */
export interface BarSlot {
  x: number;
  width: number;
}

/**
 * A bar's place on the time axis. A day's bar (`day`, YYYY-MM-DD) fills its day's slot but a pixel either side; a
 * run's bar is centred on its start, 3 to 10 units wide as `count` bars leave room (wide when few, thin when many),
 * kept inside the plot (a run started just now ends at the right edge).
 */
export function barSlot(x: ScaleTime<number, number>, bar: { startedAt: string; day: string | null }, count: number): BarSlot {
  if (bar.day !== null) {
    const start = Date.parse(`${bar.day}T00:00:00.000Z`);
    const left = x(start);
    return { x: round(left + 1), width: round(Math.max(1, x(start + DAY_MS) - left - 2)) };
  }
  const width = Math.min(10, Math.max(3, Math.floor(((PLOT.right - PLOT.left) / Math.max(1, count)) * 0.5)));
  const centre = x(Date.parse(bar.startedAt));
  return { x: round(Math.min(PLOT.right - width, Math.max(PLOT.left, centre - width / 2))), width };
}

/** A coordinate rounded to 0.1 unit: shorter markup, no visible difference. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
