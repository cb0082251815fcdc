// What `dialsync apply plan.json` prints: the applied users' result, what stays held back, the refused and in-step users.
import { describe, expect, it } from 'vitest';
import { renderPlanFileApplied } from '../../src/cli/plan-file-text.js';

const emptyPlan = { users: [], skipped: [], unmanaged: [], warnings: [], withheld: [] };

describe('renderPlanFileApplied', () => {
  it('lists what stays held back of the applied users, with the reason, under the result', () => {
    const text = renderPlanFileApplied({
      approves: [],
      result: {
        actions: [{ email: 'ann@acme.com', oktaUserId: '00uANN', dialpadUserId: '101', kind: 'update', outcome: 'done', detail: 'job_title', error: null }],
        failedUsers: [],
        systemic: [],
      },
      plan: {
        ...emptyPlan,
        withheld: [{ email: 'ann@acme.com', kind: 'update', reason: 'license change from talk to agents held back by licenseCaps.agents: 1 agents users already active or planned, the cap is 1 (raise licenseCaps.agents to let it through)' }],
      },
      refused: [],
      inStep: [],
    });
    const lines = text.split('\n');
    const held = lines.indexOf('Still held back, as when the plan was made: 1 action(s)');
    expect(held).toBeGreaterThan(lines.findIndex((line) => line.startsWith('Result: 1 done, 0 failed')));
    expect(lines[held + 1]).toMatch(/^\s*USER\s+ACTION\s+REASON$/);
    expect(lines.slice(held + 2).join('\n')).toMatch(/ann@acme\.com\s+update\s+license change from talk to agents held back by licenseCaps\.agents/);
  });

  it('says nothing of held actions when none stay held, and lists refused and in-step users', () => {
    const text = renderPlanFileApplied({
      approves: [],
      result: { actions: [], failedUsers: [], systemic: [] },
      plan: emptyPlan,
      refused: [{ key: 'okta:00uBOB', email: 'bob@acme.com', oktaUserId: '00uBOB', dialpadUserId: '102', changes: ['Okta profile changed'] }],
      inStep: [{ key: 'okta:00uCY', email: 'cy@acme.com', changes: ['Dialpad user changed: job_title'] }],
    });
    expect(text).not.toContain('Still held back');
    expect(text).toContain('Refused (they, or what the safety checks decide for them, changed since the plan was made; make a new plan for them): 1 user(s)\n  bob@acme.com: Okta profile changed');
    expect(text).toContain('Already in step (changed since the plan was made, nothing left to do but what stays held back): 1 user(s)\n  cy@acme.com: Dialpad user changed: job_title');
  });
});
