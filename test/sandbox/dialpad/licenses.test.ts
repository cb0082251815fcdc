import { describe, expect, it } from 'vitest';
import { SANDBOX_DIALPAD_LICENSES } from '../../../sandbox/dialpad/licenses.js';
import { SANDBOX_OKTA_USER_STATUSES } from '../../../sandbox/okta/user-status.js';
import { DIALPAD_LICENSES } from '../../../src/dialpad/types.js';
import { OKTA_USER_STATUSES } from '../../../src/okta/types.js';

// The sandbox writes its enumerations from the API specs on its own: a product list that drifts from the spec
// (a license missing, a typo) shows up here instead of being echoed by the simulation.
describe('the sandbox and the product agree on the APIs enumerations', () => {
  it('every Dialpad license of the spec (UserProto.license), no more, no fewer', () => {
    expect([...DIALPAD_LICENSES].sort()).toEqual([...SANDBOX_DIALPAD_LICENSES].sort());
  });

  it('every Okta user status of the spec (UserStatus), no more, no fewer', () => {
    expect([...OKTA_USER_STATUSES].sort()).toEqual([...SANDBOX_OKTA_USER_STATUSES].sort());
  });
});
