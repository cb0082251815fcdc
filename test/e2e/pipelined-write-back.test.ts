// The initial sync with its write-backs in a queue of their own (apply-plan.ts): Okta answers slower than Dialpad
// and takes fewer requests at once, so most write-backs are sent after their users' Dialpad slots were given to
// others. However they interleave, the run ends with every new user's number in Okta: none lost.
import { describe, expect, it } from 'vitest';
import { useWorldPerTest } from './use-world.js';
import { hire } from './world.js';

const USERS = 40;

describe('pipelined write-back', () => {
  const start = useWorldPerTest({ okta: { latencyMs: 15 } });

  it(`an initial sync of ${USERS} users ends with every dialpadPhone written, and the next run has nothing to write`, async () => {
    const { world, offices } = await start();
    world.dialpad.addNumbers(offices.newYork, Array.from({ length: USERS }, (_, i) => `+1212555${String(2000 + i)}`));
    const ids = Array.from({ length: USERS }, (_, i) =>
      hire(world.okta, { login: `user${i}@acme.com`, firstName: 'User', lastName: `Number${i}`, ...(i % 3 === 0 ? { title: 'Engineer' } : {}) }, { officeName: 'New York' }),
    );
    const config = world.configFile('concurrency: 8\nokta:\n  concurrency: 2\n');

    const first = await world.reconcile('--apply', '--config', config);

    expect(first.code, first.stderr).toBe(0);
    expect(first.report.result?.failedUsers).toEqual([]);
    const writeBacks = first.report.result?.actions.filter((action) => action.kind === 'write_back') ?? [];
    expect(writeBacks.map((action) => action.outcome)).toEqual(Array.from({ length: USERS }, () => 'done'));
    const lost = ids.filter((id) => {
      const user = world.okta.getUser(id);
      const dialpad = world.dialpadUserByEmail(String(user?.profile.email));
      return dialpad === undefined || user?.profile.dialpadPhone !== dialpad.phoneNumbers[0];
    });
    expect(lost).toEqual([]);
    await world.withStore(async (store) => expect(await store.journal.unfinished()).toEqual([]));

    const second = await world.reconcile('--apply', '--config', config);
    expect(second.code, second.stderr).toBe(0);
    expect(second.report.plan.users).toEqual([]);
  });
});
