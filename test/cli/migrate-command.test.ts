// `dialsync migrate --from FILE`: the command around the store's copy, into PostgreSQL. It needs only the two
// databases, prints the rows per table, and refuses (exit 2, nothing written) what it must not copy from or into.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MigrateFromReport, MigrateReport } from '../../src/cli/commands/migrate-command.js';
import { COPIED_TABLES } from '../../src/store/copy-store.js';
import { RUN_LOCK } from '../../src/store/leases.js';
import { Store } from '../../src/store/store.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';
import { usePostgresDatabases } from '../support/postgres.js';

const freshPostgres = usePostgresDatabases();

/** A SQLite store with two links and a checkpoint, and the DSN of an empty PostgreSQL database. */
async function givenSource(): Promise<{ dir: string; source: string; target: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dialsync-migrate-from-'));
  const source = join(dir, 'old.sqlite');
  const store = await Store.open(source);
  try {
    await store.links.save({ oktaUserId: '00uA', dialpadUserId: '6200000000000000001', origin: 'created' }, 'a@example.com');
    await store.links.save({ oktaUserId: '00uB', dialpadUserId: '6200000000000000002', origin: 'adopted' }, 'b@example.com');
    await store.checkpoints.set('okta.systemLog', 'https://acme.okta.com/api/v1/logs?after=1');
  } finally {
    await store.close();
  }
  return { dir, source, target: await freshPostgres() };
}

/** `dialsync migrate ARGS` with only the database configured: no credential is needed. */
function migrate(database: string, ...args: string[]) {
  return runCliInProcess(['migrate', ...args], { DIALSYNC_DATABASE: database, DIALSYNC_LOG_LEVEL: 'warn' });
}

async function linksIn(database: string) {
  const store = await Store.open(database);
  try {
    return await store.links.all();
  } finally {
    await store.close();
  }
}

describe('dialsync migrate', () => {
  const credentials = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: 'okta-token-0123456789abcdef', DIALPAD_API_KEY: 'dialpad-key-0123456789abcdef' };

  it('names the migrations it applied, then none once up to date; --json says the same as JSON', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'dialsync-migrate-')), 'new.sqlite');
    const env = { ...credentials, DIALSYNC_DATABASE: database, DIALSYNC_LOG_LEVEL: 'warn' };
    const first = await runCliInProcess(['migrate', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as MigrateReport;
    expect(report.database).toBe(database);
    expect(report.upToDate).toBe(true);
    const migrations = readdirSync(join(import.meta.dirname, '../../migrations')).filter((name) => name.endsWith('.js')).sort();
    expect(report.applied).toEqual(migrations);
    const again = await runCliInProcess(['migrate', '--json'], env);
    expect(JSON.parse(again.stdout)).toEqual({ database, upToDate: true, applied: [] });
    expect((await runCliInProcess(['migrate'], env)).stdout).toBe(`Database ${database} is up to date.\n`);
  });

  it('prints each migration applied, one a line', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'dialsync-migrate-')), 'new.sqlite');
    const run = await runCliInProcess(['migrate'], { ...credentials, DIALSYNC_DATABASE: database, DIALSYNC_LOG_LEVEL: 'warn' });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Database .* is up to date; applied \d+ migrations:$/);
    expect(lines[0]).toContain(`Database ${database} is`);
    expect(lines.slice(1).every((line) => /^ {2}\d{14}_\w+\.js$/.test(line))).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
  });
});

