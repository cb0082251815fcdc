import { describe, expect, it } from 'vitest';
import type { UserPlan } from '../../src/plan/types.js';
import { userKeyOf } from '../../src/plan/user-key.js';

const ann: UserPlan = { oktaUserId: 'ann', dialpadUserId: '1', email: 'ann@example.com', actions: [{ kind: 'suspend', reason: 'unassigned' }] };
const bob: UserPlan = { oktaUserId: 'bob', dialpadUserId: null, email: 'bob@example.com', actions: [{ kind: 'reactivate', reason: 'x' }] };
const gone: UserPlan = { oktaUserId: null, dialpadUserId: '3', email: 'gone@example.com', actions: [{ kind: 'suspend', reason: 'deleted in Okta' }] };

describe('userKeyOf', () => {
  it('keys by Okta id, else by Dialpad id', () => {
    expect([ann, bob, gone].map(userKeyOf)).toEqual(['okta:ann', 'okta:bob', 'dialpad:3']);
  });

  it('keys a user with neither Okta nor Dialpad user by its email', () => {
    expect(userKeyOf({ oktaUserId: null, dialpadUserId: null, email: 'x@example.com' })).toBe('dialpad:x@example.com');
  });
});
