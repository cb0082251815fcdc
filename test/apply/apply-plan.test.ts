import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyContext } from '../../src/apply/apply-plan.js';
import type { DialpadGateway } from '../../src/dialpad/types.js';
import { silentLogger } from '../../src/log/logger.js';
import type { OktaGateway } from '../../src/okta/types.js';
import type { Plan, UserPlan } from '../../src/plan/types.js';
import { Store } from '../../src/store/store.js';
import { rules } from '../plan/fixtures.js';

/** Gateways that fail any call: adopting touches no API. */
const noApi = new Proxy({}, { get: () => () => Promise.reject(new Error('no API call expected')) });

function planOf(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

function adoptOnly(i: number): UserPlan {
  const dialpadUserId = String(6400000000000000000n + BigInt(i));
  return { oktaUserId: `00uA${i}`, dialpadUserId, email: `a${i}@example.com`, actions: [{ kind: 'adopt', dialpadUserId, reason: 'same primary email' }] };
}

describe('applyPlan', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  async function context(): Promise<ApplyContext & { store: Store }> {
    const store = await Store.open(':memory:');
    opened.push(store);
    return {
      dialpad: noApi as DialpadGateway,
      okta: noApi as OktaGateway,
      store,
      rules: rules(),
      runId: 'run-1',
      concurrency: 4,
      logger: silentLogger(),
    };
  }

  it('links adopt-only users together, without an API call, and reports each one done', async () => {
    const ctx = await context();
    const progress: number[] = [];
    const users = Array.from({ length: 1_250 }, (_, i) => adoptOnly(i));
    const result = await applyPlan(planOf(users), { ...ctx, onProgress: (done) => progress.push(done) });

    expect(result.failedUsers).toEqual([]);
    expect(result.actions).toHaveLength(1_250);
    expect(result.actions.every((action) => action.kind === 'adopt' && action.outcome === 'done')).toBe(true);
    expect(result.actions[7]).toMatchObject({ email: 'a7@example.com', dialpadUserId: '6400000000000000007', detail: 'linked to Dialpad user 6400000000000000007' });
    const links = await ctx.store.links.all();
    expect(links).toHaveLength(1_250);
    expect(links.every((link) => link.origin === 'adopted')).toBe(true);
    expect(progress.at(-1)).toBe(1_250);
  });

  it('reports every adopt-only user failed when their links cannot be saved, and saves none', async () => {
    const ctx = await context();
    // Two Okta users claiming one Dialpad user: the store refuses the batch.
    const clash = { ...adoptOnly(2), oktaUserId: '00uOther', email: 'other@example.com', actions: adoptOnly(1).actions, dialpadUserId: adoptOnly(1).dialpadUserId };
    const result = await applyPlan(planOf([adoptOnly(1), clash]), ctx);

    expect(result.actions.map((action) => action.outcome)).toEqual(['failed', 'failed']);
    expect(result.failedUsers.map((user) => user.email)).toEqual(['a1@example.com', 'other@example.com']);
    expect(await ctx.store.links.all()).toEqual([]);
    // The failures are recorded per user, for quarantine.
    expect((await ctx.store.userErrors.recordedKeys()).size).toBe(2);
  });

  it('adopts nobody once shutdown has begun', async () => {
    const ctx = await context();
    const controller = new AbortController();
    controller.abort();
    const result = await applyPlan(planOf([adoptOnly(1)]), { ...ctx, signal: controller.signal });
    expect(result.actions).toMatchObject([{ kind: 'adopt', outcome: 'not_run', detail: 'shutting down' }]);
    expect(await ctx.store.links.all()).toEqual([]);
  });
});
