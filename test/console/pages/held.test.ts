import { describe, expect, it } from 'vitest';
import { renderHeld } from '../../../src/console/pages/held.js';
import type { HeldAction } from '../../../src/store/held-actions.js';

const admin = { kind: 'session', name: 'ann@acme.com', role: 'admin', actor: 'okta:ann@acme.com' } as const;
const viewer = { ...admin, role: 'viewer' } as const;
const approved: HeldAction = {
  id: 7,
  userKey: '00u-bob',
  oktaUserId: '00u-bob',
  dialpadUserId: '501',
  email: 'bob@acme.com',
  kind: 'delete',
  gate: 'source-health',
  reason: 'the Okta listing shrank to 40 % of the last healthy one',
  runId: 'run-9',
  heldAt: '2026-11-30T03:00:00.000Z',
  decision: 'approved',
  decidedBy: 'okta:ann@acme.com',
  decidedAt: '2026-11-30T08:00:00.000Z',
  expiresAt: '2026-12-01T08:00:00.000Z',
};

describe('renderHeld', () => {
  it('says nothing is held, with no form, when nothing is', () => {
    const page = renderHeld({ held: [], approvalTtlHours: 24, nextFullRun: null }, {}, admin, 'tok').text;
    expect(page).toContain('Nothing is held: the guards let every planned change through.');
    expect(page).not.toContain('<form');
  });

  it('shows a decision with who took it and until when an approval lasts', () => {
    const page = renderHeld({ held: [approved], approvalTtlHours: 24, nextFullRun: null }, {}, viewer, '').text;
    expect(page).toContain('<span class="badge badge-approved">approved</span> by okta:ann@acme.com <time datetime="2026-11-30T08:00:00.000Z">2026-11-30 08:00:00Z</time>, until <time datetime="2026-12-01T08:00:00.000Z">');
    expect(page).not.toContain('type="checkbox"');
  });

  it('calls an action nobody has decided on pending, as the command line does', () => {
    const page = renderHeld({ held: [{ ...approved, decision: null, decidedBy: null, decidedAt: null, expiresAt: null }], approvalTtlHours: 24, nextFullRun: null }, {}, viewer, '').text;
    expect(page).toContain('<span class="badge badge-pending">pending</span>');
    expect(page).not.toContain('undecided');
  });

  it('confirms a dismissal from the query string', () => {
    expect(renderHeld({ held: [approved], approvalTtlHours: 24, nextFullRun: null }, { dismissed: 2 }, admin, 'tok').text).toContain('Dismissed 2 held actions: they stay held.');
  });
});
