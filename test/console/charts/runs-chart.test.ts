import { describe, expect, it } from 'vitest';
import { PLOT } from '../../../src/console/charts/chart-frame.js';
import { runsChart, type RunBar } from '../../../src/console/charts/runs-chart.js';

const run = (id: string, day: number, seconds: number | null, outcome: string): RunBar => ({
  id,
  kind: 'full',
  startedAt: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  durationMs: seconds === null ? null : seconds * 1000,
  outcome,
  runs: 1,
});

/** Each bar's attributes, in order. */
function bars(svg: string): Record<string, string>[] {
  return [...svg.matchAll(/<rect class="bar ([^"]+)" ([^>]*)>/g)].map((match) => {
    const attributes = Object.fromEntries([...(match[2] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    return { class: match[1] ?? '', ...attributes };
  });
}

describe('runsChart', () => {
  it('draws a bar per run, as tall as the run took and coloured by its outcome, each linking to its run', () => {
    const svg = runsChart([run('r1', 1, 10, 'succeeded'), run('r2', 2, 20, 'failed'), run('r3', 3, 5, 'partial')]).text;
    const drawn = bars(svg);
    expect(drawn.map((bar) => [bar['data-run'], bar.class])).toEqual([
      ['r1', 'outcome-succeeded'],
      ['r2', 'outcome-failed'],
      ['r3', 'outcome-partial'],
    ]);
    const plotHeight = PLOT.bottom - PLOT.top;
    // d3's nice domain is [0, 20] s: the 20 s run fills the plot, the 10 s one half of it, the 5 s one a quarter.
    expect(drawn.map((bar) => Number(bar.height))).toEqual([plotHeight / 2, plotHeight, plotHeight / 4]);
    expect(Number(drawn[0]?.x)).toBeLessThan(Number(drawn[1]?.x));
    expect(svg).toContain('<a href="/runs/r2">');
  });

  it('is an accessible image with a title, a description, a legend of outcomes and y ticks in seconds', () => {
    const svg = runsChart([run('r1', 1, 10, 'succeeded'), run('r2', 2, 20, 'failed')]).text;
    expect(svg).toMatch(/<svg id="chart-runs" class="chart-svg" role="img" aria-label="Runs in the last 30 days: duration and outcome"/);
    expect(svg).toContain('<title>Runs in the last 30 days: duration and outcome</title>');
    expect(svg).toContain('<desc>2 runs; 1 failed or partial; the longest took 0 min 20 s');
    for (const outcome of ['succeeded', 'partial', 'failed', 'running']) expect(svg).toContain(`<rect class="outcome-${outcome}" width="12"`);
    const ticks = [...svg.matchAll(/<g class="tick" transform="translate\(0,[\d.]+\)">.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '5', '10', '15', '20']);
    expect(svg).toContain('>seconds</text>');
    expect(svg).toContain('>11-01</text>');
  });

  it('draws a run still going as a stub in the running colour', () => {
    const drawn = bars(runsChart([run('r1', 1, 10, 'succeeded'), run('r2', 2, null, 'running')]).text);
    expect(drawn[1]).toMatchObject({ class: 'outcome-running', height: '1' });
  });

  it('tells a bar that stands for a day of runs by its tooltip and description', () => {
    const svg = runsChart([{ ...run('r1', 1, 90, 'failed'), runs: 40 }]).text;
    expect(svg).toContain('<title>40 runs on 2026-11-01, the longest 1 min 30 s, the worst failed</title>');
    expect(svg).toContain('<desc>40 runs, a bar per day (its longest run, its worst outcome); days with a failed or partial run: 1;');
  });

  it('says so when there is no run', () => {
    const svg = runsChart([]).text;
    expect(svg).toContain('role="img" aria-label="Runs in the last 30 days: duration and outcome: No runs in the last 30 days"');
    expect(svg).toContain('>No runs in the last 30 days</text>');
    expect(bars(svg)).toEqual([]);
  });
});
