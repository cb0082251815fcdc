import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/cli/plan-table.js';
import type { Plan } from '../../src/plan/types.js';
import type { ReconcileReport } from '../../src/reconcile/reconcile.js';

/** What renderPlan reads of a report: the plan, the counts and the office names. */
function reportOf(plan: Plan): ReconcileReport {
  return { plan, counts: { assignments: 1, dialpadUsers: 1, offices: 2 }, officeNames: { '5001': 'New York', '5002': 'San Francisco' } } as unknown as ReconcileReport;
}

describe('renderPlan', () => {
  it('lists each drift with both sides, the last applied value and the decision with its policy', () => {
    const base = { oktaUserId: '00u1', dialpadUserId: '621', email: 'ada@example.com' };
    const text = renderPlan(
      reportOf({
        users: [],
        skipped: [],
        unmanaged: [],
        warnings: [],
        withheld: [],
        drift: [
          { ...base, field: 'job_title', okta: 'Engineer', dialpad: 'Staff Engineer', applied: 'Engineer', policy: 'adopt', decision: 'adopted' },
          { ...base, field: 'office', okta: '5001', dialpad: '5002', applied: null, policy: 'report', decision: 'reported' },
        ],
      }),
    );
    expect(text).toContain('Drift: edited in Dialpad (2)');
    expect(text).toMatch(/ada@example\.com\s+job_title\s+"Staff Engineer"\s+"Engineer"\s+"Engineer"\s+Dialpad's kept \(drift\.job_title: adopt\)/);
    expect(text).toMatch(/ada@example\.com\s+office\s+"San Francisco" \(5002\)\s+"New York" \(5001\)\s+\(empty\)\s+reported, left as it is \(drift\.office: report\)/);
  });

  it('prints no drift section when nothing differs', () => {
    expect(renderPlan(reportOf({ users: [], skipped: [], unmanaged: [], warnings: [], withheld: [] }))).not.toContain('Drift');
  });
});
