// The plan and the result as a person reads them: grouped by action, with counts.
import type { ApplyResult } from '../apply/apply-plan.js';
import { ACTION_ORDER, ACTION_TITLES } from '../plan/action-titles.js';
import { releaseForDryRun } from '../plan/safety/held-back.js';
import { causeKey } from '../plan/systemic-failure.js';
import { driftPolicyKey } from '../plan/rules/drift-rule.js';
import type { Action, ActionKind, DriftDecision, Plan } from '../plan/types.js';
import { unprovisionedUsers } from '../plan/summary.js';
import type { ReconcileReport } from '../reconcile/reconcile.js';

const ORDER = ACTION_ORDER;

/** Each drift decision in words. */
const DRIFT_DECISIONS: Readonly<Record<DriftDecision, string>> = {
  reported: 'reported, left as it is',
  reverted: "reverted to Okta's",
  adopted: "Dialpad's kept",
  okta_changed: "Okta's changed too: Okta's written",
};
const TITLES = ACTION_TITLES;

/**
 * The plan of a run as text: one table per action kind (in the order a run applies them), then the skipped,
 * withheld, warned-about and unmanaged users, the summary line and what to do for each unprovisioned user.
 */
export function renderPlan(report: ReconcileReport): string {
  const { plan, counts } = report;
  const out: string[] = [];
  out.push(`Plan for ${counts.assignments} Okta assignment(s), ${counts.dialpadUsers} Dialpad user(s), ${counts.offices} office(s)`);
  out.push('');
  const byKind = groupByKind(plan);
  for (const kind of ORDER) {
    const rows = byKind.get(kind);
    if (!rows || rows.length === 0) continue;
    out.push(`${TITLES[kind]} (${rows.length})`);
    out.push(...table(['USER', 'DETAIL', 'REASON'], rows.map(({ email, action }) => [email, detailOf(action, report.officeNames), action.reason])));
    out.push('');
  }
  if (plan.skipped.length > 0) {
    out.push(`Skipped (${plan.skipped.length})`);
    out.push(...table(['USER', 'CODE', 'REASON'], plan.skipped.map((s) => [s.email ?? s.oktaUserId ?? '?', s.code, s.reason])));
    out.push('');
  }
  if (plan.withheld.length > 0) {
    out.push(`Withheld (${plan.withheld.length})`);
    out.push(...table(['USER', 'ACTION', 'REASON'], plan.withheld.map((w) => [w.email, w.kind, report.apply ? w.reason : releaseForDryRun(w.reason)])));
    out.push('');
  }
  if (plan.warnings.length > 0) {
    out.push(`Warnings (${plan.warnings.length})`);
    out.push(...table(['USER', 'WARNING'], plan.warnings.map((w) => [w.email ?? w.oktaUserId ?? '?', w.message])));
    out.push('');
  }
  if (plan.drift && plan.drift.length > 0) {
    // Office values are ids: shown by name with the id (the bare id for an office not read).
    const office = (id: string): string => (report.officeNames[id] === undefined ? id : `"${report.officeNames[id]}" (${id})`);
    const value = (field: string, v: string | null): string => (v === null || v === '' ? '(empty)' : field === 'office' ? office(v) : `"${v}"`);
    out.push(`Drift: edited in Dialpad (${plan.drift.length})`);
    out.push(
      ...table(
        ['USER', 'FIELD', 'DIALPAD', 'OKTA', 'LAST APPLIED', 'DECISION'],
        plan.drift.map((d) => [d.email, d.field, value(d.field, d.dialpad), value(d.field, d.okta), value(d.field, d.applied), `${DRIFT_DECISIONS[d.decision]} (drift.${driftPolicyKey(d.field)}: ${d.policy})`]),
      ),
    );
    out.push('');
  }
  if (plan.unmanaged.length > 0) {
    out.push(`Unmanaged Dialpad users, left alone (${plan.unmanaged.length})`);
    out.push(...table(['USER', 'DIALPAD ID', 'STATE'], plan.unmanaged.map((u) => [u.email ?? '(no email)', u.dialpadUserId, u.state])));
    out.push('');
  }
  out.push(`Summary: ${summaryLine(plan)}`);
  const unprovisioned = unprovisionedUsers(plan);
  if (unprovisioned.length > 0) {
    out.push(`Unprovisioned: ${unprovisioned.length} assigned user(s) left without a Dialpad user because their email is held elsewhere. What to do:`);
    for (const s of unprovisioned) out.push(`  ${s.email ?? s.oktaUserId ?? '?'}: ${s.remedy ?? ''}`);
  }
  return out.join('\n');
}

