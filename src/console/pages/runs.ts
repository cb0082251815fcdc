// The runs (GET /runs and /api/runs): a page of runs, newest first, filtered by outcome, kind and user.
import { z } from 'zod';
import type { RunRecord } from '../../store/runs.js';
import { formatDuration } from '../../timing/format-duration.js';
import { runDurationMs } from '../charts/chart-series.js';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import { badge, dataTable, pager, when } from '../table.js';

/** Runs a page. */
export const RUNS_PER_PAGE = 50;

/** The outcomes a run may be filtered by (store/runs.ts RunOutcome). */
export const RUN_OUTCOMES = ['running', 'succeeded', 'partial', 'failed'] as const;
/** The kinds a run may be filtered by (store/runs.ts RunKind). */
export const RUN_KINDS = ['reconcile', 'full', 'incremental', 'hook', 'repin', 'plan_file'] as const;

/** A form's empty field is no filter. */
const blank = (value: unknown): unknown => (value === '' ? undefined : value);

/** The query of GET /runs: ?page=1&outcome=failed&kind=full&user=ann@acme.com (each optional). */
export const runsQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  outcome: z.preprocess(blank, z.enum(RUN_OUTCOMES).optional()),
  kind: z.preprocess(blank, z.enum(RUN_KINDS).optional()),
  user: z.preprocess(blank, z.string().trim().min(1).max(320).optional()),
});

/** The parsed query of GET /runs. */
export type RunsQuery = z.output<typeof runsQuery>;

/** A run as the list shows it: the stored run with its duration (ms; null while running). */
/** A run as the runs page lists it: its record, how long it took (ms; null while running) and what started it. */
export type RunRow = RunRecord & { durationMs: number | null; trigger: string };

/** What GET /runs shows and GET /api/runs answers. */
export interface RunsPage {
  query: RunsQuery;
  total: number;
  perPage: number;
  runs: RunRow[];
}

/** What started a run of each kind, as people say it. */
const TRIGGERS: Record<string, string> = {
  reconcile: 'command line',
  full: 'schedule or start',
  incremental: 'System Log',
  hook: 'event hook',
  repin: 'command line (re-pin)',
};

/** Reads one page of runs for `query`. Throws what the store throws. */
export async function loadRuns(deps: ConsoleDeps, query: RunsQuery): Promise<RunsPage> {
  const { total, runs } = await deps.store.runs.page({
    limit: RUNS_PER_PAGE,
    offset: (query.page - 1) * RUNS_PER_PAGE,
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.user ? { email: query.user } : {}),
  });
  return { query, total, perPage: RUNS_PER_PAGE, runs: await runRows(deps, runs) };
}

/**
 * The runs as the pages show them: each with its duration and what started it — a full run started by Run now
 * names who asked (known once the run has ended), the others say what starts runs of their kind. Throws what the
 * store throws.
 */
export async function runRows(deps: Pick<ConsoleDeps, 'store'>, runs: readonly RunRecord[]): Promise<RunRow[]> {
  const requests = await deps.store.runRequests.forRuns(runs.map((run) => run.id));
  return runs.map((run) => {
    const request = requests.get(run.id);
    const trigger = request ? `Run now by ${request.requestedBy}` : (TRIGGERS[run.kind] ?? run.kind);
    return { ...run, durationMs: runDurationMs(run), trigger };
  });
}

/** The runs page's body: the filter form, the table and the pager. */
export function renderRuns(view: RunsPage): Html {
  const { query } = view;
  const option = (value: string, current: string | undefined): Html => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${value || 'any'}</option>`;
  const filters = html`<form method="get" action="/runs" class="filters">
<label>Outcome <select name="outcome">${['', ...RUN_OUTCOMES].map((o) => option(o, query.outcome))}</select></label>
<label>Kind <select name="kind">${['', ...RUN_KINDS].map((k) => option(k, query.kind))}</select></label>
<label>User <input type="search" name="user" value="${query.user ?? ''}" placeholder="email"></label>
<button type="submit">Filter</button>
</form>`;
  const table = dataTable({
    headers: ['Started', 'Kind', 'Trigger', 'Mode', 'Duration', 'Outcome', 'Assigned', 'Planned', 'Done', 'Failed', 'Skipped', 'Held'],
    rows: view.runs.map((run) => [
      html`<a href="/runs/${encodeURIComponent(run.id)}">${when(run.startedAt)}</a>`,
      run.kind,
      run.trigger,
      run.apply ? 'apply' : 'dry run',
      run.finishedAt === null ? `${formatDuration(null)} (running)` : formatDuration(run.durationMs),
      html`${badge(run.outcome)}${heldBadge(run)}${run.error ? html` <span class="detail">${run.error}</span>` : ''}`,
      count(run.assignments),
      count(run.plannedActions),
      count(run.succeededActions),
      count(run.failedActions),
      count(run.skippedUsers),
      count(run.heldActions),
    ]),
    empty: query.outcome || query.kind || query.user ? 'No run matches these filters.' : 'No runs yet.',
  });
  return html`${filters}${table}${pager({ path: '/runs', page: query.page, perPage: view.perPage, total: view.total, query: { outcome: query.outcome, kind: query.kind, user: query.user } })}`;
}

/**
 * Next to a run's outcome: " held N" linking to the held changes when the run held suspends or deletes (the run
 * still succeeded: the guards held those on purpose), else nothing.
 */
export function heldBadge(run: Pick<RunRecord, 'heldActions'>): Html | string {
  const held = run.heldActions ?? 0;
  return held > 0 ? html` <a href="/held" class="badge badge-held" title="suspends and deletes held back: see Held changes">held ${held}</a>` : '';
}

function count(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}
