// Copying a store into an empty one (`dialsync migrate --from`): every table the migrations create is known to the
// copy, every row arrives as it was, a non-empty target is refused untouched, and large tables go in pages. The
// source is a SQLite file, as for the command; the target is SQLite and PostgreSQL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COPIED_TABLES, tableNames, TABLES_NOT_COPIED, TargetNotEmptyError, UnknownTableError } from '../../src/store/copy-store.js';
import { RUN_LOCK } from '../../src/store/leases.js';
import { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';
import { rawDatabase } from './raw-database.js';

const NOW = () => new Date('2026-11-30T12:00:00.000Z');
const sources: Store[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((store) => store.close()));
});

/** A SQLite store to copy from, in a file of its own. */
async function sqliteSource(): Promise<Store> {
  const store = await Store.open(join(mkdtempSync(join(tmpdir(), 'dialsync-copy-')), 'source.sqlite'), NOW);
  sources.push(store);
  return store;
}

/** A store with at least one row in every copied table, written the way dialsync writes them. */
async function populated(store: Store): Promise<void> {
  await store.runs.start('run-1', 'full', true);
  await store.runs.recordSkipped('run-1', [{ oktaUserId: '00uSkip', email: 'skip@example.com', code: 'missing_email', reason: 'no email' }]);
  await store.runs.recordListingWarnings('run-1', [{ oktaUserId: '00uGone', email: 'gone@example.com', message: 'left out of a page' }]);
  await store.runs.finish('run-1', 'partial', { assignments: 3, plannedActions: 2, succeededActions: 1, failedActions: 1 });
  await store.runs.start('run-2', 'incremental', false);
  await store.links.save({ oktaUserId: '00uA', dialpadUserId: '6200000000000000001', origin: 'created' }, 'a@example.com');
  await store.links.save({ oktaUserId: '00uB', dialpadUserId: '6200000000000000002', origin: 'adopted' }, 'b@example.com');
  await store.appliedValues.record([
    { dialpadUserId: '6200000000000000001', field: 'job_title', applied: 'Staff Engineer', okta: 'Engineer' },
    { dialpadUserId: '6200000000000000001', field: 'office', applied: '5001', okta: '5001' },
  ]);
  const id = await store.journal.begin({ runId: 'run-1', oktaUserId: '00uA', dialpadUserId: null, email: 'a@example.com', action: 'create', target: 'dialpad', request: { method: 'POST', path: '/api/v2/users', body: { email: 'a@example.com' } } });
  await store.journal.done(id, { dialpadUserId: '6200000000000000001', result: { id: '6200000000000000001' } });
  await store.journal.begin({ runId: 'run-1', oktaUserId: '00uB', dialpadUserId: '6200000000000000002', email: 'b@example.com', action: 'write_back', target: 'okta', request: { method: 'POST', path: '/api/v1/users/00uB' } });
  await store.userErrors.record({ userKey: 'okta:00uC', oktaUserId: '00uC', email: 'c@example.com', runId: 'run-1', action: 'create', message: 'refused', oktaFingerprint: 'f'.repeat(64), cause: 'dialpad.bad_request' });
  await store.systemicFailures.seen('run-1', [
    { key: 'okta.E0000001', code: 'okta.E0000001', class: 'data', service: 'okta', kind: 'write_back', status: 400, detail: null, users: 5, rule: 'shared', summary: 'write-back refused for 5 users', hint: 'add dialpadPhone' },
  ]);
  await store.checkpoints.set('okta.systemLog', 'https://acme.okta.com/api/v1/logs?after=1');
  await store.hookEvents.claim(['event-1', 'event-2']);
  // Accepted by a replica, not run yet.
  await store.hookQueue.enqueue([{ uuid: 'event-3', oktaUserIds: ['00uA', '00uB'] }], 'old-host:4242');
  await store.readiness.record('daemon', [{ reason: 'okta_credentials', detail: 'refused' }]);
  // The run lock, as a daemon that led on the old database left it: not copied.
  await store.leases.tryAcquire(RUN_LOCK, { id: 'daemon-1', host: 'old-host', pid: 4242, kind: 'daemon' }, 60_000);
  await store.runActions.record('run-1', [
    { userKey: 'okta:00uA', oktaUserId: '00uA', dialpadUserId: null, email: 'a@example.com', kind: 'create', reason: 'newly assigned', outcome: 'done', error: null, gate: null, approvedBy: null },
  ]);
  await store.held.settle({
    runId: 'run-1',
    held: [{ userKey: 'okta:00uD', oktaUserId: '00uD', dialpadUserId: '6200000000000000004', email: 'd@example.com', kind: 'suspend', gate: 'mass-change', reason: 'held back' }],
    scope: 'all',
    done: [],
  });
  await store.held.approve('all', 'cli:admin@host', new Date('2026-12-01T12:00:00.000Z'));
  await store.tenantPins.pin({ dialpadCompanyId: '4700000000000000001', dialpadCompanyName: 'Example Corp', oktaOrgUrl: 'https://acme.okta.com', oktaOrgId: '00o1', oktaAppId: '0oa1' }, 'first_run', 'run-1');
  await store.apiTokens.create({ name: 'ci', role: 'viewer', token: 'dsk_copied-token-0123456789', createdBy: 'cli:ada@host' });
  // A Run now carried out by run-1, and one still waiting for a leader.
  const { request } = await store.runRequests.request('okta:admin@example.com');
  await store.runRequests.take('daemon@old-host:4242');
  await store.runRequests.finish(request.id, 'run-1');
  await store.runRequests.request('token:ci');
}

