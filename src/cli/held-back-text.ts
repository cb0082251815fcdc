// The paragraph a run prints when the source health gate or the mass-change guard held actions back.
import { GATE_NAMES, releaseForDryRun, type HeldBack } from '../plan/safety/held-back.js';

/** "12 suspends, 12 write-backs": a hold's counts by action kind, in words. */
export function describeCounts(counts: HeldBack['counts']): string {
  const parts: string[] = [];
  for (const [kind, n] of Object.entries(counts)) {
    if (n === undefined || n === 0) continue;
    parts.push(kind === 'write_back' ? `${n} write-back${n === 1 ? '' : 's'}` : `${n} ${kind}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}


/**
 * The paragraph printed under the plan for what the safety gates held back (docs/rules.md#safety): per gate, the
 * counts by action kind, why, and how to let them through. `applied`: the run applied the rest (else a dry run, which
 * records no hold: its advice says an applying run records them for approval first).
 */
export function renderHeldBack(held: readonly HeldBack[], applied: boolean): string {
  const lines: string[] = [];
  for (const h of held) {
    const what = describeCounts(h.counts);
    lines.push(
      `Held back by the ${GATE_NAMES[h.gate]}: ${what} (${h.users} user${h.users === 1 ? '' : 's'})` +
        `${applied ? ' were not applied' : ' would not be applied'}; everything else ${applied ? 'was' : 'would be'} applied.`,
      `  Why: ${h.reason.replace(/^[a-z -]+: /i, '')}.`,
      `  To let them through: ${applied ? h.release : releaseForDryRun(h.release)}.`,
      '  The users concerned are listed under "Withheld" above.',
    );
    if (applied && ((h.counts.suspend ?? 0) > 0 || (h.counts.delete ?? 0) > 0)) {
      lines.push('  Or approve exactly these suspends and deletes: `dialsync held` lists them, `dialsync approve EMAIL... | --all` lets them through in the next run.');
    }
  }
  return lines.join('\n');
}
