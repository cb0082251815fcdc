// Copies every row of one store's database into another, empty one: how an admin who started on SQLite moves to
// PostgreSQL (`dialsync migrate --from`). Both databases are at the same schema (each was opened, and so
// migrated, by this version), so the copy is generic over the tables: the list below says which tables there are,
// in an order that puts each row's foreign key target first, and which are left out and why. A table a migration
// adds must be named here (test/store/copy-store.test.ts fails until it is).
//
// Example: a store of 100,000 links is read in pages of 1,000 rows by key (never all at once, never by OFFSET) and
// written 500 rows to a statement: 6 columns a row are 3,000 bound parameters, far below SQLite's 32,766 and
// PostgreSQL's 65,535, and 500 is SQLite's limit of terms in the compound SELECT knex builds for a multi-row
// INSERT; a table of 30 columns would go in 400 rows to a statement (12,000 parameters).
import type { Knex } from 'knex';
import { backendOfHandle, StoreError, writeTransaction } from './database.js';

/** A table the copy carries over: its key orders the pages; `serial` keys are reset on PostgreSQL afterwards. */
export interface CopiedTable {
  table: string;
  /** The primary key column: pages are read in its order. */
  key: string;
  /** The primary key's second column, when it has two: pages are read in the order of both. */
  keyTail?: string;
  /** The key is an auto-increment id: PostgreSQL's sequence must continue after the copied ids. */
  serial: boolean;
}

/**
 * Every table of the store's schema that is copied, parents before the tables whose foreign keys point at them
 * (journal.run_id, tenant_pins.run_id, run_actions.run_id, held_actions.run_id and run_requests.run_id name runs).
 */
export const COPIED_TABLES: readonly CopiedTable[] = [
  { table: 'runs', key: 'id', serial: false },
  { table: 'links', key: 'okta_user_id', serial: false },
  // What dialsync last applied per Dialpad user and field: the drift policies keep their decisions.
  { table: 'applied_values', key: 'dialpad_user_id', keyTail: 'field', serial: false },
  { table: 'journal', key: 'id', serial: true },
  { table: 'user_errors', key: 'user_key', serial: false },
  { table: 'systemic_failures', key: 'cause_key', serial: false },
  { table: 'checkpoints', key: 'name', serial: false },
  { table: 'hook_events', key: 'uuid', serial: false },
  // Events a replica accepted that no run has covered yet: the new database's leader runs them.
  { table: 'hook_queue', key: 'event_uuid', serial: false },
  { table: 'readiness', key: 'name', serial: false },
  { table: 'tenant_pins', key: 'id', serial: true },
  // Automation keeps working on the new database (revoked tokens stay listed).
  { table: 'api_tokens', key: 'id', serial: true },
  { table: 'run_actions', key: 'id', serial: true },
  // What the gates hold now and the decisions on them: the new database's next run keeps them.
  { table: 'held_actions', key: 'id', serial: true },
  { table: 'audit_events', key: 'id', serial: true },
  // A "Run now" still waiting is run by the new database's leader; the others say which run carried each out.
  { table: 'run_requests', key: 'id', serial: true },
];

/** The tables of a migrated database that are not copied, each with why. */
export const TABLES_NOT_COPIED: Readonly<Record<string, string>> = {
  knex_migrations: "knex's record of the migrations applied: the target has its own, from being migrated when opened",
  knex_migrations_lock: "knex's lock while migrating: the target has its own",
  console_sessions: 'signed-in console sessions: short-lived, and admins sign in again against the new database',
  leases:
    'the run lock: who applies on the old database, which is stopped for the copy; the new database starts without a ' +
    'holder (a copied lease would only keep its replicas waiting, and its fencing token guards no row that is copied)',
};

/** Rows read from the source per page. */
const PAGE_ROWS = 1_000;
/** Rows per INSERT at most: SQLite's SQLITE_MAX_COMPOUND_SELECT (500), as knex writes several rows as one SELECT. */
const MAX_STATEMENT_ROWS = 500;
/**
 * Bound parameters per INSERT at most: well below SQLite's limit (32,766 since 3.32) and PostgreSQL's (65,535),
 * so a wide table's page is split into several statements instead of failing.
 */
const MAX_PARAMETERS = 12_000;

/** One table's result: rows copied. */
export interface CopiedCount {
  table: string;
  rows: number;
}

/**
 * The target already holds rows (code `target_not_empty`): nothing was copied. `tables` names each table with
 * rows and how many, so the message says which database was meant and what is in it.
 */
export class TargetNotEmptyError extends Error {
  readonly code = 'target_not_empty';
  constructor(readonly tables: readonly CopiedCount[]) {
    super(
      `the target database is not empty (${tables.map((t) => `${t.table}: ${t.rows} row${t.rows === 1 ? '' : 's'}`).join(', ')}): ` +
        'migrate --from copies only into an empty database, so that nothing in it is overwritten or mixed',
    );
    this.name = 'TargetNotEmptyError';
  }
}

/**
 * A table in the source that this version does not know how to copy (code `unknown_table`): refused rather than
 * left behind. It happens only when the source was written by a newer dialsync.
 */
export class UnknownTableError extends Error {
  readonly code = 'unknown_table';
  constructor(readonly tables: readonly string[]) {
    super(`the source database holds tables this dialsync does not copy (${tables.join(', ')}): use the dialsync version that wrote it`);
    this.name = 'UnknownTableError';
  }
}

/**
 * The names of the tables in `db` (SQLite's internal tables left out), sorted. Both SQLite and PostgreSQL (the
 * current schema) are read from their catalogues.
 */
