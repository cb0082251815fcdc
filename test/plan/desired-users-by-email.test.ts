import { describe, expect, it } from 'vitest';
import { DesiredUsersByEmail } from '../../src/plan/desired-users-by-email.js';
import { toDesiredUser } from '../../src/plan/rules/desired-user.js';
import { OfficeDirectory } from '../../src/plan/rules/office-rule.js';
import { assignment, OFFICES, rules as baseRules } from './fixtures.js';

describe('DesiredUsersByEmail', () => {
  it('visits each email once in email order; users sharing one together, in Okta id order', () => {
    const rules = baseRules();
    const offices = new OfficeDirectory(OFFICES, rules);
    const users = new DesiredUsersByEmail(offices, rules);
    const listed = [
      assignment('00u9', { profile: { login: 'zed@example.com', email: 'zed@example.com' } }),
      assignment('00u5', { profile: { login: 'Ann@Example.com', email: 'Ann@Example.com' } }),
      assignment('00u1', { profile: { login: 'ann@example.com', email: 'ann@example.com' } }),
      assignment('00u3', { profile: { login: 'bob@example.com', email: 'bob@example.com' } }),
    ];
    for (const a of listed) {
      const result = toDesiredUser(a, offices, rules);
      if (!('desired' in result)) throw new Error('expected a desired user');
      users.add(a, result.desired);
    }

    const visits: string[] = [];
    users.forEachEmail({
      alone: (p) => visits.push(users.oktaUserIdAt(p)),
      shared: (ps) => visits.push(ps.map((p) => users.oktaUserIdAt(p)).join('+')),
    });
    expect(visits).toEqual(['00u1+00u5', '00u3', '00u9']);
    expect(users.emailKeyAt(1)).toBe('ann@example.com');
    expect(users.desiredUserAt(0)).toMatchObject({ oktaUserId: '00u9', email: 'zed@example.com' });
  });
});
