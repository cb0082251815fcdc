import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOfRun } from '../../src/cli/exit-codes.js';
import type { ReconcileOutcome } from '../../src/reconcile/run-outcome.js';

describe('exitCodeOfRun', () => {
  it.each<[ReconcileOutcome, boolean, number]>([
    ['succeeded', false, EXIT.ok],
    ['unprovisioned', false, EXIT.unprovisioned],
    ['all_quarantined', false, EXIT.usersFailed],
    ['users_failed', false, EXIT.usersFailed],
    ['systemic', false, EXIT.systemic],
    // What the safety gates held back wins over everything but a systemic failure.
    ['succeeded', true, EXIT.massChangeHeld],
    ['unprovisioned', true, EXIT.massChangeHeld],
    ['users_failed', true, EXIT.massChangeHeld],
    ['all_quarantined', true, EXIT.massChangeHeld],
    ['systemic', true, EXIT.systemic],
  ])('%s, held back %s: exit %i', (outcome, heldBack, code) => {
    expect(exitCodeOfRun(outcome, heldBack)).toBe(code);
  });
});
