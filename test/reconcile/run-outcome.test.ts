import { describe, expect, it } from 'vitest';
import type { SystemicFailure } from '../../src/plan/systemic-failure.js';
import { leftActionsUndone, recordedOutcome, runOutcome, runProblem, type ReconcileOutcome, type RunFacts } from '../../src/reconcile/run-outcome.js';

const outage = { summary: 'Dialpad answered 503 for 12 users' } as SystemicFailure;
const clean: RunFacts = { actions: [{}, {}], failedUsers: 0, systemic: [], quarantineStall: 0, unprovisioned: 0 };

describe('runOutcome', () => {
  it.each<[string, Partial<RunFacts>, ReconcileOutcome]>([
    ['every action went through', {}, 'succeeded'],
    ['a dry run that planned', { actions: [] }, 'succeeded'],
    ['an email held elsewhere left a user without a Dialpad user', { unprovisioned: 1 }, 'unprovisioned'],
    ['the quarantine held every user the run would act on', { actions: [], quarantineStall: 3, unprovisioned: 1 }, 'all_quarantined'],
    ['a user failed', { failedUsers: 1, unprovisioned: 1 }, 'users_failed'],
    ['users failed for a shared cause', { failedUsers: 12, systemic: [outage] }, 'systemic'],
    ['a shutdown left actions not run', { actions: [{}, { notRunReason: 'shutdown' }], failedUsers: 12, systemic: [outage] }, 'interrupted'],
    ['an action not run because an earlier one failed', { actions: [{}, { notRunReason: 'earlier_failure' }], failedUsers: 1 }, 'users_failed'],
  ])('%s: %s', (_situation, facts, outcome) => {
    expect(runOutcome({ ...clean, ...facts })).toBe(outcome);
  });
});

describe('what each reader makes of the outcome', () => {
  it.each<[ReconcileOutcome, 'succeeded' | 'partial', boolean, string | undefined]>([
    // outcome, the applied run's record, the daemon's partial, the record's problem
    ['succeeded', 'succeeded', false, undefined],
    ['unprovisioned', 'succeeded', false, undefined],
    ['all_quarantined', 'partial', false, 'every planned user is quarantined (3)'],
    ['users_failed', 'partial', true, undefined],
    ['systemic', 'partial', true, 'systemic failure: Dialpad answered 503 for 12 users'],
    ['interrupted', 'partial', true, 'interrupted by shutdown'],
  ])('%s: recorded %s, daemon partial %s', (outcome, recorded, partial, problem) => {
    expect(recordedOutcome(outcome, true)).toBe(recorded);
    expect(recordedOutcome(outcome, false)).toBe('succeeded');
    expect(leftActionsUndone(outcome)).toBe(partial);
    expect(runProblem(outcome, [outage], 3)).toBe(problem);
  });
});
