// Why `dialsync apply` refuses a user whose sides are as planned when a per-user safety pass decides otherwise now
// than when the plan file was made: the pass and what it decides now, in words; null when no pass explains the
// difference (the file was edited).
import { describe, expect, it } from 'vitest';
import { defaultSafety, type Safety } from '../../src/plan/safety/safety.js';
import type { Action, UserPlan } from '../../src/plan/types.js';
import { heldDifferently, type UserHoldsNow } from '../../src/plan-file/held-differently.js';
import { dialpadUser } from '../plan/fixtures.js';

const title: Action = { kind: 'update', changes: [{ field: 'job_title', from: 'Designer', to: 'Engineer' }], reason: 'differs from Okta: job_title' };
const titleAndLicense: Action = {
  kind: 'update',
  changes: [
    { field: 'job_title', from: 'Designer', to: 'Engineer' },
    { field: 'license', from: 'talk', to: 'agents' },
  ],
  reason: 'differs from Okta: job_title, license',
};
const ann = (actions: Action[]): UserPlan => ({ oktaUserId: '00u1', dialpadUserId: '7', email: 'ann@acme.com', actions });
const annInDialpad = dialpadUser('7', 'ann@acme.com', { license: 'talk' });
const CAP_REASON = 'license change from talk to agents held back by licenseCaps.agents: 2 agents users already active or planned, the cap is 2 (raise licenseCaps.agents to let it through)';
const SEAT_REASON = 'license change from talk to agents held back: would buy a seat (office "New York" has no sell_lines left for agents; add lines in Dialpad, or set safety.allowBuyingSeats: true)';
const capped: Safety = { ...defaultSafety(), licenseCaps: { agents: 2 } };
const cappedNoSeatCheck: Safety = { ...capped, checkAvailableLicenses: false };

describe('heldDifferently(file, now, safety)', () => {
  it.each<[string, Action[], UserHoldsNow, Safety, string | null]>([
    [
      'the file changes the license, the caps hold it now (the seats ran out since)',
      [titleAndLicense],
      { planned: ann([titleAndLicense]), capped: CAP_REASON, dialpadUser: annInDialpad },
      capped,
      `the license caps hold back now what they let through when the plan was made: ${CAP_REASON}; make the plan again`,
    ],
    [
      'the file changes the license, the seat check holds it now',
      [titleAndLicense],
      { planned: ann([titleAndLicense]), seatChecked: SEAT_REASON, dialpadUser: annInDialpad },
      capped,
      `the seat check holds back now what it let through when the plan was made: ${SEAT_REASON}; make the plan again`,
    ],
    [
      'the file leaves the license change out (held then), nothing holds it now; only the caps judge it',
      [{ ...title, reason: 'differs from Okta: job_title' }],
      { planned: ann([titleAndLicense]), dialpadUser: annInDialpad },
      cappedNoSeatCheck,
      'its license change from talk to agents was held back when the plan was made; the license caps (licenseCaps.agents) let it through now (a plan made now changes the license, the file does not); make the plan again',
    ],
    [
      'the same with the seat check on too: both are said',
      [title],
      { planned: ann([titleAndLicense]), dialpadUser: annInDialpad },
      capped,
      'its license change from talk to agents was held back when the plan was made; the license caps (licenseCaps.agents) and the seat check let it through now (a plan made now changes the license, the file does not); make the plan again',
    ],
    ['the file leaves the license change out, but no pass judges it (no cap, no seat check): edited', [title], { planned: ann([titleAndLicense]), dialpadUser: annInDialpad }, { ...cappedNoSeatCheck, licenseCaps: {} }, null],
    ["the file's title edited, the caps hold the license now: edited", [{ ...titleAndLicense, changes: [{ field: 'job_title', from: 'Designer', to: 'Evil Overlord' }, { field: 'license', from: 'talk', to: 'agents' }] }], { planned: ann([titleAndLicense]), capped: CAP_REASON, dialpadUser: annInDialpad }, capped, null],
    ["the file's title edited, the license change left out: edited", [{ ...title, changes: [{ field: 'job_title', from: 'Designer', to: 'Evil Overlord' }] }], { planned: ann([titleAndLicense]), dialpadUser: annInDialpad }, capped, null],
    ['quarantine holds it now', [title], { planned: ann([title]), quarantined: 'quarantined after failing in 3 runs in a row (last: update: 500)' }, capped, 'quarantine holds it now, not when the plan was made: quarantined after failing in 3 runs in a row (last: update: 500)'],
    ['nothing planned now and no pass holds it', [title], { planned: undefined }, capped, null],
  ])('%s', (_situation, file, now, safety, said) => {
    expect(heldDifferently(file, now, safety)).toBe(said);
  });
});
