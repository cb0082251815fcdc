// From SQLite to PostgreSQL without forgetting anything: a store that went through real runs against the sandbox
// (links created and adopted, a user quarantined, skipped users, the tenant pin, the journal) is copied with
// `dialsync migrate --from`, and the next run, on PostgreSQL, sends no write at all. A run on an empty database
// instead would act again: the copy is what keeps it quiet.
import { describe, expect, it } from 'vitest';
import type { MigrateFromReport } from '../../src/cli/commands/migrate-command.js';
import { hire } from './world.js';
import { useWorld } from './use-world.js';
import { usePostgresDatabases } from '../support/postgres.js';

const given = useWorld();
const emptyTarget = usePostgresDatabases();
const LONG_TITLE = `Head of Global Voices${' Telephony'.repeat(10)}`;

describe('migrate --from, round trip', () => {
  it('a store after sandbox runs, copied, plans nothing and sends zero writes on its next run', async () => {
    const { world, offices } = given();
    hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'London' });
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' }, { licenseType: 'dialpad_sell' });
    world.dialpad.addUser({ email: 'eve@acme.com', firstName: 'Eve', lastName: 'Doe', officeId: offices.newYork, license: 'talk', phoneNumbers: ['+12125550150'] });
    hire(world.okta, { login: 'eve@acme.com', firstName: 'Eve', lastName: 'Doe' });
    // Skipped every run: an unknown license.
    hire(world.okta, { login: 'dan@acme.com', firstName: 'Dan', lastName: 'Moe' }, { licenseType: 'dialpad_platinum' });
    // Quarantined after three failing runs: Dialpad refuses the title.
    world.dialpad.refuse({ method: 'PATCH', path: /^\/api\/v2\/users\/\d+$/, field: 'job_title', when: (value) => typeof value === 'string' && value.length > 100 });
    hire(world.okta, { login: 'kim@acme.com', firstName: 'Kim', lastName: 'Ito', title: LONG_TITLE });
    for (let run = 1; run <= 3; run += 1) expect((await world.reconcile('--apply')).code, `run ${run}`).toBe(1);

    // On SQLite itself, the next run is quiet: Kim is quarantined (the only user left to act on, so exit 1 says
    // so), everyone else is in step.
    world.clearRequests();
    const before = await world.reconcile('--apply');
    expect([before.code, before.report.outcome]).toEqual([1, 'all_quarantined']);
    expect(before.report.plan.skipped.map((s) => `${s.email} ${s.code}`).sort()).toEqual(['dan@acme.com unknown_license', 'kim@acme.com quarantined']);
    expect(world.writeRequests()).toEqual([]);

    const target = await emptyTarget();
    world.extraEnv = { DIALSYNC_DATABASE: target };
    const migrated = await world.cli('migrate', '--from', world.database, '--json');
    expect(migrated.code, migrated.stderr).toBe(0);
    const report = JSON.parse(migrated.stdout) as MigrateFromReport;
    const rows = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
    expect(rows).toMatchObject({ runs: 4, links: 4, user_errors: 1, tenant_pins: 1 });
    expect(rows.journal).toBeGreaterThan(0);

    // The next run, on PostgreSQL.
    world.clearRequests();
    const after = await world.reconcile('--apply');
    expect([after.code, after.report.outcome]).toEqual([1, 'all_quarantined']);
    expect(after.report.plan).toEqual(before.report.plan);
    expect(after.report.plan.skipped).toEqual(before.report.plan.skipped);
    expect(world.writeRequests()).toEqual([]);
    const status = await world.cli('status', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ quarantined: [expect.objectContaining({ email: 'kim@acme.com' })], tenantPins: [expect.objectContaining({ reason: 'first_run' })] });

    // Without the copy, the same run would adopt every user again (and retry Kim).
    world.extraEnv = { DIALSYNC_DATABASE: await emptyTarget() };
    const fresh = await world.reconcile();
    expect(fresh.report.plan.users.flatMap((u) => u.actions).length).toBeGreaterThan(0);
  });
});
