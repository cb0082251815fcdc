// The applied_values table: per Dialpad user and field, the value dialsync last applied (or adopted) and Okta's
// value then (docs: README, Drift). At 100,000 users that is up to 500,000 rows: a full run reads them all in
// keyset pages into a packed index (all(): AppliedValueIndex, without the decision times), a run of some users
// reads its users' rows in full (forUsers), and a run writes only the rows that changed.
import type { Knex } from 'knex';
import { StringPool } from '../collections/string-pool.js';
import { AppliedValueIndex, AppliedValueIndexBuilder } from './applied-value-index.js';
import type { AppliedField, AppliedRecord, AppliedValues } from '../plan/types.js';
import { writeTransaction } from './database.js';

interface AppliedValueRow {
  dialpad_user_id: string;
  field: string;
  applied: string | null;
  okta: string | null;
  decided_at: string;
}

const FIELDS: ReadonlySet<string> = new Set<AppliedField>(['first_name', 'last_name', 'job_title', 'office', 'license']);

/** Rows per query when reading them all. */
const READ_PAGE = 5_000;
/** Dialpad user ids per query when reading some users' rows. */
const IDS_PER_QUERY = 500;
/** Rows per statement when writing: 5 values a row, and SQLite's 500 terms of a compound SELECT. */
const WRITE_CHUNK = 500;

/** The `applied_values` table. Every method throws what the database driver throws. */
export class AppliedValueStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /**
   * Dialpad user id → its last applied values, for these Dialpad users (null: every user, read in keyset pages of
   * the primary key). A user with no row is absent from the map.
   */
  async forUsers(dialpadUserIds: readonly string[] | null): Promise<Map<string, AppliedValues>> {
    const values = new Map<string, AppliedValues>();
    const pool = new StringPool();
    const add = (row: AppliedValueRow): void => {
      if (!FIELDS.has(row.field)) return;
      let user = values.get(row.dialpad_user_id);
      if (user === undefined) values.set(row.dialpad_user_id, (user = {}));
      user[row.field as AppliedField] = { applied: pool.intern(row.applied), okta: pool.intern(row.okta), at: pool.intern(row.decided_at) };
    };
    if (dialpadUserIds !== null) {
      const ids = [...new Set(dialpadUserIds)];
      for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
        const rows: AppliedValueRow[] = await this.db<AppliedValueRow>('applied_values').select('dialpad_user_id', 'field', 'applied', 'okta', 'decided_at').whereIn('dialpad_user_id', ids.slice(i, i + IDS_PER_QUERY));
        for (const row of rows) add(row);
      }
      return values;
    }
    await this.eachPage((rows) => {
      for (const row of rows) add(row);
    });
    return values;
  }

  /**
   * Every Dialpad user's last applied values packed for a full run's planner (see AppliedValueIndex: about a
   * quarter of the memory of forUsers(null)'s map, without the decision times). Read in keyset pages.
   */
  async all(): Promise<AppliedValueIndex> {
    const builder = new AppliedValueIndexBuilder();
    await this.eachPage((rows) => {
      for (const row of rows) builder.add(row.dialpad_user_id, row);
    });
    return builder.build();
  }

  /** Hands every row to `take`, a keyset page of READ_PAGE rows at a time in primary key order. */
  private async eachPage(take: (rows: readonly AppliedValueRow[]) => void): Promise<void> {
    let after: { id: string; field: string } | null = null;
    for (;;) {
      const query = this.db<AppliedValueRow>('applied_values').select('dialpad_user_id', 'field', 'applied', 'okta', 'decided_at').orderBy([{ column: 'dialpad_user_id' }, { column: 'field' }]).limit(READ_PAGE);
      const rows: AppliedValueRow[] = await (after === null
        ? query
        : query.where((q) => q.where('dialpad_user_id', '>', after?.id ?? '').orWhere((same) => same.where('dialpad_user_id', after?.id ?? '').andWhere('field', '>', after?.field ?? ''))));
      take(rows);
      const last = rows.at(-1);
      if (last === undefined || rows.length < READ_PAGE) return;
      after = { id: last.dialpad_user_id, field: last.field };
    }
  }

  /**
   * Records these values (insert, or replace the row of the same Dialpad user and field), stamped with the store's
   * clock, in one transaction of statements of WRITE_CHUNK rows. A (user, field) given twice keeps the last.
   */
  async record(rows: readonly AppliedRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const at = this.now().toISOString();
    await writeTransaction(this.db, async (trx) => {
      for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
        // One statement may not name a row twice (PostgreSQL's ON CONFLICT refuses it): a chunk keeps the last of a
        // (user, field), and a later chunk's statement overwrites an earlier one's, so the last given wins. Deduped
        // chunk by chunk, not in one map of every row: a first run records 500,000 of them.
        const chunk = new Map<string, AppliedRecord>();
        for (const row of rows.slice(i, i + WRITE_CHUNK)) chunk.set(`${row.dialpadUserId}\u0000${row.field}`, row);
        await trx('applied_values')
          .insert([...chunk.values()].map((row) => ({ dialpad_user_id: row.dialpadUserId, field: row.field, applied: row.applied, okta: row.okta, decided_at: at })))
          .onConflict(['dialpad_user_id', 'field'])
          .merge(['applied', 'okta', 'decided_at']);
      }
    });
  }

  /** Forgets every field of these Dialpad users (dialsync deleted them), in one transaction. */
  async forget(dialpadUserIds: readonly string[]): Promise<void> {
    if (dialpadUserIds.length === 0) return;
    await writeTransaction(this.db, async (trx) => {
      for (let i = 0; i < dialpadUserIds.length; i += IDS_PER_QUERY) {
        await trx('applied_values').whereIn('dialpad_user_id', dialpadUserIds.slice(i, i + IDS_PER_QUERY)).delete();
      }
    });
  }
}
