import { describe, expect, it } from 'vitest';
import { chartWindow, PLOT } from '../../../src/console/charts/chart-frame.js';
import { runsChart, type RunBar } from '../../../src/console/charts/runs-chart.js';

/** The 30 days up to 2026-11-30 (now: 19:45 that day): from Nov 1 00:00 to Dec 1 00:00 UTC. */
const NOW = new Date('2026-11-30T19:45:00.000Z');
const WINDOW = chartWindow(NOW, 30);
const DAY_WIDTH = (PLOT.right - PLOT.left) / 30;

const run = (id: string, day: number, seconds: number | null, outcome: string, time = '10:00:00'): RunBar => ({
  id,
  kind: 'full',
  startedAt: `2026-11-${String(day).padStart(2, '0')}T${time}.000Z`,
  durationMs: seconds === null ? null : seconds * 1000,
  outcome,
  runs: 1,
  day: null,
});

/** Each bar's attributes, in the order drawn. */
function bars(svg: string): Record<string, string>[] {
  return [...svg.matchAll(/<rect class="bar ([^"]+)" ([^>]*)>/g)].map((match) => {
    const attributes = Object.fromEntries([...(match[2] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    return { class: match[1] ?? '', ...attributes };
  });
}

/** A bar's centre on the x axis. */
const centre = (bar: Record<string, string> | undefined): number => Number(bar?.x) + Number(bar?.width) / 2;

describe('runsChart', () => {
  it('spans the 30-day window: a run 29 days ago sits at the left, one started now at the right', () => {
    expect(WINDOW).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    const drawn = bars(runsChart([run('old', 1, 10, 'succeeded', '12:00:00'), run('now', 30, 5, 'succeeded', '19:45:00')], WINDOW).text);
    const old = drawn.find((bar) => bar['data-run'] === 'old');
    const now = drawn.find((bar) => bar['data-run'] === 'now');
    // Noon of the first day: half a day's width from the left edge. 19:45 of the last day is 4.25 h (a few units)
    // short of the right edge: the bar ends at the edge, kept inside the plot.
    expect(centre(old)).toBeCloseTo(PLOT.left + DAY_WIDTH / 2, 0);
    expect(Number(now?.x) + Number(now?.width)).toBe(PLOT.right);
    expect(PLOT.right - (DAY_WIDTH * 4.25) / 24 - centre(now)).toBeLessThan(2);
    // One run does not fill the chart: its bar is 10 units wide at most.
    expect(drawn.map((bar) => Number(bar.width))).toEqual([10, 10]);
  });

  it('thins the bars as the runs grow in number, down to 3 units, each still at its start time', () => {
    const many = Array.from({ length: 120 }, (_, i) => run(`r${i}`, 1 + Math.floor(i / 4), 10, 'succeeded', `${String(1 + (i % 4) * 5).padStart(2, '0')}:00:00`));
    const drawn = bars(runsChart(many, WINDOW).text);
    expect(new Set(drawn.map((bar) => bar.width))).toEqual(new Set(['3']));
    // r1 started at 06:00 on the first day, r118 at 11:00 on the last.
    expect(centre(drawn.find((bar) => bar['data-run'] === 'r1'))).toBeCloseTo(PLOT.left + (DAY_WIDTH * 6) / 24, 0);
    expect(centre(drawn.find((bar) => bar['data-run'] === 'r118'))).toBeCloseTo(PLOT.right - (DAY_WIDTH * 13) / 24, 0);
  });

  it('draws a bar per run, as tall as the run took and coloured by its outcome, each linking to its run', () => {
    const svg = runsChart([run('r1', 1, 10, 'succeeded'), run('r2', 2, 20, 'failed'), run('r3', 3, 5, 'partial')], WINDOW).text;
    const drawn = bars(svg);
    // The tallest first, so a short run next to a long one is drawn over it.
    expect(drawn.map((bar) => [bar['data-run'], bar.class])).toEqual([
      ['r2', 'outcome-failed'],
      ['r1', 'outcome-succeeded'],
      ['r3', 'outcome-partial'],
    ]);
    const plotHeight = PLOT.bottom - PLOT.top;
    // d3's nice domain is [0, 20] s: the 20 s run fills the plot, the 10 s one half of it, the 5 s one a quarter.
    expect(drawn.map((bar) => Number(bar.height))).toEqual([plotHeight, plotHeight / 2, plotHeight / 4]);
    // A day apart on the time axis.
    expect(centre(drawn[0]) - centre(drawn[1])).toBeCloseTo(DAY_WIDTH, 0);
    expect(svg).toContain('<a href="/runs/r2">');
  });

  it('is an accessible image with a title, a description, a legend of outcomes, y ticks in seconds and week labels', () => {
    const svg = runsChart([run('r1', 1, 10, 'succeeded'), run('r2', 2, 20, 'failed')], WINDOW).text;
    expect(svg).toMatch(/<svg id="chart-runs" class="chart-svg" role="img" aria-label="Runs in the last 30 days: duration and outcome"/);
    expect(svg).toContain('<title>Runs in the last 30 days: duration and outcome</title>');
    expect(svg).toContain('<desc>2 runs, each at its start time; 1 failed or partial; the longest took 0 min 20 s');
    for (const outcome of ['succeeded', 'partial', 'failed', 'running']) expect(svg).toContain(`<rect class="outcome-${outcome}" width="12"`);
    const ticks = [...svg.matchAll(/<g class="tick" transform="translate\(0,[\d.]+\)">.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '5', '10', '15', '20']);
    expect(svg).toContain('>seconds</text>');
    // The Sundays of the window, readable.
    const days = [...svg.matchAll(/<g class="tick" transform="translate\(([\d.]+),[\d.]+\)">.*?<text[^>]*>([^<]*)<\/text>/g)]
      .map((m) => [Number(m[1]), m[2]] as const)
      .filter(([x]) => x > 0);
    expect(days.map(([, text]) => text)).toEqual(['Nov 1', 'Nov 8', 'Nov 15', 'Nov 22', 'Nov 29']);
    expect(days[0]?.[0]).toBe(PLOT.left);
    // A mark at each midnight: 31 of them for 30 days.
    expect([...svg.matchAll(/<line class="day-mark"/g)]).toHaveLength(31);
  });

  it('draws a run still going as a stub in the running colour', () => {
    const drawn = bars(runsChart([run('r1', 1, 10, 'succeeded'), run('r2', 2, null, 'running')], WINDOW).text);
    expect(drawn.find((bar) => bar['data-run'] === 'r2')).toMatchObject({ class: 'outcome-running', height: '1' });
  });

  it('draws a day of runs as a bar filling its day, told by its tooltip and description', () => {
    const svg = runsChart([{ ...run('r1', 1, 90, 'failed'), runs: 40, day: '2026-11-01' }, { ...run('r2', 30, 30, 'succeeded'), runs: 90, day: '2026-11-30' }], WINDOW).text;
    expect(svg).toContain('<title>40 runs on 2026-11-01, the longest 1 min 30 s, the worst failed</title>');
    expect(svg).toContain('<desc>130 runs, a bar per day (its longest run, its worst outcome); days with a failed or partial run: 1;');
    const drawn = bars(svg);
    expect(Number(drawn[0]?.x)).toBeCloseTo(PLOT.left + 1, 0);
    expect(Number(drawn[0]?.width)).toBeCloseTo(DAY_WIDTH - 2, 0);
    expect(Number(drawn[1]?.x) + Number(drawn[1]?.width)).toBeCloseTo(PLOT.right - 1, 0);
  });

  it('says so when there is no run', () => {
    const svg = runsChart([], WINDOW).text;
    expect(svg).toContain('role="img" aria-label="Runs in the last 30 days: duration and outcome: No runs in the last 30 days"');
    expect(svg).toContain('>No runs in the last 30 days</text>');
    expect(bars(svg)).toEqual([]);
  });
});
