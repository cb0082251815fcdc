// `dialsync migrate`: creates or upgrades the database schema and exits, for deployments that migrate before
// starting the service. With --from, it copies a SQLite store into the configured, empty PostgreSQL database: how
// an admin who started on the default moves to several replicas.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { isPostgresDsn, looksLikeMistypedDsn } from '../../config/postgres-dsn.js';
import { describeHolder } from '../../lease/run-lease.js';
import { RUN_LOCK } from '../../store/leases.js';
import type { Store } from '../../store/store.js';
import { TargetNotEmptyError, UnknownTableError, type CopiedCount } from '../../store/copy-store.js';
import { openStore } from '../../wiring/build.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../plan-table.js';
import { withRuntime, withStoreRuntime, type CliIo } from '../runtime.js';

interface MigrateFlags {
  config?: string;
  from?: string;
  json: boolean;
}

/** What `migrate --from` prints with --json: the source file, the target, and the rows copied per table in copy order. */
export interface MigrateFromReport {
  from: string;
  /** The configured database, its password masked. */
  to: string;
  tables: CopiedCount[];
  total: number;
}

/** What `migrate --json` without --from prints: the database and the migrations this run applied (file names, in order). */
export interface MigrateReport {
  /** The configured database, its password masked. */
  database: string;
  /** Always true once the command succeeds: the schema is the current one. */
  upToDate: true;
  applied: string[];
}

/**
 * Adds `dialsync migrate` to `program`: opens the store, which applies the pending migrations, and names those it
 * applied (`--json`: a MigrateReport). With `--from FILE` it copies every row of that SQLite store (migrated to the
 * current schema first) into the configured PostgreSQL database and prints the rows per table (`--json`: a
 * MigrateFromReport). Reports through `setExitCode`: 0 done, 2 a configuration error, a FILE that is a DSN or URL
 * (given as the source by mistake; not echoed, so no password is shown) or not a SQLite database, a configured
 * database that is not PostgreSQL, or one that already holds rows (nothing is written: the fix is in what the command was
 * pointed at), 4 a database that could not be opened, migrated or written (the copy is rolled back), 8 a dialsync
 * holds the run lock of either database (it is still running there: nothing is copied).
 */
export function registerMigrateCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('migrate')
    .description('Create or upgrade the database schema (reconcile also does this at start); with --from, copy a SQLite store into it.')
    .option('-c, --config <file>', 'YAML config file')
    .option('--from <file>', 'copy this SQLite store into the configured PostgreSQL database, which must be empty')
    .option('--json', 'print the result as JSON on stdout: the migrations applied, or with --from the rows copied per table', false)
    .addHelpText(
      'after',
      '\nWith --from, reads only the two databases: needs no credentials. Stop every dialsync that writes the SQLite file first.\nExit codes: 0 done, 2 usage or configuration error, --from is a DSN or URL, or not a SQLite database, or the configured database is not PostgreSQL or not empty (nothing was written), 4 a database could not be opened, migrated or written (nothing was kept), 8 a dialsync still holds the run lock of either database (nothing was copied).',
    )
    .action(async (flags: MigrateFlags) => {
      if (flags.from !== undefined) {
        setExitCode(await migrateFrom(io, flags.from, flags));
        return;
      }
      setExitCode(
        await withRuntime(io, flags.config, flags.json, async ({ store }) => {
          const report: MigrateReport = { database: store.describe(), upToDate: true, applied: [...store.migrationsApplied] };
          io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderMigrated(report));
          return EXIT.ok;
        }),
      );
    });
}

async function migrateFrom(io: CliIo, from: string, flags: MigrateFlags): Promise<number> {
  const refuse = (message: string, exitCode: number = EXIT.config): number => {
    if (flags.json) io.stdout.write(`${JSON.stringify({ error: { message, exitCode } })}\n`);
    io.stderr.write(`dialsync: ${message}\n`);
    return exitCode;
  };
  // A DSN given as the source by mistake: not echoed back (as "no such file" would), since it may hold a password
  // in a spelling no mask recognises (`user:pw@host`).
  if (isPostgresDsn(from) || looksLikeMistypedDsn(from)) {
    return refuse('--from takes the SQLite file to copy from, not a DSN or URL; the PostgreSQL database to copy into is DIALSYNC_DATABASE (or database: in the config file)');
  }
  const problem = sqliteFileProblem(from);
  if (problem !== null) return refuse(`--from ${from}: ${problem}`);
  return withStoreRuntime(
    io,
    flags.config,
    flags.json,
    async ({ config, store }) => {
      // Opening migrates an older store to the current schema, so both sides have the same tables and columns.
      const source = await openStore({ database: from, redactor: config.redactor });
      let tables: CopiedCount[];
      try {
        // A dialsync still running on either side would change what is being copied, or act on a half-copied
        // store: its run lock says so (a check before the copy, not a lock held during it).
        for (const [side, name] of [[source, `the SQLite file ${from}`], [store, store.describe()]] as const) {
          const running = await runningHolder(side);
          if (running !== null) return refuse(`${running} on ${name}: stop every dialsync using it, then copy again; nothing was copied`, EXIT.lockHeld);
        }
        tables = await store.copyFrom(source);
      } catch (error) {
        if (error instanceof TargetNotEmptyError) {
          return refuse(`${error.message}. Point DIALSYNC_DATABASE (or database: in the config file) at an empty database; nothing was copied`);
        }
        if (error instanceof UnknownTableError) return refuse(`${error.message}; nothing was copied`);
        throw error;
      } finally {
        await source.close();
      }
      const report: MigrateFromReport = { from, to: store.describe(), tables, total: tables.reduce((sum, t) => sum + t.rows, 0) };
      io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderCopied(report));
      return EXIT.ok;
    },
    { databaseProblem: (database) => (isPostgresDsn(database) ? null : `migrate --from copies into PostgreSQL, and the configured database is the SQLite file ${database}: set DIALSYNC_DATABASE (or database: in the config file) to the postgres:// DSN of the new, empty database`) },
  );
}

/** Who holds `store`'s run lock now, as describeHolder says it, or null when nobody does. */
async function runningHolder(store: Store): Promise<string | null> {
  const lease = await store.leases.current(RUN_LOCK);
  return lease === null || lease.expired ? null : describeHolder(lease);
}

/** That the database is up to date and, one a line, the migrations this run applied to get it there. */
function renderMigrated(report: MigrateReport): string {
  const count = report.applied.length;
  if (count === 0) return `Database ${report.database} is up to date.\n`;
  const lines = [`Database ${report.database} is up to date; applied ${count} migration${count === 1 ? '' : 's'}:`, ...report.applied.map((name) => `  ${name}`)];
  return `${lines.join('\n')}\n`;
}

/** The rows copied per table, aligned, with the total. */
function renderCopied(report: MigrateFromReport): string {
  const rows = [...report.tables.map((t) => [t.table, String(t.rows)]), ['total', String(report.total)]];
  const lines = [`Copied ${report.from} into ${report.to}:`, ...table(['TABLE', 'ROWS'], rows)];
  return `${lines.join('\n')}\n`;
}

/** Why `path` cannot be the store to copy from, or null: it must be a SQLite database file. */
function sqliteFileProblem(path: string): string | null {
  let stats;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (stats === undefined) return 'no such file';
  if (!stats.isFile()) return 'not a file';
  // Every SQLite database file starts with this 16-byte header (the file format's "magic string").
  const header = Buffer.alloc(16);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  // A shorter file leaves zeros at the end of the buffer, which never match.
  return header.toString('latin1') === 'SQLite format 3\0' ? null : 'not a SQLite database';
}