export async function tableNames(db: Knex): Promise<string[]> {
  const rows: { name: string }[] = isPostgres(db)
    ? await db('information_schema.tables').select({ name: 'table_name' }).where({ table_schema: db.raw('current_schema()'), table_type: 'BASE TABLE' })
    : await db('sqlite_master').select('name').where({ type: 'table' }).andWhereNot('name', 'like', 'sqlite_%');
  return rows.map((row) => row.name).sort();
}

/**
 * The tables of `db` that are neither copied nor deliberately left out (TABLES_NOT_COPIED), sorted; empty when the
 * copy knows every table.
 */
export async function unknownTables(db: Knex): Promise<string[]> {
  const known = new Set([...COPIED_TABLES.map((t) => t.table), ...Object.keys(TABLES_NOT_COPIED)]);
  return (await tableNames(db)).filter((name) => !known.has(name));
}

/**
 * Copies every row of COPIED_TABLES from `source` into `target`, in one transaction on the target: either all is
 * copied or nothing is. Both databases must be migrated to the same (latest) schema. Afterwards PostgreSQL's
 * sequences of serial ids are set past the copied ids, so the next journal entry or pin gets a fresh id.
 * Resolves with the rows copied per table, in copy order.
 * @throws TargetNotEmptyError when any copied table of the target holds a row (checked inside the transaction;
 *   nothing is written); UnknownTableError when the source holds a table the copy does not know; StoreError
 *   naming the table when a write fails, the driver's error when a read fails (either way the transaction is
 *   rolled back and the target stays empty).
 */
export async function copyStore(source: Knex, target: Knex): Promise<CopiedCount[]> {
  const unknown = await unknownTables(source);
  if (unknown.length > 0) throw new UnknownTableError(unknown);
  return writeTransaction(target, async (trx) => {
    // One query at a time: a transaction is one connection, and pg queues concurrent queries on it only grudgingly.
    const present: CopiedCount[] = [];
    for (const { table } of COPIED_TABLES) {
      const rows = await countRows(trx, table);
      if (rows > 0) present.push({ table, rows });
    }
    if (present.length > 0) throw new TargetNotEmptyError(present);
    const counts: CopiedCount[] = [];
    for (const spec of COPIED_TABLES) {
      counts.push({ table: spec.table, rows: await copyTable(source, trx, spec) });
      if (spec.serial && isPostgres(target)) await resetSequence(trx, spec);
    }
    return counts;
  });
}

/** Copies one table page by page in key order; resolves with the rows copied. */
async function copyTable(source: Knex, target: Knex.Transaction, { table, key, keyTail }: CopiedTable): Promise<number> {
  const booleans = await booleanColumns(target, table);
  let copied = 0;
  let after: Record<string, unknown> | undefined = undefined;
  for (;;) {
    const query = source(table).select('*').orderBy(keyTail === undefined ? [key] : [key, keyTail]).limit(PAGE_ROWS);
    const page: Record<string, unknown>[] = after === undefined ? await query : await query.where(afterKey(key, keyTail, after));
    if (page.length === 0) return copied;
    const rows = booleans.length === 0 ? page : page.map((row) => withBooleans(row, booleans));
    const columns = Object.keys(rows[0] ?? {}).length || 1;
    const perStatement = Math.max(1, Math.min(MAX_STATEMENT_ROWS, Math.floor(MAX_PARAMETERS / columns)));
    for (let start = 0; start < rows.length; start += perStatement) {
      try {
        await target(table).insert(rows.slice(start, start + perStatement));
      } catch (error) {
        // The driver's message starts with the whole statement, every copied value in it: keep only its reason.
        throw new StoreError(`copying the ${table} table failed: ${driverReason(error)}`, { cause: error });
      }
    }
    copied += page.length;
    after = page[page.length - 1];
    if (page.length < PAGE_ROWS) return copied;
  }
}

/** The rows after `last` in key order (one column, or two: the first, then the second). */
function afterKey(key: string, keyTail: string | undefined, last: Record<string, unknown>): (query: Knex.QueryBuilder) => void {
  const first = last[key] as Knex.Value;
  return (query) => {
    if (keyTail === undefined) return void query.where(key, '>', first);
    void query.where(key, '>', first).orWhere((same) => same.where(key, first).andWhere(keyTail, '>', last[keyTail] as Knex.Value));
  };
}

/** SQLite keeps booleans as 0 and 1; PostgreSQL's boolean columns take true and false. */
async function booleanColumns(db: Knex, table: string): Promise<string[]> {
  const info = await db(table).columnInfo();
  return Object.entries(info)
    .filter(([, column]) => column.type === 'boolean')
    .map(([name]) => name);
}

function withBooleans(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  const converted = { ...row };
  for (const column of columns) {
    const value = converted[column];
    if (typeof value === 'number') converted[column] = value !== 0;
  }
  return converted;
}

function driverReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.lastIndexOf(' - ');
  return (reason >= 0 ? message.slice(reason + 3) : message).slice(0, 500);
}

async function countRows(db: Knex, table: string): Promise<number> {
  const row = (await db(table).count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * Sets a serial column's sequence so its next value follows the largest copied id (rows inserted with explicit ids
 * do not advance it): without this the next insert would collide with a copied row.
 */
async function resetSequence(db: Knex, { table, key }: CopiedTable): Promise<void> {
  await db.raw('select setval(pg_get_serial_sequence(?, ?), coalesce((select max(??) from ??), 0) + 1, false)', [table, key, key, table]);
}

function isPostgres(db: Knex): boolean {
  return backendOfHandle(db) === 'postgres';
}
