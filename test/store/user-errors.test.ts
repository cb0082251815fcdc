import { beforeEach, describe, expect, it } from 'vitest';
import { STORE_BACKENDS, useStore } from './backends.js';

describe.each(STORE_BACKENDS)('on %s', (backend) => {
  const store = useStore(backend, '2026-11-29T00:00:00Z');

  beforeEach(async () => {
    for (const id of ['r1', 'r2', 'r3']) await store().runs.start(id, 'reconcile', true);
  });

  const failure = (runId: string, fingerprint: string | null = 'fp-a') => ({
    userKey: 'okta:00u1',
    oktaUserId: '00u1',
    email: 'Ann@Example.com',
    runId,
    action: 'move_office',
    message: 'Dialpad 400: no talk_lines',
    oktaFingerprint: fingerprint,
  });

  describe('UserErrorStore quarantine', () => {
    it('lists users at or above the threshold with the fingerprint of their last failure', async () => {
      await store().userErrors.record(failure('r1'));
      await store().userErrors.record(failure('r2'));
      expect(await store().userErrors.quarantined(3)).toEqual([]);
      await store().userErrors.record(failure('r3', 'fp-b'));
      expect(await store().userErrors.quarantined(3)).toEqual([
        expect.objectContaining({ userKey: 'okta:00u1', consecutiveFailures: 3, oktaFingerprint: 'fp-b', releasedAt: null, action: 'move_office' }),
      ]);
      expect(await store().userErrors.quarantined(0)).toEqual([]);
    });

    it('release matches the email case-insensitively and starts the count again', async () => {
      for (const id of ['r1', 'r2', 'r3']) await store().userErrors.record(failure(id));
      const released = await store().userErrors.release('ann@example.COM');
      expect(released).toEqual([expect.objectContaining({ userKey: 'okta:00u1', consecutiveFailures: 0, releasedAt: expect.any(String) })]);
      expect(await store().userErrors.quarantined(1)).toEqual([]);
      expect(await store().userErrors.release('bob@example.com')).toEqual([]);

      const before = (await store().userErrors.all())[0]?.firstFailedAt;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store().runs.start('r4', 'reconcile', true);
      await store().userErrors.record(failure('r4'));
      const after = (await store().userErrors.all())[0];
      expect(after).toMatchObject({ consecutiveFailures: 1, releasedAt: released[0]?.releasedAt });
      // A new streak after the release: "since" is its first failure, not the one before the release.
      expect(after?.firstFailedAt).not.toBe(before);
      expect(after?.firstFailedAt).toBe(after?.lastFailedAt);
    });
  });

  describe('RunStore.lastSuccessful', () => {
    it('is the latest finished run that recorded a full listing, of the kind when given', async () => {
      expect(await store().runs.lastSuccessful()).toBeNull();
      await store().runs.finish('r1', 'succeeded', { assignments: 100, listedAssignments: 100 });
      await store().runs.finish('r2', 'partial', { assignments: 90, listedAssignments: 90 });
      // A targeted run, or one the health gate held: no listing recorded.
      await store().runs.finish('r3', 'succeeded', { assignments: 1 });
      expect(await store().runs.lastSuccessful()).toMatchObject({ id: 'r2', listedAssignments: 90 });

      await store().runs.start('r4', 'full', true);
      await store().runs.finish('r4', 'failed', { listedAssignments: 10 }, 'boom');
      expect((await store().runs.lastSuccessful())?.id).toBe('r2');
      expect(await store().runs.lastSuccessful('full')).toBeNull();
      expect((await store().runs.lastSuccessful('reconcile'))?.id).toBe('r2');
    });
  });

  describe('UserErrorStore recordedKeys', () => {
    it('holds exactly the users with a recorded failure, and forgets a cleared one', async () => {
      expect(await store().userErrors.recordedKeys()).toEqual(new Set());
      await store().userErrors.record(failure('r1'));
      await store().userErrors.record({ ...failure('r1'), userKey: 'dialpad:7001', oktaUserId: null });
      expect(await store().userErrors.recordedKeys()).toEqual(new Set(['okta:00u1', 'dialpad:7001']));
      await store().userErrors.clear(['okta:00u1']);
      await store().userErrors.clear([]);
      expect(await store().userErrors.recordedKeys()).toEqual(new Set(['dialpad:7001']));
    });

    it('keeps the key of a user known only by a long email, and a long systemic cause (PostgreSQL enforces column lengths)', async () => {
      const email = `${'a'.repeat(64)}@${'sub.'.repeat(60)}example.com`;
      await store().userErrors.record({ ...failure('r1'), userKey: `dialpad:${email}`, oktaUserId: null, email });
      expect(await store().userErrors.recordedKeys()).toEqual(new Set([`dialpad:${email}`]));
      const detail = 'Dialpad explains at length. '.repeat(60);
      const key = `dialpad.bad_request|update|${detail}`;
      await store().systemicFailures.seen('r1', [{ key, code: 'dialpad.bad_request', class: 'data', service: 'dialpad', kind: 'update', status: 400, detail, users: 4, rule: 'shared', summary: 's', hint: 'h' }]);
      expect((await store().systemicFailures.active()).map((cause) => cause.key)).toEqual([key]);
    });
  });

  describe('UserErrorStore release --all and --cause', () => {
    const user = (n: number, cause: string | null) => ({ ...failure('r1'), userKey: `okta:00u${n}`, oktaUserId: `00u${n}`, email: `u${n}@example.com`, cause });

    it('keeps each failure\'s cause code; --cause releases the users whose last failure had it, --all every counted one', async () => {
      await store().userErrors.record(user(1, 'dialpad.bad_request'));
      await store().userErrors.record(user(2, 'dialpad.bad_request'));
      await store().userErrors.record(user(3, 'okta.E0000001'));
      await store().userErrors.record(user(4, null));
      expect((await store().userErrors.all()).map((e) => e.cause ?? 'none').sort()).toEqual(['dialpad.bad_request', 'dialpad.bad_request', 'none', 'okta.E0000001']);

      expect((await store().userErrors.releaseCause('dialpad.bad_request')).map((e) => e.email)).toEqual(['u1@example.com', 'u2@example.com']);
      // Already at 0: nothing more to release for that cause.
      expect(await store().userErrors.releaseCause('dialpad.bad_request')).toEqual([]);
      expect((await store().userErrors.releaseAll()).map((e) => [e.email, e.consecutiveFailures])).toEqual([
        ['u3@example.com', 0],
        ['u4@example.com', 0],
      ]);
      expect(await store().userErrors.quarantined(1)).toEqual([]);
    });
  });

  describe('SystemicFailureStore', () => {
    const seen = (key: string, summary: string) => ({
      key,
      code: 'okta.E0000001',
      class: 'data' as const,
      service: 'okta' as const,
      kind: 'write_back' as const,
      status: 400,
      detail: 'x',
      users: 11,
      rule: 'shared' as const,
      summary,
      hint: 'add the attribute',
    });

    it('remembers a cause with its first and last sighting until it is cleared', async () => {
      await store().systemicFailures.seen('r1', [seen('k1', 'first')]);
      await store().systemicFailures.seen('r2', [seen('k1', 'second')]);
      expect(await store().systemicFailures.active()).toEqual([
        expect.objectContaining({ key: 'k1', code: 'okta.E0000001', kind: 'write_back', summary: 'second', lastRunId: 'r2', firstSeenAt: '2026-11-29T00:00:04.000Z', lastSeenAt: '2026-11-29T00:00:05.000Z' }),
      ]);
      await store().systemicFailures.clear(['k1']);
      expect(await store().systemicFailures.active()).toEqual([]);
    });
  });
});
