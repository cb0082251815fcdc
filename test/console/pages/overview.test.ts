import { describe, expect, it } from 'vitest';
import { renderOverview } from '../../../src/console/pages/overview.js';

describe('renderOverview', () => {
  it('still shows the counts and charts when the health could not be read, and says why', () => {
    const page = renderOverview({
      health: null,
      healthError: 'the database did not answer <in time>',
      counts: { managed: 3, unmanaged: null, failing: 1, quarantined: 0, held: 2 },
      nextFullRun: null,
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-12-01T00:00:00.000Z',
      charts: { runs: [], actions: [], days: [] },
    }).text;
    expect(page).toContain('<p class="error">The health could not be read: the database did not answer &lt;in time&gt;</p>');
    expect(page).toContain('<strong>3</strong> managed');
    expect(page).toContain('<strong>?</strong> unmanaged');
    expect(page).toContain('Unmanaged: Dialpad users dialsync neither created nor adopted (it never touches them), as the last full run counted them; <code>dialsync reconcile</code> lists them.');
    expect(page).toContain('<svg id="chart-runs"');
  });

  it('marks the last full run "held N" when it held changes', () => {
    const lastFull = { id: 'run-7', kind: 'full', apply: true, startedAt: '2026-11-30T03:00:00.000Z', finishedAt: '2026-11-30T03:00:05.000Z', outcome: 'succeeded', heldActions: 3 } as const;
    const page = renderOverview({
      health: { leader: null, replicas: [], lastFull: lastFull as never, lastIncremental: null, ready: true, reasons: [], credentials: [] },
      healthError: null,
      counts: { managed: 3, unmanaged: 1, failing: 0, quarantined: 0, held: 3 },
      nextFullRun: null,
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-12-01T00:00:00.000Z',
      charts: { runs: [], actions: [], days: [] },
    }).text;
    expect(page).toContain('<span class="badge badge-succeeded">succeeded</span> <a href="/held" class="badge badge-held" title="suspends and deletes held back: see Held changes">held 3</a>, 5.0 s');
  });
});
