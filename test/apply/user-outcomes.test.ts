import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordOutcomes, type RecordedActionResult } from '../../src/apply/user-outcomes.js';
import { silentLogger } from '../../src/log/logger.js';
import { defaultRules } from '../../src/plan/rules/default-rules.js';
import type { FailureCause } from '../../src/plan/systemic-failure.js';
import { Store } from '../../src/store/store.js';

const attributeMissing: FailureCause = { code: 'okta.E0000001', service: 'okta', class: 'data', status: 400, detail: "Property name 'dialpadPhone' is not defined in profile schema" };
const badOffice: FailureCause = { code: 'dialpad.bad_request', service: 'dialpad', class: 'data', status: 400, detail: 'no talk_lines left' };

let store: Store;
let runs = 0;

beforeEach(async () => {
  store = await Store.open(':memory:');
});

afterEach(async () => {
  await store.close();
});

function writeBack(n: number, cause: FailureCause | null): RecordedActionResult[] {
  const base = { email: `u${n}@acme.com`, oktaUserId: `00u${n}`, dialpadUserId: `${n}`, kind: 'write_back' as const, detail: null };
  return [cause ? { ...base, outcome: 'failed', error: cause.code, cause } : { ...base, outcome: 'done', error: null }];
}

async function run(perUser: RecordedActionResult[][], targeted = false) {
  runs += 1;
  const runId = `run-${runs}`;
  await store.runs.start(runId, targeted ? 'reconcile' : 'full', true);
  return recordOutcomes({ store, rules: defaultRules(), runId, logger: silentLogger(), targeted }, perUser);
}

describe('recordOutcomes', () => {
  it('counts a user\'s own failure with its cause, never a shared one, and remembers the shared cause until it clears', async () => {
    const systemic = await run([...[1, 2, 3, 4].map((n) => writeBack(n, attributeMissing)), [{ ...writeBack(5, badOffice)[0]!, kind: 'move_office' }]]);
    expect(systemic.map((s) => [s.code, s.users])).toEqual([['okta.E0000001', 4]]);
    expect((await store.userErrors.all()).map((e) => [e.email, e.consecutiveFailures, e.cause])).toEqual([['u5@acme.com', 1, 'dialpad.bad_request']]);
    expect((await store.systemicFailures.active()).map((c) => c.code)).toEqual(['okta.E0000001']);

    // A targeted run of one user: the known cause is still systemic.
    expect((await run([writeBack(1, attributeMissing)], true)).map((s) => s.rule)).toEqual(['known']);
    expect((await store.userErrors.all()).map((e) => e.email)).toEqual(['u5@acme.com']);

    // Someone quarantined earlier with the cause's code is released once a write-back goes through.
    for (const id of ['a', 'b', 'c']) {
      await store.userErrors.record({ userKey: 'okta:00u9', oktaUserId: '00u9', email: 'u9@acme.com', runId: id, action: 'write_back', message: 'x', cause: 'okta.E0000001' });
    }
    expect(await run([writeBack(1, null)])).toEqual([]);
    expect(await store.systemicFailures.active()).toEqual([]);
    expect((await store.userErrors.all()).find((e) => e.email === 'u9@acme.com')).toMatchObject({ consecutiveFailures: 0, releasedAt: expect.any(String) });
  });

  it('forgets a known cause a full run sees fail for too few users, releasing nobody, and counts each user from then on', async () => {
    expect((await run([1, 2, 3].map((n) => writeBack(n, attributeMissing)))).map((s) => s.rule)).toEqual(['shared']);
    for (const id of ['a', 'b', 'c']) {
      await store.userErrors.record({ userKey: 'okta:00u9', oktaUserId: '00u9', email: 'u9@acme.com', runId: id, action: 'write_back', message: 'x', cause: 'okta.E0000001' });
    }
    // A full run: two users still refused, a third written back.
    expect(await run([writeBack(1, attributeMissing), writeBack(2, attributeMissing), writeBack(3, null)])).toEqual([]);
    expect(await store.systemicFailures.active()).toEqual([]);
    const errors = await store.userErrors.all();
    expect(errors.filter((e) => e.email !== 'u9@acme.com').map((e) => [e.email, e.consecutiveFailures]).sort()).toEqual([['u1@acme.com', 1], ['u2@acme.com', 1]]);
    expect(errors.find((e) => e.email === 'u9@acme.com')).toMatchObject({ consecutiveFailures: 3, releasedAt: null });
    // No longer known: a targeted run counts it too.
    expect(await run([writeBack(1, attributeMissing)], true)).toEqual([]);
    expect((await store.userErrors.all()).find((e) => e.email === 'u1@acme.com')?.consecutiveFailures).toBe(2);
  });
});
