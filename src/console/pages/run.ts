// One run (GET /runs/:id and /api/runs/:id): its plan grouped by action kind with the reasons, in the words and
// order of the command line's plan table, each action's outcome and error, the users skipped with their codes, the
// listing warnings, and what the guards held back and why.
import { z } from 'zod';
import { STEP_ORDER, stepTitle } from '../../plan/action-titles.js';
import { GATE_NAMES } from '../../plan/safety/held-back.js';
import { formatDuration } from '../../timing/format-duration.js';
import { runDurationMs } from '../charts/chart-series.js';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import type { HeldAction } from '../../store/held-actions.js';
import type { RunAction } from '../../store/run-actions.js';
import { badge, dataTable, pager, when } from '../table.js';
import { heldBadge, runRows, type RunRow } from './runs.js';
import { consoleReason } from '../held-reason.js';

/** Actions a page of a run. */
export const RUN_ACTIONS_PER_PAGE = 500;

/** The outcomes an action may be filtered by (the store's RunAction outcome). */
export const ACTION_OUTCOMES = ['done', 'failed', 'not_run', 'planned', 'held', 'withheld'] as const;

/** The path of GET /runs/:id. */
export const runParams = z.object({ id: z.string().min(1).max(200) });

/** The query of GET /runs/:id: ?page=1&outcome=failed (each optional). */
export const runQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  outcome: z.preprocess((value) => (value === '' ? undefined : value), z.enum(ACTION_OUTCOMES).optional()),
});

/** The parsed query of GET /runs/:id. */
export type RunQuery = z.output<typeof runQuery>;

/** What GET /runs/:id shows and GET /api/runs/:id answers. */
export interface RunPage {
  run: RunRow;
  query: RunQuery;
  /** Actions of the run matching the query, all pages. */
  total: number;
  perPage: number;
  /** This page's actions, in the order the run recorded them. */
  actions: RunAction[];
  /** What this run held that is held still (with any decision taken on it). */
  held: HeldAction[];
  /** What the run's guards held back, by action kind and gate (from the run's recorded actions), most first. */
  heldByGate: { kind: string; gate: string; count: number }[];
}

/** Reads run `id` with a page of its actions; null when there is no such run. Throws what the store throws. */
export async function loadRun(deps: ConsoleDeps, id: string, query: RunQuery): Promise<RunPage | null> {
  const run = await deps.store.runs.get(id);
  if (run === null) return null;
  const [page, held, heldActions, [row]] = await Promise.all([
    deps.store.runActions.forRun(id, {
      limit: RUN_ACTIONS_PER_PAGE,
      offset: (query.page - 1) * RUN_ACTIONS_PER_PAGE,
      ...(query.outcome ? { outcome: query.outcome } : {}),
    }),
    deps.store.held.list(),
    (run.heldActions ?? 0) > 0 ? deps.store.runActions.forRun(id, { limit: 10_000, offset: 0, outcome: 'held' }) : { total: 0, actions: [] },
    runRows(deps, [run]),
  ]);
  return {
    run: row ?? { ...run, durationMs: runDurationMs(run), trigger: run.kind },
    query,
    total: page.total,
    perPage: RUN_ACTIONS_PER_PAGE,
    actions: page.actions,
    held: held.filter((action) => action.runId === id),
    heldByGate: heldByGate(heldActions.actions),
  };
}

/** The run page's title: "full run 2026-11-29 10:00:00Z". */
export function runTitle(view: RunPage): string {
  return `${view.run.kind} run ${view.run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`;
}

