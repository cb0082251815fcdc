// A re-hire's relink as apply carries it out: the link moves (journaled, target store) before the Dialpad writes
// that follow, which then act on the same Dialpad user.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { ApplyContext } from '../../src/apply/apply-context.js';
import type { DialpadGateway, DialpadUser } from '../../src/dialpad/types.js';
import { silentLogger } from '../../src/log/logger.js';
import type { OktaGateway } from '../../src/okta/types.js';
import type { Plan, UserPlan } from '../../src/plan/types.js';
import { Store } from '../../src/store/store.js';
import { dialpadUser, rules } from '../plan/fixtures.js';

const D = '6400000000000000042';

function rehire(): UserPlan {
  return {
    oktaUserId: '00uB',
    dialpadUserId: D,
    email: 'tom@example.com',
    actions: [
      { kind: 'relink', dialpadUserId: D, previousOktaUserId: '00uA', cause: 'deactivated', origin: 'adopted', reason: 're-hire' },
      { kind: 'reactivate', reason: 'suspended in Dialpad' },
    ],
  };
}

function planOf(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

describe('applyPlan: relink', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  async function context(patched: { id: string; state: unknown }[]): Promise<ApplyContext & { store: Store }> {
    const store = await Store.open(':memory:');
    opened.push(store);
    await store.runs.start('run-1', 'reconcile', true);
    const dialpad = {
      updateUser: (id: string, input: { state?: DialpadUser['state'] }): Promise<DialpadUser> => {
        patched.push({ id, state: input.state });
        return Promise.resolve(dialpadUser(id, 'tom@example.com', { state: input.state ?? 'active' }));
      },
    } as unknown as DialpadGateway;
    return { dialpad, okta: {} as OktaGateway, store, rules: rules(), runId: 'run-1', concurrency: 2, logger: silentLogger() };
  }

  it('moves the link, keeping its origin, then reactivates that Dialpad user; both journaled in order', async () => {
    const patched: { id: string; state: unknown }[] = [];
    const ctx = await context(patched);
    await ctx.store.links.save({ oktaUserId: '00uA', dialpadUserId: D, origin: 'adopted' }, 'tom@example.com');

    const result = await applyPlan(planOf([rehire()]), ctx);
    expect(result.actions.map((a) => [a.kind, a.outcome, a.dialpadUserId])).toEqual([
      ['relink', 'done', D],
      ['reactivate', 'done', D],
    ]);
    expect(result.actions[0]?.detail).toBe(`linked to Dialpad user ${D} (was Okta user 00uA's, deactivated)`);
    expect(patched).toEqual([{ id: D, state: 'active' }]);
    expect(await ctx.store.links.all()).toEqual([{ oktaUserId: '00uB', dialpadUserId: D, origin: 'adopted' }]);
    const journal = await ctx.store.journal.forRun('run-1');
    expect(journal.map((e) => [e.action, e.target, e.status])).toEqual([
      ['relink', 'store', 'done'],
      ['reactivate', 'dialpad', 'done'],
    ]);
  });

  it('a Dialpad user linked to a third Okta user by now: the relink fails, nothing is written to Dialpad', async () => {
    const patched: { id: string; state: unknown }[] = [];
    const ctx = await context(patched);
    await ctx.store.links.save({ oktaUserId: '00uC', dialpadUserId: D, origin: 'created' }, 'tom@example.com');

    const result = await applyPlan(planOf([rehire()]), ctx);
    expect(result.actions.map((a) => [a.kind, a.outcome])).toEqual([
      ['relink', 'failed'],
      ['reactivate', 'not_run'],
    ]);
    expect(result.actions[0]?.error).toContain('linked to Okta user 00uC by now');
    expect(patched).toEqual([]);
    expect(await ctx.store.links.all()).toEqual([{ oktaUserId: '00uC', dialpadUserId: D, origin: 'created' }]);
    expect((await ctx.store.journal.forRun('run-1')).map((e) => e.status)).toEqual(['failed']);
  });
});
