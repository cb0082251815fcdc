// `dialsync approve` and `dialsync dismiss` (and `dialsync release`, audited the same way): exit codes, output, the
// rows changed and the audit events, from the database alone.
import { describe, expect, it } from 'vitest';
import type { HeldAction } from '../../src/store/held-actions.js';
import { databaseHolding, heldInput, parsed } from './held-database.js';

describe('dialsync approve and dismiss', () => {
  it('approve EMAIL approves that user’s held actions until safety.approvalHours from now, audited as cli:<user>@<host>', async () => {
    const { cli, withStore } = await databaseHolding([heldInput('bo@acme.com'), heldInput('al@acme.com')], 'safety:\n  approvalHours: 2\n');
    const before = Date.now();
    const run = await cli('approve', 'BO@acme.com');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Approved the suspend of bo@acme\.com \(held by the mass-change guard in run run-1\): approved by cli:\S+@\S+ until \S+\.$/m);
    expect(run.stdout).toContain('Approved 1 held action.');
    const [bo, al] = await withStore((store) => store.held.list());
    expect(bo?.decision).toBe('approved');
    const hours = (Date.parse(bo?.expiresAt ?? '') - before) / 3_600_000;
    expect(hours).toBeGreaterThan(1.99);
    expect(hours).toBeLessThan(2.01);
    expect(al?.decision).toBeNull();
    const audit = await withStore((store) => store.audit.list({ limit: 10 }));
    expect(audit).toEqual([expect.objectContaining({ action: 'approve', target: 'bo@acme.com', actor: expect.stringMatching(/^cli:[^@\s]+@\S+$/) })]);
  });

  it('approve --all --kind delete approves only the deletes; --json prints the rows changed', async () => {
    const { cli } = await databaseHolding([heldInput('bo@acme.com'), heldInput('al@acme.com', 'delete')]);
    const json = parsed<{ count: number; actions: HeldAction[] }>(await cli('approve', '--all', '--kind', 'delete', '--json'));
    expect(json.actions.map((h) => [h.email, h.kind, h.decision])).toEqual([['al@acme.com', 'delete', 'approved']]);
  });

  it('dismiss records that they stay held, and withdraws an approval', async () => {
    const { cli, withStore } = await databaseHolding([heldInput('bo@acme.com'), heldInput('al@acme.com')]);
    expect((await cli('approve', '--all')).code).toBe(0);
    const run = await cli('dismiss', 'al@acme.com', 'bo@acme.com');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Dismissed 2 held actions.');
    expect((await withStore((store) => store.held.list())).map((h) => [h.decision, h.expiresAt])).toEqual([
      ['dismissed', null],
      ['dismissed', null],
    ]);
    expect((await withStore((store) => store.audit.list({ limit: 10 }))).map((e) => e.action)).toEqual(['dismiss', 'dismiss', 'approve', 'approve']);
  });

  it.each([
    ['no EMAIL nor --all', ['approve'], 'give EMAIL... or --all'],
    ['both EMAIL and --all', ['dismiss', 'bo@acme.com', '--all'], 'give EMAIL... or --all'],
    ['a --kind that is not suspend or delete', ['approve', '--all', '--kind', 'create'], '--kind is suspend or delete'],
    ['an email nothing is held for (the others are not approved either)', ['approve', 'bo@acme.com', 'zed@acme.com'], 'nothing held for zed@acme.com'],
    ['--kind leaving nothing', ['approve', 'bo@acme.com', '--kind', 'delete'], 'nothing held for bo@acme.com (delete)'],
    ['--all --kind delete while only a suspend is held', ['approve', '--all', '--kind', 'delete'], 'dialsync: no held delete matches (1 held suspend, not changed): nothing approved'],
    ['dismiss --all --kind delete while only a suspend is held', ['dismiss', '--all', '--kind', 'delete'], 'dialsync: no held delete matches (1 held suspend, not changed): nothing dismissed'],
  ])('%s: exit 2, nothing changed', async (_title, args, message) => {
    const { cli, withStore } = await databaseHolding([heldInput('bo@acme.com')]);
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect((await withStore((store) => store.held.list()))[0]?.decision).toBeNull();
    expect(await withStore((store) => store.audit.list({ limit: 10 }))).toEqual([]);
  });

  it('--all with nothing held: exit 2', async () => {
    const { cli } = await databaseHolding([]);
    const run = await cli('approve', '--all', '--json');
    expect(run.code).toBe(2);
    expect(parsed<{ error: { exitCode: number } }>(run).error.exitCode).toBe(2);
  });
});

describe('dialsync release', () => {
  it('writes one release audit event per user released', async () => {
    const { cli, withStore } = await databaseHolding([]);
    await withStore(async (store) => {
      for (const email of ['bo@acme.com', 'al@acme.com']) {
        await store.userErrors.record({ userKey: `okta:${email}`, oktaUserId: null, email, runId: 'run-1', action: 'create', message: 'refused', cause: 'dialpad.bad_request' });
      }
    });
    expect((await cli('release', '--cause', 'dialpad.bad_request')).code).toBe(0);
    const audit = await withStore((store) => store.audit.list({ limit: 10 }));
    expect(audit.map((e) => [e.action, e.target, e.detail.cause])).toEqual([
      ['release', 'bo@acme.com', 'dialpad.bad_request'],
      ['release', 'al@acme.com', 'dialpad.bad_request'],
    ]);
    expect(audit[0]?.actor).toMatch(/^cli:\S+@\S+$/);
  });
});
