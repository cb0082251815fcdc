import { describe, expect, it } from 'vitest';
import { actionsChart } from '../../../src/console/charts/actions-chart.js';
import { PLOT } from '../../../src/console/charts/chart-frame.js';

/** Each stacked piece: its kind, run, y and height. */
function pieces(svg: string): { kind: string; run: string; y: number; height: number }[] {
  return [...svg.matchAll(/<rect class="bar kind-([\w]+)" data-run="([^"]+)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)">/g)].map((m) => ({
    kind: m[1] ?? '',
    run: m[2] ?? '',
    y: Number(m[3]),
    height: Number(m[4]),
  }));
}

describe('actionsChart', () => {
  it('stacks each run’s actions by kind, in the order a run applies them, and leaves out kinds no run had', () => {
    const svg = actionsChart([
      { runId: 'r1', startedAt: '2026-11-01T10:00:00.000Z', counts: { create: 6, suspend: 2 }, runs: 1 },
      { runId: 'r2', startedAt: '2026-11-02T10:00:00.000Z', counts: { update: 4 }, runs: 1 },
    ]).text;
    const plotHeight = PLOT.bottom - PLOT.top;
    // The nice domain is [0, 8]: 6 creates are three quarters of the plot, 2 suspends on top the last quarter.
    expect(pieces(svg)).toEqual([
      { kind: 'create', run: 'r1', y: PLOT.top + plotHeight / 4, height: (plotHeight * 3) / 4 },
      { kind: 'update', run: 'r2', y: PLOT.top + plotHeight / 2, height: plotHeight / 2 },
      { kind: 'suspend', run: 'r1', y: PLOT.top, height: plotHeight / 4 },
    ]);
    const legend = [...svg.matchAll(/<g class="legend-item"[^>]*><rect class="kind-(\w+)"/g)].map((m) => m[1]);
    expect(legend).toEqual(['create', 'update', 'suspend']);
    expect(svg).toContain('role="img" aria-label="Actions per run, by kind"');
    expect(svg).toContain('<desc>12 actions over 2 runs with actions, by kind: create, update, suspend.</desc>');
  });

  it('says so when no run had an action', () => {
    const svg = actionsChart([{ runId: 'r1', startedAt: '2026-11-01T10:00:00.000Z', counts: {}, runs: 1 }]).text;
    expect(svg).toContain('>No run in the last 30 days had an action</text>');
    expect(pieces(svg)).toEqual([]);
  });
});
