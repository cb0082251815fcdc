import { describe, expect, it } from 'vitest';
import { DEPENDS_ON, type StepKind } from '../../src/apply/action-graph.js';
import { ACTION_ORDER, ACTION_TITLES, STEP_ORDER, STEP_TITLES, stepTitle, type StepKindName } from '../../src/plan/action-titles.js';
import type { ActionKind } from '../../src/plan/types.js';

// Both ways at compile time: every step apply reports has a title, and every titled kind is a step.
const everyStepTitled: Readonly<Record<StepKind, string>> = STEP_TITLES;
const sameKinds: Readonly<Record<StepKindName, readonly StepKind[]>> = DEPENDS_ON;

describe('action titles', () => {
  it('gives every action kind and every step apply reports a title in words, listed once in the order a run goes', () => {
    expect(Object.keys(everyStepTitled).sort()).toEqual(Object.keys(sameKinds).sort());
    expect([...STEP_ORDER].sort()).toEqual(Object.keys(DEPENDS_ON).sort());
    for (const kind of Object.keys(DEPENDS_ON) as StepKind[]) expect(stepTitle(kind)).not.toMatch(/_/);
    const actionKinds: readonly ActionKind[] = ACTION_ORDER;
    expect(Object.keys(ACTION_TITLES).sort()).toEqual([...actionKinds].sort());
  });

  it('puts a create’s job title right after the create', () => {
    expect(STEP_ORDER.slice(0, 2)).toEqual(['create', 'set_job_title']);
    expect(stepTitle('set_job_title')).toBe('Set job title (after a create)');
  });

  it('keeps the plan table’s words for the plan’s actions, and a kind it does not know as it is', () => {
    for (const kind of ACTION_ORDER) expect(stepTitle(kind)).toBe(ACTION_TITLES[kind]);
    expect(stepTitle('teleport')).toBe('teleport');
  });
});
