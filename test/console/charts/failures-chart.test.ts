import { describe, expect, it } from 'vitest';
import { PLOT } from '../../../src/console/charts/chart-frame.js';
import { failuresChart } from '../../../src/console/charts/failures-chart.js';

/** Each series' path: its points as [x, y]. */
function lines(svg: string): Record<string, [number, number][]> {
  return Object.fromEntries(
    [...svg.matchAll(/<path class="line [\w-]+" data-series="(\w+)" d="M([^"]+)"/g)].map((m) => [
      m[1],
      (m[2] ?? '').split('L').map((point) => point.split(',').map(Number) as [number, number]),
    ]),
  );
}

describe('failuresChart', () => {
  it('draws a line per series through each day’s count', () => {
    const svg = failuresChart([
      { day: '2026-11-01', failures: 0, dialpadThrottled: 4, oktaThrottled: 0 },
      { day: '2026-11-02', failures: 2, dialpadThrottled: 0, oktaThrottled: 1 },
    ]).text;
    const drawn = lines(svg);
    expect(Object.keys(drawn)).toEqual(['failures', 'dialpadThrottled', 'oktaThrottled']);
    const y = (count: number): number => PLOT.bottom - ((PLOT.bottom - PLOT.top) * count) / 4;
    expect(drawn.failures?.map(([, py]) => py)).toEqual([y(0), y(2)]);
    expect(drawn.dialpadThrottled?.map(([, py]) => py)).toEqual([y(4), y(0)]);
    expect(drawn.oktaThrottled?.map(([, py]) => py)).toEqual([y(0), y(1)]);
    expect(drawn.failures?.[0]?.[0]).toBeLessThan(drawn.failures?.[1]?.[0] ?? 0);
    expect(svg).toContain('<desc>Over 2 days: 2 failed actions, 4 Dialpad 429s, 1 Okta 429s.</desc>');
    for (const label of ['failed actions', 'Dialpad 429s', 'Okta 429s']) expect(svg).toContain(`<text x="18">${label}</text>`);
  });

  it('says so when there is no day to draw', () => {
    expect(failuresChart([]).text).toContain('aria-label="Failures and 429s per day: No runs in the last 30 days"');
  });
});
