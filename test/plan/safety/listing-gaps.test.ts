import { describe, expect, it } from 'vitest';
import { listingGapWarnings } from '../../../src/plan/safety/listing-gaps.js';

describe('listingGapWarnings', () => {
  it('warns once per user left out although still there, and once per side for those not read', () => {
    const warnings = listingGapWarnings({
      oktaStillAssigned: [{ id: '00u7', email: 'u7@acme.com' }],
      oktaUnconfirmed: 0,
      dialpadStillThere: [{ id: '42', email: 'n5@acme.com' }, { id: '43', email: null }],
      dialpadUnconfirmed: 250,
      dialpadLinked: { expected: 300, listed: 48 },
    });
    expect(warnings).toEqual([
      {
        oktaUserId: '00u7',
        email: 'u7@acme.com',
        message: "Okta's app-user listing left out Okta user 00u7, but reading the assignment by id found it still assigned: planned from that read, not suspended",
      },
      { oktaUserId: null, email: 'n5@acme.com', message: "Dialpad's user listing left out Dialpad user 42, but reading it by id found it: planned from that read, not created again" },
      { oktaUserId: null, email: null, message: "Dialpad's user listing left out Dialpad user 43, but reading it by id found it: planned from that read, not created again" },
      {
        oktaUserId: null,
        email: null,
        message: "Dialpad's user listing left out 250 linked users, too many to read one by one in this run: none of them is created again on that listing's word",
      },
    ]);
  });

  it('has nothing to say about consistent listings or a run without listings', () => {
    expect(listingGapWarnings(undefined)).toEqual([]);
    expect(listingGapWarnings({ oktaStillAssigned: [], oktaUnconfirmed: 0, dialpadStillThere: [], dialpadUnconfirmed: 0, dialpadLinked: { expected: 3, listed: 3 } })).toEqual([]);
  });
});
