// The overview (GET / and /api/overview): is it healthy, what it manages, and the last 30 days as charts.
import { describeError } from '../../errors/describe-error.js';
import type { RunRecord } from '../../store/runs.js';
import { formatDuration } from '../../timing/format-duration.js';
import { actionsChart, type RunActionCounts } from '../charts/actions-chart.js';
import { chartWindow } from '../charts/chart-frame.js';
import { actionCounts, dayCounts, runBars, runDurationMs } from '../charts/chart-series.js';
import { failuresChart, type DayCounts } from '../charts/failures-chart.js';
import { runsChart, type RunBar } from '../charts/runs-chart.js';
import { nextFullRun, quarantineAfter, type ConsoleDeps, type NextFullRun } from '../console-deps.js';
import type { ConsoleHealth } from '../health.js';
import { html, type Html } from '../html.js';
import { badge, dataTable, when } from '../table.js';
import { heldBadge } from './runs.js';

/** How far back the charts look (days). */
export const CHART_DAYS = 30;

/** What the overview shows, and GET /api/overview answers. */
export interface Overview {
  /** null when the health could not be read (healthError says why); the rest of the overview still shows. */
  health: ConsoleHealth | null;
  healthError: string | null;
  counts: {
    /** Okta users linked to a Dialpad user (created or adopted). */
    managed: number;
    /** Dialpad users no Okta user or link claims, as the last full run counted them; null when unknown. */
    unmanaged: number | null;
    /** Users whose last run failed (released ones left out). */
    failing: number;
    /** Users failing safety.quarantineAfter runs in a row: runs leave them alone. */
    quarantined: number;
    /** Suspends and deletes the guards hold right now (approved ones included, until a run applies them). */
    held: number;
  };
  /** When the next scheduled full run is due; null when the console does not know (no schedule handed in). */
  nextFullRun: NextFullRun | null;
  /** ISO 8601: the start of the charts' window (a UTC midnight). */
  since: string;
  /** ISO 8601: the end of the charts' window (the UTC midnight after today). */
  until: string;
  charts: { runs: RunBar[]; actions: RunActionCounts[]; days: DayCounts[] };
}

/**
 * Reads the overview: health (deps.health; its failure is shown, not thrown), counts and the last CHART_DAYS days of
 * runs. Throws what the store throws.
 */
export async function loadOverview(deps: ConsoleDeps): Promise<Overview> {
  const now = deps.now();
  const window = chartWindow(now, CHART_DAYS);
  const since = new Date(window.from);
  const sinceIso = window.from;
  const [health, managed, failing, quarantined, held, runs, perRun] = await Promise.all([
    deps.health().then(
      (value): { value: ConsoleHealth | null; error: string | null } => ({ value, error: null }),
      (error: unknown) => ({ value: null, error: describeError(error) }),
    ),
    deps.store.links.count(),
    deps.store.userErrors.failing(),
    deps.store.userErrors.quarantined(quarantineAfter(deps)),
    deps.store.held.list(),
    deps.store.runs.since(sinceIso),
    deps.store.runActions.perRun(sinceIso),
  ]);
  return {
    health: health.value,
    healthError: health.error,
    counts: {
      managed,
      unmanaged: health.value?.lastFull?.unmanagedUsers ?? null,
      failing: failing.length,
      quarantined: quarantined.length,
      held: held.length,
    },
    nextFullRun: nextFullRun(deps),
    since: sinceIso,
    until: window.to,
    charts: { runs: runBars(runs), actions: actionCounts(runs, perRun), days: dayCounts(runs, since, now) },
  };
}

/** The overview's body: health, counts, then the three charts. */
export function renderOverview(overview: Overview): Html {
  const { counts } = overview;
  const window = { from: overview.since, to: overview.until };
  return html`<section class="health" aria-labelledby="health-h"><h2 id="health-h">Health</h2>
${overview.nextFullRun ? html`<p class="next-run">Next full run: ${when(overview.nextFullRun.at)} (<code>${overview.nextFullRun.schedule}</code> in ${overview.nextFullRun.timezone})</p>` : ''}
${overview.health ? renderHealth(overview.health) : html`<p class="error">The health could not be read: ${overview.healthError ?? 'unknown error'}</p>`}
</section>
<section class="counts" aria-labelledby="counts-h"><h2 id="counts-h">What it manages</h2>
<ul class="tiles">
<li><a href="/users"><strong>${counts.managed}</strong> managed</a></li>
<li><strong>${counts.unmanaged ?? '?'}</strong> unmanaged</li>
<li><a href="/quarantine"><strong>${counts.quarantined}</strong> quarantined</a> (${counts.failing} failing)</li>
<li><a href="/held"><strong>${counts.held}</strong> held</a></li>
</ul>
<p class="detail">Unmanaged: Dialpad users dialsync neither created nor adopted (it never touches them), as the last full run counted them; <code>dialsync reconcile</code> lists them.</p>
</section>
<section class="charts" aria-labelledby="charts-h"><h2 id="charts-h">The last ${CHART_DAYS} days</h2>
${runsChart(overview.charts.runs, window)}
${actionsChart(overview.charts.actions, window)}
${failuresChart(overview.charts.days, window)}
</section>`;
}

function renderHealth(health: ConsoleHealth): Html {
  return html`<dl class="facts">
<dt>Ready</dt><dd>${health.ready === null ? 'unknown (no daemon has checked yet)' : health.ready ? badge('ready') : badge('unready')}</dd>
<dt>Leader</dt><dd>${health.leader ?? 'no daemon leads'}</dd>
<dt>Last full run</dt><dd>${runLine(health.lastFull)}</dd>
<dt>Last incremental run</dt><dd>${runLine(health.lastIncremental)}</dd>
<dt>Credentials</dt><dd>${health.credentials.length === 0 ? 'not checked yet' : health.credentials.map((check) => html`<span class="credential">${check.side === 'okta' ? 'Okta' : 'Dialpad'}: ${badge(check.state)}${check.detail ? html` <span class="detail">${check.detail}</span>` : ''}</span> `)}</dd>
</dl>
${health.reasons.length > 0 ? dataTable({ caption: 'Why not ready', headers: ['Reason', 'Detail'], rows: health.reasons.map((r) => [html`<code>${r.reason}</code>`, r.detail]), empty: '' }) : ''}
${dataTable({
  caption: 'Replicas (checked in the last hour)',
  headers: ['Replica', 'Role', 'Ready', 'Checked'],
  rows: health.replicas.map((r) => [r.name, r.leader ? 'leader' : 'follower', r.ready ? badge('ready') : html`${badge('unready')} ${r.problems.map((p) => p.reason).join(', ')}`, when(r.checkedAt)]),
  empty: 'No daemon replica checked in during the last hour.',
})}`;
}

function runLine(run: RunRecord | null): Html {
  if (run === null) return html`none yet`;
  return html`<a href="/runs/${encodeURIComponent(run.id)}">${run.kind}</a> ${when(run.startedAt)}, ${badge(run.outcome)}${heldBadge(run)}, ${formatDuration(runDurationMs(run))}`;
}