/** The run page's body: the facts, the plan by action kind, then skipped users, warnings and held actions. */
export function renderRun(view: RunPage): Html {
  const { run } = view;
  const facts = html`<dl class="facts">
<dt>Run</dt><dd><code>${run.id}</code></dd>
<dt>Kind</dt><dd>${run.kind} (${run.apply ? 'apply' : 'dry run'})</dd>
<dt>Trigger</dt><dd>${run.trigger}</dd>
<dt>Started</dt><dd>${when(run.startedAt)}</dd>
<dt>Finished</dt><dd>${when(run.finishedAt)} (${formatDuration(run.durationMs)})</dd>
<dt>Outcome</dt><dd>${badge(run.outcome)}${heldBadge(run)}${run.error ? html` <span class="detail">${run.error}</span>` : ''}</dd>
<dt>Counts</dt><dd>${run.assignments ?? '?'} assigned, ${run.plannedActions ?? '?'} planned, ${run.succeededActions ?? '?'} done, ${run.failedActions ?? '?'} failed, ${run.skippedUsers ?? '?'} skipped, ${run.heldActions ?? 0} held</dd>
<dt>429 answers</dt><dd>Dialpad ${run.dialpadThrottled ?? 0}, Okta ${run.oktaThrottled ?? 0}</dd>
</dl>`;
  const heldNote =
    view.heldByGate.length > 0
      ? html`<p class="note" role="status">${view.heldByGate.map(
          (h, i) => html`${i > 0 ? '; ' : ''}${h.count} ${h.kind}${h.count === 1 ? '' : 's'} held by the ${gateName(h.gate)}`,
        )} — see <a href="/held">Held changes</a>.</p>`
      : '';
  const outcomeFilter = html`<form method="get" action="/runs/${encodeURIComponent(run.id)}" class="filters">
<label>Outcome <select name="outcome">${['', ...ACTION_OUTCOMES].map((o) => html`<option value="${o}"${o === (view.query.outcome ?? '') ? html` selected` : ''}>${o || 'any'}</option>`)}</select></label>
<button type="submit">Filter</button>
</form>`;
  const groups = groupByKind(view.actions).map(
    ({ kind, actions }) => html`<section class="action-group"><h3>${stepTitle(kind)} (${actions.length})</h3>
${dataTable({
  headers: ['User', 'Reason', 'Outcome', 'Error'],
  rows: actions.map((a) => [userLink(a.email), consoleReason(a.reason), html`${badge(a.outcome)}${a.gate ? html` <span class="detail">${a.gate}</span>` : ''}${a.approvedBy ? html` <span class="detail">approved by ${a.approvedBy}</span>` : ''}`, a.error ? html`<span class="message">${a.error}</span>` : '']),
  empty: '',
})}</section>`,
  );
  const plan = html`<section aria-labelledby="plan-h"><h2 id="plan-h">Plan (${view.total} action${view.total === 1 ? '' : 's'})</h2>
${outcomeFilter}
${groups.length > 0 ? groups : html`<p class="empty">${view.query.outcome ? 'No action of this run has this outcome.' : 'This run planned no action.'}</p>`}
${view.total > view.perPage ? pager({ path: `/runs/${encodeURIComponent(run.id)}`, page: view.query.page, perPage: view.perPage, total: view.total, query: { outcome: view.query.outcome } }) : ''}
</section>`;
  const skipped = run.skipped ?? [];
  const warnings = run.listingWarnings ?? [];
  return html`${heldNote}${facts}${plan}
<section aria-labelledby="skipped-h"><h2 id="skipped-h">Skipped (${skipped.length})</h2>
${dataTable({ headers: ['User', 'Code', 'Reason'], rows: skipped.map((s) => [s.email ? userLink(s.email) : (s.oktaUserId ?? '?'), html`<code>${s.code}</code>`, s.reason]), empty: 'No user was skipped.' })}
</section>
<section aria-labelledby="warnings-h"><h2 id="warnings-h">Warnings (${warnings.length})</h2>
${dataTable({ headers: ['User', 'Warning'], rows: warnings.map((w) => [w.email ?? w.oktaUserId ?? '?', w.message]), empty: 'The listings raised no warning.' })}
</section>
<section aria-labelledby="held-h"><h2 id="held-h">Held (${view.held.length})</h2>
${dataTable({
  headers: ['User', 'Action', 'Gate', 'Reason', 'Decision'],
  rows: view.held.map((h) => [userLink(h.email), stepTitle(h.kind), h.gate, consoleReason(h.reason), decision(h)]),
  empty: 'This run holds nothing now.',
})}
</section>`;
}

/** A held action's decision as people read it: pending (as the command line and README say), or approved/dismissed by whom and when (and until when). */
export function decision(held: Pick<HeldAction, 'decision' | 'decidedBy' | 'decidedAt' | 'expiresAt'>): Html {
  if (held.decision === null) return html`${badge('pending')}`;
  return html`${badge(held.decision)} by ${held.decidedBy ?? '?'} ${when(held.decidedAt)}${held.decision === 'approved' && held.expiresAt ? html`, until ${when(held.expiresAt)}` : ''}`;
}

/** A link to a user's page. */
export function userLink(email: string): Html {
  return html`<a href="/users/${encodeURIComponent(email)}">${email}</a>`;
}

/** Held actions counted by kind and gate, most first. */
function heldByGate(actions: readonly RunAction[]): { kind: string; gate: string; count: number }[] {
  const counts = new Map<string, { kind: string; gate: string; count: number }>();
  for (const action of actions) {
    const gate = action.gate ?? 'unknown';
    const key = `${action.kind}\u0000${gate}`;
    const entry = counts.get(key) ?? { kind: action.kind, gate, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind) || a.gate.localeCompare(b.gate));
}

/** A gate's name as the guards' messages say it ("mass-change guard"), or the gate's code when unknown. */
function gateName(gate: string): string {
  return (GATE_NAMES as Readonly<Record<string, string>>)[gate] ?? `${gate} gate`;
}

/** The actions by kind, in the order a run applies them (kinds this version does not know last). */
function groupByKind(actions: readonly RunAction[]): { kind: string; actions: RunAction[] }[] {
  const groups = new Map<string, RunAction[]>();
  for (const action of actions) {
    const list = groups.get(action.kind) ?? [];
    list.push(action);
    groups.set(action.kind, list);
  }
  const known: readonly string[] = STEP_ORDER;
  const order = [...STEP_ORDER, ...[...groups.keys()].filter((kind) => !known.includes(kind)).sort()];
  return order.flatMap((kind) => {
    const list = groups.get(kind);
    return list ? [{ kind, actions: list }] : [];
  });
}