describe('dialsync migrate --from', () => {
  it('copies the store into the configured database with no credentials, and prints the rows per table', async () => {
    const { source, target } = await givenSource();
    const run = await migrate(target, '--from', source);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    // The target as `status` shows it: the password masked.
    const masked = new URL(target);
    masked.password = '***';
    expect(lines[0]).toBe(`Copied ${source} into ${masked.toString()}:`);
    expect(run.stdout).not.toContain(new URL(target).password);
    expect(lines[1]).toMatch(/^ {2}TABLE +ROWS$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}links +2$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}checkpoints +1$/));
    expect(lines.at(-1)).toMatch(/^ {2}total +3$/);
    expect(lines).toHaveLength(2 + COPIED_TABLES.length + 1);
    expect(await linksIn(target)).toEqual(await linksIn(source));
  });

  it('--json: the source, the rows per table in copy order, and the total', async () => {
    const { source, target } = await givenSource();
    const run = await migrate(target, '--from', source, '--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as MigrateFromReport;
    expect(report.from).toBe(source);
    expect(report.to).not.toContain(new URL(target).password);
    expect(report.tables.map((t) => t.table)).toEqual(COPIED_TABLES.map((t) => t.table));
    expect(report.tables.filter((t) => t.rows > 0)).toEqual([
      { table: 'links', rows: 2 },
      { table: 'checkpoints', rows: 1 },
    ]);
    expect(report.total).toBe(3);
  });

  it('refuses a target that already holds rows: exit 2, the tables named, nothing written', async () => {
    const { source, target } = await givenSource();
    expect((await migrate(target, '--from', source)).code).toBe(0);
    // A second copy into the now filled target.
    const run = await migrate(target, '--from', source, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the target database is not empty \(links: 2 rows, checkpoints: 1 row\).*DIALSYNC_DATABASE.*nothing was copied/);
    expect(JSON.parse(run.stdout)).toEqual({ error: { message: expect.stringContaining('not empty') as unknown, exitCode: 2 } });
    expect(await linksIn(target)).toHaveLength(2);
  });

  it('refuses a --from that is missing, a folder or not SQLite (exit 2), writing nothing', async () => {
    const { dir, source, target } = await givenSource();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, but long enough\n');
    for (const [from, reason] of [
      [join(dir, 'missing.sqlite'), 'no such file'],
      [dir, 'not a file'],
      [text, 'not a SQLite database'],
    ] as const) {
      const run = await migrate(target, '--from', from);
      expect(run.code, from).toBe(2);
      expect(run.stderr, from).toContain(`--from ${from}: ${reason}`);
    }
    expect(existsSync(join(dir, 'missing.sqlite'))).toBe(false);
    expect(await linksIn(target)).toEqual([]);
    expect(await linksIn(source)).toHaveLength(2);
  });

  it('refuses a --from that is a DSN, a mistyped one or another URL (exit 2): it takes the SQLite file, the target is DIALSYNC_DATABASE; the password is never shown', async () => {
    const { source, target } = await givenSource();
    const password = 'S3cretPw-xyz123';
    for (const from of [
      `postgres://postgres:${password}@127.0.0.1:55432/dialsync`,
      `postgresql://app:${password}@db/dialsync?sslmode=verify-full`,
      `https://user:${password}@example.com/x.sqlite`,
      `postgresql//app:${password}@db/dialsync`,
      `app:${password}@db:5432/dialsync`,
    ]) {
      for (const json of [false, true]) {
        const run = await migrate(target, '--from', from, ...(json ? ['--json'] : []));
        expect(run.code, from).toBe(2);
        expect(run.stderr, from).toBe('dialsync: --from takes the SQLite file to copy from, not a DSN or URL; the PostgreSQL database to copy into is DIALSYNC_DATABASE (or database: in the config file)\n');
        expect(run.stdout + run.stderr, from).not.toContain(password);
        if (json) expect(JSON.parse(run.stdout)).toEqual({ error: { message: expect.stringContaining('--from takes the SQLite file') as unknown, exitCode: 2 } });
      }
    }
    expect(await linksIn(target)).toEqual([]);
    expect(await linksIn(source)).toHaveLength(2);
  });

  it('refuses a configured database that is not PostgreSQL (exit 2), creating no file', async () => {
    const { dir, source } = await givenSource();
    const sqliteTarget = join(dir, 'new.sqlite');
    const run = await migrate(sqliteTarget, '--from', source);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`migrate --from copies into PostgreSQL, and the configured database is the SQLite file ${sqliteTarget}`);
    expect(existsSync(sqliteTarget)).toBe(false);
  });

  it('refuses while a dialsync holds the run lock of either database (exit 8, the holder named), and copies once it is released', async () => {
    const { source, target } = await givenSource();
    const holder = { id: 'daemon-1', host: 'old-host', pid: 4242, kind: 'daemon' as const };
    for (const database of [source, target]) {
      const store = await Store.open(database);
      try {
        const attempt = await store.leases.tryAcquire(RUN_LOCK, holder, 60_000);
        if (!attempt.acquired) throw new Error('lease not acquired');
        const run = await migrate(target, '--from', source);
        expect(run.code, database).toBe(8);
        expect(run.stderr, database).toMatch(/the run lock is held by the leading dialsync daemon on old-host \(pid 4242\).* on .*: stop every dialsync using it, then copy again; nothing was copied/);
        expect(run.stderr, database).not.toContain(new URL(target).password);
        await store.leases.release(attempt.fence);
      } finally {
        await store.close();
      }
    }
    expect(await linksIn(target)).toEqual([]);
    // Released on both: the copy goes through.
    expect((await migrate(target, '--from', source)).code).toBe(0);
    expect(await linksIn(target)).toHaveLength(2);
  });
});
