import { describe, expect, it } from 'vitest';
import { renderQuarantine } from '../../../src/console/pages/quarantine.js';

const admin = { kind: 'session', name: 'ann@acme.com', role: 'admin', actor: 'okta:ann@acme.com' } as const;

describe('renderQuarantine', () => {
  it('says when nobody is failing, and when quarantine is off', () => {
    const page = renderQuarantine({ quarantineAfter: 0, users: [], causes: [] }, {}, admin, 'tok').text;
    expect(page).toContain('No user is failing or quarantined.');
    expect(page).toContain('Quarantine is off (safety.quarantineAfter is 0)');
    expect(page).not.toContain('<form');
  });
});