/**
 * What an apply did, as text: a row per action that changed something or failed (a systemic failure's message is
 * printed once elsewhere, see renderSystemic), then the counts done, failed and not run.
 */
export function renderResult(result: ApplyResult): string {
  const out: string[] = [];
  const rows = result.actions.filter((action) => action.outcome !== 'unchanged');
  if (rows.length > 0) {
    out.push('Applied');
    // A systemic failure's message is printed once, below the table, not on each of its users' rows.
    const systemic = new Set(result.systemic.map((failure) => failure.key));
    const detail = (a: ApplyResult['actions'][number]): string =>
      a.cause && systemic.has(causeKey(a.cause, a.kind)) ? `systemic failure [${a.cause.code}]: see below` : (a.error ?? a.detail ?? '');
    out.push(...table(['USER', 'ACTION', 'OUTCOME', 'DETAIL'], rows.map((a) => [a.email, a.kind, a.outcome, detail(a)])));
    out.push('');
  }
  const done = result.actions.filter((a) => a.outcome === 'done').length;
  const failed = result.actions.filter((a) => a.outcome === 'failed').length;
  const notRun = result.actions.filter((a) => a.outcome === 'not_run').length;
  out.push(`Result: ${done} done, ${failed} failed, ${notRun} not run; ${result.failedUsers.length} user(s) failed`);
  return out.join('\n');
}

/** "2 create, 1 suspend, 0 skipped, 3 unmanaged": the count of each planned action kind and of the users left out. */
export function summaryLine(plan: Plan): string {
  const byKind = groupByKind(plan);
  const parts = ORDER.filter((kind) => (byKind.get(kind)?.length ?? 0) > 0).map((kind) => `${byKind.get(kind)?.length} ${kind}`);
  parts.push(`${plan.skipped.length} skipped`);
  // Users a license cap, the seat check or a gate held back: counted where a glance at the summary sees them.
  const withheld = new Set(plan.withheld.map((w) => w.email)).size;
  if (withheld > 0) parts.push(`${withheld} withheld`);
  const unprovisioned = unprovisionedUsers(plan).length;
  if (unprovisioned > 0) parts.push(`${unprovisioned} unprovisioned`);
  parts.push(`${plan.unmanaged.length} unmanaged`);
  return parts.join(', ');
}

function groupByKind(plan: Plan): Map<ActionKind, { email: string; action: Action }[]> {
  const groups = new Map<ActionKind, { email: string; action: Action }[]>();
  for (const user of plan.users) {
    for (const action of user.actions) {
      const list = groups.get(action.kind) ?? [];
      list.push({ email: user.email, action });
      groups.set(action.kind, list);
    }
  }
  return groups;
}

function detailOf(action: Action, officeNames: Record<string, string>): string {
  const office = (id: string | null): string => (id === null ? '(none)' : (officeNames[id] ?? id));
  switch (action.kind) {
    case 'create':
      return `office ${office(action.officeId)}, license ${action.license}, ${action.autoAssign ? 'number auto-assigned' : 'no number'}${action.jobTitle ? `, title "${action.jobTitle}"` : ''}`;
    case 'adopt':
      return `Dialpad user ${action.dialpadUserId}`;
    case 'relink':
      return `Dialpad user ${action.dialpadUserId}, from Okta user ${action.previousOktaUserId} (${action.cause.replace('_', ' ')})`;
    case 'update':
      return action.changes.map((c) => `${c.field}: ${show(c.from)} → ${show(c.to)}`).join('; ');
    case 'move_office':
      return `${office(action.fromOfficeId)} → ${office(action.toOfficeId)}${action.international ? ' (other country: numbers reassigned)' : ''}`;
    case 'assign_number':
      return action.number ?? (action.areaCode ? `area code ${action.areaCode}` : 'Dialpad chooses');
    case 'write_back':
      return `${show(action.from)} → ${action.pending ? '(number known after the Dialpad side)' : show(action.to)}`;
    case 'reactivate':
    case 'suspend':
    case 'delete':
      return '';
  }
}

function show(value: string | string[] | null): string {
  if (value === null) return '(empty)';
  return Array.isArray(value) ? value.join(', ') : `"${value}"`;
}

/** Aligned columns, two spaces apart; the last column is never padded. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, i) => Math.min(48, Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length))));
  const line = (cells: string[]): string =>
    '  ' +
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
