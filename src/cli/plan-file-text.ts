// What `reconcile --out` and `dialsync apply plan.json` print about a plan file.
import { GATE_NAMES, type HeldBack } from '../plan/safety/held-back.js';
import type { PlanFileApplyReport } from '../plan-file/apply-plan-file.js';
import { describeCounts } from './held-back-text.js';
import { renderResult, table } from './plan-table.js';

/**
 * The lines `reconcile --out` prints under the plan: where the file is, how to apply it, and per run-wide gate what
 * it would have held, which applying the file approves.
 */
export function renderPlanFileWritten(path: string, held: readonly HeldBack[]): string {
  const lines = [`Plan file written to ${path}: nothing was changed. Review it, then carry it out with \`dialsync apply ${path}\`.`];
  for (const h of held) {
    lines.push(`${describeCounts(h.counts)} (${h.users} user${h.users === 1 ? '' : 's'}) would be held by the ${GATE_NAMES[h.gate]}; applying this file approves them.`);
  }
  return lines.join('\n');
}

/**
 * What `dialsync apply plan.json` prints: the result of the users applied, what stays held back of them (a license
 * change a cap holds now as when the plan was made), then the users refused and those already in step.
 */
export function renderPlanFileApplied(report: Pick<PlanFileApplyReport, 'approves' | 'result' | 'plan' | 'refused' | 'inStep'>): string {
  const out = [...approvedText(report.approves), renderResult(report.result)];
  const { withheld } = report.plan;
  if (withheld.length > 0) {
    out.push('', `Still held back, as when the plan was made: ${withheld.length} action(s)`);
    out.push(...table(['USER', 'ACTION', 'REASON'], withheld.map((w) => [w.email, w.kind, w.reason])));
  }
  if (report.refused.length > 0) {
    out.push('', `Refused (they, or what the safety checks decide for them, changed since the plan was made; make a new plan for them): ${report.refused.length} user(s)`);
    for (const user of report.refused) out.push(`  ${user.email}: ${user.changes.join('; ')}`);
  }
  if (report.inStep.length > 0) {
    out.push('', `Already in step (changed since the plan was made, nothing left to do but what stays held back): ${report.inStep.length} user(s)`);
    for (const user of report.inStep) out.push(`  ${user.email}: ${user.changes.join('; ')}`);
  }
  return out.join('\n');
}

/** "This file approves 8 suspends (8 users) the mass-change guard held.", per gate, and a blank line; nothing when none. */
function approvedText(held: readonly HeldBack[]): string[] {
  if (held.length === 0) return [];
  const lines = held.map((h) => `This file approves ${describeCounts(h.counts)} (${h.users} user${h.users === 1 ? '' : 's'}) the ${GATE_NAMES[h.gate]} held when it was made.`);
  return [...lines, ''];
}
