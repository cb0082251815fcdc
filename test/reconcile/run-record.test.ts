// What a run keeps of its plan: every action with its outcome (run_actions) and the held suspends and deletes
// (held_actions), from the plan after the safety passes and apply's per-step results.
import { describe, expect, it } from 'vitest';
import type { ActionResult, ApplyResult } from '../../src/apply/apply-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { heldActionsOf, retiringDone, runActionsOf } from '../../src/reconcile/run-record.js';

// The worked example of run-record.ts: a@ created with a title, b@ suspended (approved), c@'s suspend and clear held.
const plan: Plan = {
  users: [
    {
      oktaUserId: 'a',
      dialpadUserId: null,
      email: 'a@example.com',
      actions: [{ kind: 'create', email: 'a@example.com', firstName: 'A', lastName: 'Ay', officeId: '1', license: 'talk', autoAssign: true, jobTitle: 'CTO', reason: 'newly assigned' }],
    },
    { oktaUserId: 'b', dialpadUserId: '2', email: 'b@example.com', actions: [{ kind: 'suspend', approvedBy: 'cli:ana@host', reason: 'approved by cli:ana@host past the mass-change guard: unassigned' }] },
  ],
  skipped: [],
  unmanaged: [],
  warnings: [],
  withheld: [
    { email: 'c@example.com', oktaUserId: 'c', dialpadUserId: '3', kind: 'suspend', reason: 'held back by the mass-change guard', gate: 'mass-change' },
    { email: 'c@example.com', oktaUserId: 'c', dialpadUserId: '3', kind: 'write_back', reason: 'held back by the mass-change guard', gate: 'mass-change' },
    { email: 'd@example.com', kind: 'suspend', reason: 'withheld by the upsert-only policy' },
  ],
};

const step = (email: string, oktaUserId: string, dialpadUserId: string | null, kind: ActionResult['kind'], outcome: ActionResult['outcome'], error: string | null = null): ActionResult => ({
  email,
  oktaUserId,
  dialpadUserId,
  kind,
  outcome,
  detail: null,
  error,
});

describe('runActionsOf', () => {
  it('an applied run: each step with its outcome and error, then the held and withheld actions', () => {
    const result: ApplyResult = {
      actions: [
        step('a@example.com', 'a', '10', 'create', 'done'),
        step('a@example.com', 'a', '10', 'set_job_title', 'failed', 'Dialpad answered 400'),
        step('b@example.com', 'b', '2', 'suspend', 'done'),
      ],
      failedUsers: [],
      systemic: [],
    };
    expect(runActionsOf(plan, result).map((r) => [r.userKey, r.email, r.dialpadUserId, r.kind, r.outcome, r.error, r.gate, r.approvedBy])).toEqual([
      ['okta:a', 'a@example.com', '10', 'create', 'done', null, null, null],
      ['okta:a', 'a@example.com', '10', 'set_job_title', 'failed', 'Dialpad answered 400', null, null],
      ['okta:b', 'b@example.com', '2', 'suspend', 'done', null, null, 'cli:ana@host'],
      ['okta:c', 'c@example.com', '3', 'suspend', 'held', null, 'mass-change', null],
      ['okta:c', 'c@example.com', '3', 'write_back', 'held', null, 'mass-change', null],
      ['dialpad:d@example.com', 'd@example.com', null, 'suspend', 'withheld', null, null, null],
    ]);
  });

  it('a dry run: the plan’s steps are planned; a step apply did not report is not_run', () => {
    expect(runActionsOf(plan, null).slice(0, 3).map((r) => r.outcome)).toEqual(['planned', 'planned', 'planned']);
    const partial: ApplyResult = { actions: [step('a@example.com', 'a', '10', 'create', 'done')], failedUsers: [], systemic: [] };
    expect(runActionsOf(plan, partial).slice(0, 3).map((r) => r.outcome)).toEqual(['done', 'not_run', 'not_run']);
  });
});

describe('heldActionsOf and retiringDone', () => {
  it('held: the suspends and deletes a gate held, once per user and kind (not the clears, not the policy’s)', () => {
    expect(heldActionsOf(plan)).toEqual([
      { userKey: 'okta:c', oktaUserId: 'c', dialpadUserId: '3', email: 'c@example.com', kind: 'suspend', gate: 'mass-change', reason: 'held back by the mass-change guard' },
    ]);
  });

  it('done: the suspends and deletes carried out', () => {
    const result: ApplyResult = {
      actions: [step('b@example.com', 'b', '2', 'suspend', 'done'), step('e@example.com', 'e', '5', 'delete', 'failed', 'refused'), step('a@example.com', 'a', '10', 'create', 'done')],
      failedUsers: [],
      systemic: [],
    };
    expect(retiringDone(result)).toEqual([{ userKey: 'okta:b', kind: 'suspend' }]);
  });
});
