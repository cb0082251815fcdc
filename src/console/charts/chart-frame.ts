// What every console chart shares: the SVG element with its accessible name, the plot area, the axes, the legend
// and the empty state. Charts are server-rendered SVG: the scales and shapes come from d3-scale and d3-shape, the
// elements are written here; colours come from classes in the stylesheet (no inline style under the CSP).
import type { ScaleLinear } from 'd3-scale';
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
 * with `body` drawn inside and the legend under it.
 */
export function chartSvg(args: { id: string; title: string; description: string; legend: readonly LegendItem[]; body: Html }): Html {
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
<figcaption>${args.title}</figcaption>
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

/** The x axis: a baseline and labels at the given x positions. */
export function xAxis(labels: readonly { x: number; text: string }[]): Html {
  const ticks = labels.map(
    (label) => html`<g class="tick" transform="translate(${round(label.x)},${PLOT.bottom})"><line y2="4"></line><text y="16" text-anchor="middle">${label.text}</text></g>`,
  );
  return html`<g class="axis axis-x"><line class="baseline" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"></line>${ticks}</g>`;
}

/** A coordinate rounded to 0.1 unit: shorter markup, no visible difference. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** "11-28" for an ISO instant (UTC month and day): short enough for an axis label. */
export function dayLabel(iso: string): string {
  return iso.slice(5, 10);
}

/** At most `count` items of `items`, evenly spread, the first and the last included (for axis labels). */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = (items.length - 1) / (count - 1);
  return Array.from({ length: count }, (_, i) => items[Math.round(i * step)] as T);
}
