// One mailbox in two spellings is one person: an existing Dialpad user whose email differs from Okta's only in the
// form of its internationalized domain, its Unicode composition, its case or a trailing root dot is adopted,
// never doubled by a second paid user; and every path that looks a user up by email agrees.
import { describe, expect, it } from 'vitest';
import { startDaemon } from '../daemon/harness.js';
import { hire } from './world.js';
import { useWorld } from './use-world.js';

const given = useWorld();

/** A Dialpad user that was there before dialsync, with its own number. */
function existingDialpadUser(email: string): string {
  const { world, offices } = given();
  return world.dialpad.addUser({ email, firstName: 'Lena', lastName: 'Buch', officeId: offices.newYork, license: 'talk', phoneNumbers: ['+12125550150'] });
}

describe('email spellings', () => {
  it('Dialpad holds lena@xn--bcher-kva.example, Okta assigns lena@bücher.example: adopted, no second paid user', async () => {
    const { world } = given();
    const existing = existingDialpadUser('lena@xn--bcher-kva.example');
    const lena = hire(world.okta, { login: 'lena@bücher.example', firstName: 'Lena', lastName: 'Buch' });

    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(world.dialpad.users().map((u) => u.id)).toEqual([existing]);
    expect(report.plan.users.flatMap((u) => u.actions.map((a) => a.kind))).toEqual(['adopt', 'write_back']);
    expect(report.plan.unmanaged).toEqual([]);
    // Its email is left as Dialpad spells it: the same mailbox is no change.
    expect(world.dialpad.user(existing)?.emails).toEqual(['lena@xn--bcher-kva.example']);
    expect(world.okta.getUser(lena)?.profile.dialpadPhone).toBe('+12125550150');

    const again = await world.reconcile('--apply');
    expect(again.code).toBe(0);
    expect(again.report.plan.users).toEqual([]);
  });

  it.each([
    ['an upper-case Unicode domain in Okta', 'lena@xn--bcher-kva.example', 'Lena@BÜCHER.EXAMPLE'],
    ['the Unicode domain in Dialpad, its ASCII form in Okta', 'lena@bücher.example', 'lena@xn--bcher-kva.example'],
    ['a decomposed (NFD) local part in Okta, composed (NFC) in Dialpad', 'ren\u00e9@example.com', 'rene\u0301@example.com'],
    ['a trailing root dot in Okta\'s domain', 'lena@example.com', 'lena@example.com.'],
  ])('%s: adopted, one Dialpad user', async (_name, dialpadEmail, oktaEmail) => {
    const { world } = given();
    const existing = existingDialpadUser(dialpadEmail);
    hire(world.okta, { login: oktaEmail, firstName: 'Lena', lastName: 'Buch' });
    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(world.dialpad.users().map((u) => u.id)).toEqual([existing]);
    expect(report.plan.users[0]?.actions[0]).toMatchObject({ kind: 'adopt', dialpadUserId: existing });
    expect(report.plan.unmanaged).toEqual([]);
  });

  it('a domain that fails IDNA conversion: skipped as invalid_email with the reason, nothing created', async () => {
    const { world } = given();
    hire(world.okta, { login: 'lena@xn--zz.example', firstName: 'Lena', lastName: 'Buch' });
    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(world.dialpad.users()).toEqual([]);
    expect(report.plan.skipped).toEqual([
      expect.objectContaining({
        code: 'invalid_email',
        reason: expect.stringContaining('the domain "xn--zz.example" of lena@xn--zz.example is not a valid internationalized domain name (IDNA)'),
      }),
    ]);
  });

  it('--user in the other spelling finds the Okta user, and adopts', async () => {
    const { world } = given();
    const existing = existingDialpadUser('lena@xn--bcher-kva.example');
    const lena = hire(world.okta, { login: 'lena@bücher.example', firstName: 'Lena', lastName: 'Buch' });
    const { code, report } = await world.reconcile('--apply', '--user', 'lena@xn--bcher-kva.example');
    expect(code).toBe(0);
    expect(report.plan.users.map((u) => [u.oktaUserId, u.dialpadUserId, u.actions[0]?.kind])).toEqual([[lena, existing, 'adopt']]);
    expect(world.dialpad.users()).toHaveLength(1);
  });

  it('a targeted run (System Log) reads Dialpad by email in both spellings and adopts', async () => {
    const { world } = given();
    hire(world.okta, { login: 'someone@example.com', firstName: 'Some', lastName: 'One' });
    expect((await world.reconcile('--apply')).code).toBe(0);
    const existing = existingDialpadUser('lena@xn--bcher-kva.example');
    const daemon = await startDaemon(world.asSandboxes(), { runOnStart: false, daemon: { pollIntervalSeconds: 600 } });
    try {
      await daemon.daemon.pollOnce();
      world.clearRequests();
      const lena = hire(world.okta, { login: 'lena@bücher.example', firstName: 'Lena', lastName: 'Buch' });
      await daemon.daemon.pollOnce();
      expect((await daemon.store.runs.recent(1))[0]).toMatchObject({ kind: 'incremental', outcome: 'succeeded' });
      // Both spellings were asked; no listing of the whole company.
      const byEmail = world.dialpad.requests.filter((r) => r.method === 'GET' && r.path === '/api/v2/users').map((r) => new URLSearchParams(r.query).get('email'));
      expect(byEmail).toEqual(['lena@bücher.example', 'lena@xn--bcher-kva.example']);
      expect(await daemon.store.links.byOktaUserId(lena)).toEqual({ oktaUserId: lena, dialpadUserId: existing, origin: 'adopted' });
      expect(world.dialpad.users().filter((u) => u.emails[0]?.startsWith('lena@'))).toHaveLength(1);
    } finally {
      await daemon.stop();
    }
  });

  it('after a crash, a journaled create is found in Dialpad under the other spelling and linked, not created again', async () => {
    const { world } = given();
    const lena = hire(world.okta, { login: 'lena@bücher.example', firstName: 'Lena', lastName: 'Buch' });
    await world.withStore(async (store) => {
      await store.runs.start('crashed-run', 'reconcile', true);
      await store.journal.begin({
        runId: 'crashed-run', oktaUserId: lena, dialpadUserId: null, email: 'lena@bücher.example', action: 'create', target: 'dialpad',
        request: { method: 'POST', path: '/api/v2/users', body: { email: 'lena@bücher.example' } },
      });
    });
    const reached = existingDialpadUser('lena@xn--bcher-kva.example');

    const { code } = await world.reconcile('--apply');
    expect(code).toBe(0);
    expect(world.dialpad.users().map((u) => u.id)).toEqual([reached]);
    expect(await world.withStore((store) => store.links.byOktaUserId(lena))).toEqual({ oktaUserId: lena, dialpadUserId: reached, origin: 'created' });
  });
});
