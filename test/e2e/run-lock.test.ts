// The database-wide run lock seen from the command line: reconcile --apply refuses (or waits) while another process
// holds it, writing nothing; a dry run never needs it; a crashed holder's lease expires and the next run proceeds.
import { hostname } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import { RUN_LOCK, type LeaseHolder } from '../../src/store/leases.js';
import { usePostgresDatabases } from '../support/postgres.js';
import { useWorld } from './use-world.js';
import { hire } from './world.js';

const given = useWorld();

/** Another process (a leading daemon on another node) holding the lock for `ttlMs`. */
const otherDaemon: LeaseHolder = { id: 'other-replica', host: 'dialsync-7f9c-x2', pid: 4242, kind: 'daemon' };

describe.each(['sqlite', 'postgres'] as const)('the run lock, from the command line, on %s', (backend) => {
  const freshPostgres = usePostgresDatabases();
  beforeEach(async () => {
    if (backend === 'postgres') given().world.database = await freshPostgres();
  });

  it('refuses reconcile --apply with exit 8 while a daemon holds the lock, naming it, having written nothing', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    await world.withStore((store) => store.leases.tryAcquire(RUN_LOCK, otherDaemon, 60_000));
    world.clearRequests();

    const run = await world.cli('reconcile', '--apply');
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(/run lock is held by the leading dialsync daemon on dialsync-7f9c-x2 \(pid 4242\) since \d{4}-/);
    expect(world.writeRequests()).toEqual([]);
    expect(world.dialpadUserByEmail('ann@acme.com')).toBeUndefined();
    // Nothing was recorded as run either: the lock is asked for before the run starts.
    expect(await world.withStore((store) => store.runs.recent(5))).toEqual([]);
  });

  it('lets a dry run go while the lock is held: planning needs no lock', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    await world.withStore((store) => store.leases.tryAcquire(RUN_LOCK, otherDaemon, 60_000));
    const { code, report } = await world.reconcile();
    expect(code).toBe(0);
    expect(report.plan.users.map((user) => user.actions.map((action) => action.kind))).toEqual([['create', 'write_back']]);
  });

  it('waits up to --lock-wait for a lock whose holder stopped renewing, then applies under a higher fencing token', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    // A holder that crashed: its lease runs out in 1.5 s and nobody renews it.
    await world.withStore((store) => store.leases.tryAcquire(RUN_LOCK, otherDaemon, 1_500));

    const run = await world.cli('reconcile', '--apply', '--lock-wait', '20');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('waiting up to 20 s');
    expect(world.dialpadUserByEmail('ann@acme.com')).toMatchObject({ state: 'active' });
    const lock = await world.withStore((store) => store.leases.current(RUN_LOCK));
    // Released at the end, by this process, under the next token.
    expect(lock).toMatchObject({ token: 2, expired: true, released: true, holder: { kind: 'reconcile', host: hostname() } });
  });

  it('refuses after waiting --lock-wait when the holder keeps the lock, with JSON naming the holder', async () => {
    const { world } = given();
    await world.withStore((store) => store.leases.tryAcquire(RUN_LOCK, otherDaemon, 60_000));
    const run = await world.cli('reconcile', '--apply', '--json', '--lock-wait', '1');
    expect(run.code).toBe(8);
    expect(JSON.parse(run.stdout)).toEqual({ error: { message: expect.stringContaining('(pid 4242)') as unknown, exitCode: 8 } });
    expect(run.stderr).toContain('waited 1 s');
  });

  it('takes a lock released by its holder at once, and leaves it free after the run for the next', async () => {
    const { world } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    await world.withStore(async (store) => {
      const attempt = await store.leases.tryAcquire(RUN_LOCK, otherDaemon, 60_000);
      if (attempt.acquired) await store.leases.release(attempt.fence);
    });
    expect((await world.cli('reconcile', '--apply')).code).toBe(0);
    expect((await world.cli('reconcile', '--apply')).code).toBe(0);
    const status = await world.cli('status');
    expect(status.stdout).toMatch(/Run lock: free \(released by dialsync reconcile --apply on .+ \(pid \d+\), token 3, last renewed \d{4}-/);
  });
});
