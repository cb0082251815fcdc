// A create Dialpad refuses with 409 (the email exists) is resolved by looking the user up by email: in any
// spelling of the same mailbox, the holder is adopted instead of failing or creating a second user.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyContext } from '../../src/apply/apply-context.js';
import { DialpadError } from '../../src/dialpad/errors.js';
import type { DialpadGateway, DialpadUser } from '../../src/dialpad/types.js';
import { silentLogger } from '../../src/log/logger.js';
import type { OktaGateway } from '../../src/okta/types.js';
import type { UserPlan } from '../../src/plan/types.js';
import { Store } from '../../src/store/store.js';
import { dialpadUser, NY, rules } from '../plan/fixtures.js';

describe('applyPlan: a create refused with 409', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('adopts the user holding the email in its IDNA ASCII spelling', async () => {
    const store = await Store.open(':memory:');
    opened.push(store);
    await store.runs.start('run-1', 'reconcile', true);
    const asked: string[] = [];
    const holder = dialpadUser('6400000000000000007', 'Lena@xn--bcher-kva.example');
    const dialpad = {
      createUser: (): Promise<DialpadUser> => Promise.reject(new DialpadError({ code: 'conflict', status: 409, method: 'POST', path: '/api/v2/users' })),
      findUsersByEmail: (email: string): Promise<DialpadUser[]> => {
        asked.push(email);
        return Promise.resolve([holder]);
      },
    } as unknown as DialpadGateway;
    const ctx: ApplyContext = { dialpad, okta: {} as OktaGateway, store, rules: rules(), runId: 'run-1', concurrency: 1, logger: silentLogger() };
    const user: UserPlan = {
      oktaUserId: '00uL',
      dialpadUserId: null,
      email: 'lena@bücher.example',
      actions: [{ kind: 'create', email: 'lena@bücher.example', firstName: 'Lena', lastName: 'Buch', officeId: NY.id, license: 'talk', autoAssign: true, jobTitle: null, reason: 'new' }],
    };

    const result = await applyPlan({ users: [user], skipped: [], unmanaged: [], warnings: [], withheld: [] }, ctx);
    expect(result.actions).toMatchObject([{ kind: 'create', outcome: 'done', detail: `email already in Dialpad: adopted user ${holder.id}` }]);
    expect(asked).toEqual(['lena@bücher.example']);
    expect(await store.links.all()).toEqual([{ oktaUserId: '00uL', dialpadUserId: holder.id, origin: 'adopted' }]);
  });
});
