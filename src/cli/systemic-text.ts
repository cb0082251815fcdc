// The paragraphs a run prints for its systemic failures (each once, with what to do) and for a plan the quarantine
// emptied.
import type { SystemicFailure } from '../plan/systemic-failure.js';

/** One paragraph per systemic failure: what failed for how many users, what to do, and that nobody was quarantined. */
export function renderSystemic(failures: readonly SystemicFailure[]): string {
  const lines: string[] = [];
  for (const failure of failures) {
    lines.push(
      `Systemic failure: ${failure.summary}.`,
      `  To fix: ${failure.hint}.`,
      '  A failure the run\'s users share counts toward nobody\'s quarantine: the next run tries them all again.',
    );
  }
  return lines.join('\n');
}

/** The warning of a run whose every planned user was held by the quarantine. */
export function renderQuarantineStall(quarantined: number): string {
  return (
    `Every user this run would act on is quarantined (${quarantined}): nothing was tried. \`dialsync status\` lists them and why; ` +
    '`dialsync release EMAIL`, `--cause CODE` or `--all` lets them be tried again.'
  );
}
