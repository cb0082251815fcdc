import { describe, expect, it } from 'vitest';
import { actionsChart } from '../../../src/console/charts/actions-chart.js';
import { chartWindow, PLOT } from '../../../src/console/charts/chart-frame.js';

/** Nov 1 00:00 to Dec 1 00:00 UTC. */
const WINDOW = chartWindow(new Date('2026-11-30T19:45:00.000Z'), 30);
const DAY_WIDTH = (PLOT.right - PLOT.left) / 30;

/** Each stacked piece: its kind, run, x, width, y and height. */
function pieces(svg: string): { kind: string; run: string; x: number; width: number; y: number; height: number }[] {
  return [...svg.matchAll(/<rect class="bar kind-([\w]+)" data-run="([^"]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)">/g)].map((m) => ({
    kind: m[1] ?? '',
    run: m[2] ?? '',
    x: Number(m[3]),
    y: Number(m[4]),
    width: Number(m[5]),
    height: Number(m[6]),
  }));
}

describe('actionsChart', () => {
  it('stacks each run’s actions by kind at its start time, in the order a run carries them out, leaving out kinds no run had', () => {
    const svg = actionsChart(
      [
        { runId: 'r1', startedAt: '2026-11-01T12:00:00.000Z', counts: { create: 6, suspend: 2 }, runs: 1, day: null },
        { runId: 'r2', startedAt: '2026-11-30T12:00:00.000Z', counts: { update: 4 }, runs: 1, day: null },
      ],
      WINDOW,
    ).text;
    const plotHeight = PLOT.bottom - PLOT.top;
    // The nice domain is [0, 8]: 6 creates are three quarters of the plot, 2 suspends on top the last quarter.
    expect(pieces(svg).map(({ kind, run, y, height }) => ({ kind, run, y, height }))).toEqual([
      { kind: 'create', run: 'r1', y: PLOT.top + plotHeight / 4, height: (plotHeight * 3) / 4 },
      { kind: 'suspend', run: 'r1', y: PLOT.top, height: plotHeight / 4 },
      { kind: 'update', run: 'r2', y: PLOT.top + plotHeight / 2, height: plotHeight / 2 },
    ]);
    // Noon of the first day near the left edge, noon of the last near the right; 10 units wide, not the whole chart.
    const [first, , last] = pieces(svg);
    expect((first?.x ?? 0) + 5).toBeCloseTo(PLOT.left + DAY_WIDTH / 2, 0);
    expect((last?.x ?? 0) + 5).toBeCloseTo(PLOT.right - DAY_WIDTH / 2, 0);
    expect(pieces(svg).map((piece) => piece.width)).toEqual([10, 10, 10]);
    const legend = [...svg.matchAll(/<g class="legend-item"[^>]*><rect class="kind-(\w+)"[^>]*><\/rect><text x="18">([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(legend).toEqual([
      ['create', 'create'],
      ['update', 'update'],
      ['suspend', 'suspend'],
    ]);
    expect(svg).toContain('role="img" aria-label="Actions per run, by kind"');
    expect(svg).toContain('<desc>12 actions over 2 runs with actions, each at its start time, by kind: create, update, suspend.</desc>');
  });

  it('puts each create’s job title right after it, with words for its legend and tooltip', () => {
    const svg = actionsChart([{ runId: 'r1', startedAt: '2026-11-10T08:00:00.000Z', counts: { write_back: 3, set_job_title: 3, create: 3 }, runs: 1, day: null }], WINDOW).text;
    expect(pieces(svg).map((piece) => piece.kind)).toEqual(['create', 'set_job_title', 'write_back']);
    expect(svg).toContain('<text x="18">set job title</text>');
    expect(svg).toContain('<title>2026-11-10T08:00:00.000Z: 3 × Set job title (after a create)</title>');
  });

  it('draws a day of runs as a bar filling its day', () => {
    const svg = actionsChart([{ runId: 'r9', startedAt: '2026-11-02T00:10:00.000Z', counts: { update: 50 }, runs: 130, day: '2026-11-02' }], WINDOW).text;
    const [bar] = pieces(svg);
    expect(bar?.x).toBeCloseTo(PLOT.left + DAY_WIDTH + 1, 0);
    expect(bar?.width).toBeCloseTo(DAY_WIDTH - 2, 0);
    expect(svg).toContain('<title>2026-11-02 (130 runs): 50 × Update</title>');
  });

  it('says so when no run had an action', () => {
    const svg = actionsChart([{ runId: 'r1', startedAt: '2026-11-01T10:00:00.000Z', counts: {}, runs: 1, day: null }], WINDOW).text;
    expect(svg).toContain('>No run in the last 30 days had an action</text>');
    expect(pieces(svg)).toEqual([]);
  });
});
