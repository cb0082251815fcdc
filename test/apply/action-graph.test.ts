import { describe, expect, it } from 'vitest';
import { blockingStep, countSteps, DEPENDS_ON, stepsOf, type StepKind } from '../../src/apply/action-graph.js';
import type { Action } from '../../src/plan/types.js';

/** The order the planner lists a user's actions in (a create's title PATCH right after it). */
const PLAN_ORDER: StepKind[] = ['create', 'set_job_title', 'adopt', 'relink', 'reactivate', 'update', 'move_office', 'assign_number', 'suspend', 'delete', 'write_back'];

const create = (jobTitle: string | null): Action => ({
  kind: 'create',
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: 'Lee',
  officeId: '5001',
  license: 'talk',
  autoAssign: true,
  jobTitle,
  reason: 'new',
});
const writeBack: Action = { kind: 'write_back', from: null, to: null, pending: true, reason: 'number' };

describe('the dependency table', () => {
  it('names every kind once, and each depends only on kinds that run before it', () => {
    expect(Object.keys(DEPENDS_ON).sort()).toEqual([...PLAN_ORDER].sort());
    for (const [kind, needs] of Object.entries(DEPENDS_ON) as [StepKind, readonly StepKind[]][]) {
      for (const need of needs) expect(PLAN_ORDER.indexOf(need), `${kind} needs ${need}`).toBeLessThan(PLAN_ORDER.indexOf(kind));
    }
  });

  it.each([
    // [step, earlier step and its outcome, blocked]
    ['write_back', 'set_job_title', 'failed', false],
    ['write_back', 'update', 'failed', false],
    ['write_back', 'move_office', 'failed', false],
    ['write_back', 'create', 'failed', true],
    ['write_back', 'assign_number', 'failed', true],
    ['write_back', 'assign_number', 'not_run', true],
    ['write_back', 'suspend', 'failed', true],
    ['suspend', 'update', 'failed', false],
    ['assign_number', 'move_office', 'failed', true],
    ['set_job_title', 'create', 'failed', true],
    ['update', 'adopt', 'failed', true],
    ['update', 'reactivate', 'failed', false],
    ['write_back', 'assign_number', 'unchanged', false],
  ] as const)('%s after %s %s: blocked %s', (kind, earlier, outcome, blocked) => {
    expect(blockingStep(kind, [{ kind: earlier, outcome }]) !== null).toBe(blocked);
  });
});

describe('stepsOf', () => {
  it('follows a create that has a title with its own set_job_title step', () => {
    expect(stepsOf([create('Engineer'), writeBack]).map((step) => step.kind)).toEqual(['create', 'set_job_title', 'write_back']);
    expect(stepsOf([create('Engineer')])[1]).toMatchObject({ kind: 'set_job_title', jobTitle: 'Engineer' });
  });

  it('adds nothing to a create without a title', () => {
    expect(stepsOf([create(null), writeBack]).map((step) => step.kind)).toEqual(['create', 'write_back']);
  });
});

describe('countSteps', () => {
  it("counts a plan's actions and the title PATCH of each create that has a title", () => {
    const user = (actions: Action[]) => ({ oktaUserId: '00u1', dialpadUserId: null, email: 'ann@example.com', actions });
    const plan = { users: [user([create('Engineer'), writeBack]), user([create(null), writeBack])], skipped: [], unmanaged: [], warnings: [], withheld: [] };
    expect(countSteps(plan)).toBe(5);
  });
});
