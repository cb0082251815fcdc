import { describe, expect, it } from 'vitest';
import { chartWindow, PLOT } from '../../../src/console/charts/chart-frame.js';
import { failuresChart, type DayCounts } from '../../../src/console/charts/failures-chart.js';

/** Nov 1 00:00 to Dec 1 00:00 UTC. */
const WINDOW = chartWindow(new Date('2026-11-30T19:45:00.000Z'), 30);
const DAY_WIDTH = (PLOT.right - PLOT.left) / 30;

/** Each series' path: its points as [x, y]. */
function lines(svg: string): Record<string, [number, number][]> {
  return Object.fromEntries(
    [...svg.matchAll(/<path class="line [\w-]+" data-series="(\w+)" d="M([^"]+)"/g)].map((m) => [
      m[1],
      (m[2] ?? '').split('L').map((point) => point.split(',').map(Number) as [number, number]),
    ]),
  );
}

/** The y of the zero line. */
function zeroLine(svg: string): number {
  return Number(/<line class="zero-line" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"/.exec(svg)?.[1]);
}

const day = (n: number, counts: Partial<DayCounts> = {}): DayCounts => ({ day: `2026-11-${String(n).padStart(2, '0')}`, failures: 0, dialpadThrottled: 0, oktaThrottled: 0, ...counts });

describe('failuresChart', () => {
  it('draws a line per series through each day’s count, a point in the middle of each day', () => {
    const svg = failuresChart([day(1, { dialpadThrottled: 4 }), day(30, { failures: 2, oktaThrottled: 1 })], WINDOW).text;
    const drawn = lines(svg);
    expect(Object.keys(drawn)).toEqual(['failures', 'dialpadThrottled', 'oktaThrottled']);
    const zero = zeroLine(svg);
    const y = (count: number): number => zero - ((zero - PLOT.top) * count) / 4;
    expect(drawn.failures?.map(([, py]) => py)).toEqual([y(0), y(2)]);
    expect(drawn.dialpadThrottled?.map(([, py]) => py)).toEqual([y(4), y(0)]);
    expect(drawn.oktaThrottled?.map(([, py]) => py)).toEqual([y(0), y(1)]);
    // Nov 1 at the left, Nov 30 at the right of the 30-day axis.
    expect(drawn.failures?.[0]?.[0]).toBeCloseTo(PLOT.left + DAY_WIDTH / 2, 0);
    expect(drawn.failures?.[1]?.[0]).toBeCloseTo(PLOT.right - DAY_WIDTH / 2, 0);
    expect(svg).toContain('<desc>Over 2 days: 2 failed actions, 4 Dialpad 429s, 1 Okta 429s.</desc>');
    for (const label of ['failed actions: 2', 'Dialpad 429s: 4', 'Okta 429s: 1']) expect(svg).toContain(`<text x="18">${label}</text>`);
    expect(svg).not.toContain('class="chart-note"');
  });

  it('keeps a window of zeros visible: its lines on a zero line above the x axis, the legend and the plot saying none', () => {
    const days = Array.from({ length: 30 }, (_, i) => day(i + 1));
    const svg = failuresChart(days, WINDOW).text;
    const zero = zeroLine(svg);
    expect(zero).toBeLessThan(PLOT.bottom);
    for (const points of Object.values(lines(svg))) expect(new Set(points.map(([, py]) => py))).toEqual(new Set([zero]));
    // The y axis still spans 0 to 1.
    const ticks = [...svg.matchAll(/<g class="tick" transform="translate\(0,[\d.]+\)">.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => t !== '');
    expect(ticks).toEqual(['0', '1']);
    for (const label of ['failed actions: 0', 'Dialpad 429s: 0', 'Okta 429s: 0']) expect(svg).toContain(`<text x="18">${label}</text>`);
    expect(svg).toContain('>No failed action and no 429 answer in the last 30 days</text>');
    expect(svg).toContain('a day without runs counts 0.');
  });

  it('says so when there is no day to draw', () => {
    expect(failuresChart([], WINDOW).text).toContain('aria-label="Failures and 429s per day: No runs in the last 30 days"');
  });
});
