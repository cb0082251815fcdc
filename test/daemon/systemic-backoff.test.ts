// The daemon while a systemic failure lasts: the backoff's ladder, /readyz unready with `systemic_failure`,
// targeted runs paused, and recovery by itself on the first healthy run.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemicBackoff } from '../../src/daemon/systemic-backoff.js';
import { RUN_LOCK } from '../../src/store/leases.js';
import { dialpadUsersWithEmail, eventually, hire, startDaemon, useSandboxes, type RunningDaemon } from './harness.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

describe('SystemicBackoff', () => {
  it('spaces the extra full runs 5 min, 15 min, then 1 h (the cap), and ends on the first healthy run', () => {
    const backoff = new SystemicBackoff();
    expect(backoff.active).toBe(false);
    expect(backoff.recordRun(['okta.E0000001'], at(0))).toBe(5 * 60_000);
    expect(backoff.active).toBe(true);
    expect(backoff.nextAttemptAt).toEqual(at(5));
    expect(backoff.recordRun(['okta.E0000001'], at(5))).toBe(15 * 60_000);
    expect(backoff.recordRun(['okta.E0000001'], at(20))).toBe(60 * 60_000);
    expect(backoff.recordRun(['okta.E0000001', 'dialpad.unavailable'], at(80))).toBe(60 * 60_000);
    expect(backoff.lastCauses).toEqual(['okta.E0000001', 'dialpad.unavailable']);
    expect(backoff.recordRun([], at(140))).toBeNull();
    expect(backoff.active).toBe(false);
    expect(backoff.nextAttemptAt).toBeNull();
    // A new failure starts the ladder again.
    expect(backoff.recordRun(['dialpad.unauthorized'], at(200))).toBe(5 * 60_000);
  });
});

describe('the daemon during a systemic failure', () => {
  const given = useSandboxes({ okta: { customUserAttributes: [] } });
  let daemon: RunningDaemon | undefined;

  afterEach(async () => {
    await daemon?.stop();
  });

  it('turns unready, pauses targeted runs, and recovers by itself on the first healthy full run', async () => {
    const sandboxes = given();
    const logins = ['ann@acme.com', 'bob@acme.com', 'cy@acme.com'];
    for (const login of logins) hire(sandboxes.okta, login, 'Pat', login.split('@')[0] ?? 'x');
    daemon = await startDaemon(sandboxes, { runOnStart: false });

    const startedAt = Date.now();
    await daemon.daemon.requestFull();
    expect(daemon.daemon.backoff.active).toBe(true);
    expect(daemon.daemon.backoff.lastCauses).toEqual(['okta.E0000001']);
    const retryInMs = (daemon.daemon.backoff.nextAttemptAt?.getTime() ?? 0) - startedAt;
    expect(retryInMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(retryInMs).toBeLessThan(6 * 60_000);
    const readyz = await fetch(`${daemon.baseUrl}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ reasons: expect.arrayContaining(['systemic_failure']) });
    expect(await daemon.store.userErrors.all()).toEqual([]);

    // A hook run now would fail the same way: it waits for the next full run.
    const dee = hire(sandboxes.okta, 'dee@acme.com', 'Dee', 'Four');
    await daemon.daemon.requestUsers('hook', [dee]);
    expect(dialpadUsersWithEmail(sandboxes.dialpad, 'dee@acme.com')).toEqual([]);

    sandboxes.okta.defineUserAttribute('dialpadPhone');
    await daemon.daemon.requestFull();
    expect(daemon.daemon.backoff.active).toBe(false);
    expect((await fetch(`${daemon.baseUrl}/readyz`)).status).toBe(200);
    for (const login of [...logins, 'dee@acme.com']) {
      const [user] = dialpadUsersWithEmail(sandboxes.dialpad, login);
      const oktaUser = sandboxes.okta.listUsers().find((u) => u.profile.login === login);
      expect(oktaUser?.profile.dialpadPhone, login).toBe(user?.phoneNumbers[0]);
    }
    expect(await daemon.store.systemicFailures.active()).toEqual([]);
  }, 30_000);

  it('forgets the systemic failure when it stops leading: a follower runs nothing, so it would stay unready for good', async () => {
    const sandboxes = given();
    for (const login of ['ann@acme.com', 'bob@acme.com', 'cy@acme.com']) hire(sandboxes.okta, login, 'Pat', login.split('@')[0] ?? 'x');
    daemon = await startDaemon(sandboxes, { runOnStart: false, rest: { lock: { ttlSeconds: 3, renewIntervalSeconds: 1 } } });
    await daemon.daemon.requestFull();
    expect(daemon.daemon.backoff.active).toBe(true);
    expect((await fetch(`${daemon.baseUrl}/readyz`)).status).toBe(503);

    // Another replica takes the lead (as after this one was paused past the TTL).
    const lease = await daemon.store.leases.current(RUN_LOCK);
    if (lease === null) throw new Error('the daemon holds no lease');
    await daemon.store.leases.release({ name: RUN_LOCK, holderId: lease.holder.id, token: lease.token });
    await daemon.store.leases.tryAcquire(RUN_LOCK, { id: 'other-replica', host: 'node-b', pid: 2, kind: 'daemon' }, 60_000);

    await eventually(() => !daemon?.daemon.leading, 5_000, 'the daemon to step down');
    expect(daemon.daemon.backoff.active).toBe(false);
    const readyz = await fetch(`${daemon.baseUrl}/readyz`);
    expect(readyz.status).toBe(200);
  }, 30_000);
});