/** Every copied table's rows, in key order, as stored (booleans as 0 and 1, as SQLite keeps them). */
async function contents(store: Store): Promise<Record<string, unknown[]>> {
  const db = rawDatabase(store);
  const tables: Record<string, unknown[]> = {};
  for (const { table, key, keyTail } of COPIED_TABLES) {
    const rows: Record<string, unknown>[] = await db(table).select('*').orderBy(keyTail === undefined ? [key] : [key, keyTail]);
    tables[table] = rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, typeof value === 'boolean' ? Number(value) : value])));
  }
  return tables;
}

describe.each(STORE_BACKENDS)('copyStore from SQLite to %s', (backend) => {
  const open = useStores(backend);

  it('knows every table the migrations create: each is copied or left out for a stated reason', async () => {
    // A migration that adds a table fails this until copy-store.ts names it (with its key and place in the order).
    const store = await open();
    const known = [...COPIED_TABLES.map((t) => t.table), ...Object.keys(TABLES_NOT_COPIED)].sort();
    expect(await tableNames(rawDatabase(store))).toEqual(known);
    expect(new Set(COPIED_TABLES.map((t) => t.table)).size).toBe(COPIED_TABLES.length);
  });

  it('copies every row of every table as it was, and reports the count per table in copy order', async () => {
    const source = await sqliteSource();
    await populated(source);
    const before = await contents(source);
    // The fixture reaches every table, so a table added later is exercised once it is added there.
    for (const { table } of COPIED_TABLES) expect(before[table]?.length, table).toBeGreaterThan(0);

    const target = await open();
    const counts = await target.copyFrom(source);
    expect(counts).toEqual(COPIED_TABLES.map(({ table }) => ({ table, rows: before[table]?.length })));
    expect(await contents(target)).toEqual(before);
    // The source is left as it was.
    expect(await contents(source)).toEqual(before);
  });

  it('the copy is a working store: links with their origin, the cursor, quarantine, pins, and new ids after the copied ones', async () => {
    const source = await sqliteSource();
    await populated(source);
    const target = await open();
    await target.copyFrom(source);
    expect(await target.links.all()).toEqual(await source.links.all());
    expect(await target.checkpoints.get('okta.systemLog')).toBe('https://acme.okta.com/api/v1/logs?after=1');
    expect(await target.userErrors.all()).toEqual(await source.userErrors.all());
    expect(await target.tenantPins.current()).toEqual(await source.tenantPins.current());
    expect(await target.runs.recent(10)).toEqual(await source.runs.recent(10));
    expect(await target.hookEvents.claim(['event-1', 'event-3', 'event-4'])).toEqual(['event-4']);
    expect(await target.hookQueue.pending(10)).toEqual(await source.hookQueue.pending(10));
    expect(await target.leases.current(RUN_LOCK)).toBeNull();
    const ids = (await rawDatabase(target)('journal').select('id')).map((row: { id: number }) => row.id);
    const next = await target.journal.begin({ runId: 'run-2', oktaUserId: null, dialpadUserId: null, email: 'd@example.com', action: 'create', target: 'dialpad', request: { method: 'POST', path: '/api/v2/users' } });
    expect(next).toBeGreaterThan(Math.max(...ids));
  });

  it('pages a table with a two-column key past a page boundary without losing or repeating a row', async () => {
    const source = await sqliteSource();
    const fields = ['first_name', 'last_name', 'job_title', 'office', 'license'] as const;
    // 1,205 rows: a page of 1,000 ends inside one user's five fields.
    const rows = Array.from({ length: 241 }, (_, i) => fields.map((field) => ({ dialpadUserId: `62${String(i).padStart(5, '0')}`, field, applied: `${field} ${i}`, okta: null }))).flat();
    await source.appliedValues.record(rows);
    const target = await open();
    const counts = await target.copyFrom(source);
    expect(counts.find((count) => count.table === 'applied_values')?.rows).toBe(rows.length);
    expect(await target.appliedValues.forUsers(null)).toEqual(await source.appliedValues.forUsers(null));
  });

  it('refuses a target that holds any row, naming the tables, and writes nothing', async () => {
    const source = await sqliteSource();
    await populated(source);
    const target = await open();
    await target.checkpoints.set('okta.systemLog', 'elsewhere');
    const before = await contents(target);
    const refusal = await target.copyFrom(source).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TargetNotEmptyError);
    expect((refusal as TargetNotEmptyError).code).toBe('target_not_empty');
    expect((refusal as TargetNotEmptyError).tables).toEqual([{ table: 'checkpoints', rows: 1 }]);
    expect((refusal as Error).message).toMatch(/not empty \(checkpoints: 1 row\)/);
    expect(await contents(target)).toEqual(before);
  });

  it('copies an empty store as zero rows per table', async () => {
    const target = await open();
    expect(await target.copyFrom(await sqliteSource())).toEqual(COPIED_TABLES.map(({ table }) => ({ table, rows: 0 })));
  });

  it('copies 100,000 links page by page', async () => {
    const source = await sqliteSource();
    const links = Array.from({ length: 100_000 }, (_, i) => ({
      link: { oktaUserId: `00u${String(i).padStart(6, '0')}`, dialpadUserId: String(6300000000000000000n + BigInt(i)), origin: i % 3 === 0 ? ('adopted' as const) : ('created' as const) },
      email: `user${i}@example.com`,
    }));
    await source.links.saveMany(links);
    const target = await open();
    const counts = await target.copyFrom(source);
    expect(counts.find((c) => c.table === 'links')).toEqual({ table: 'links', rows: 100_000 });
    expect(await target.links.all()).toEqual(await source.links.all());
  }, 120_000);

  it('refuses a source holding a table it does not know, before writing anything', async () => {
    const source = await sqliteSource();
    await populated(source);
    await rawDatabase(source).schema.createTable('from_the_future', (t) => t.string('id').primary());
    const target = await open();
    const refusal = await target.copyFrom(source).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnknownTableError);
    expect((refusal as UnknownTableError).tables).toEqual(['from_the_future']);
    for (const rows of Object.values(await contents(target))) expect(rows).toEqual([]);
  });
});
