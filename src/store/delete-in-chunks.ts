// Deleting many rows without one long transaction: a table of millions of rows (run_actions after months of runs)
// is cut down 1,000 rows a statement, each statement its own short transaction, so the writers (a run recording
// its actions, a replica queueing hook events) wait at most one chunk.
import type { Knex } from 'knex';

/** Rows one DELETE statement removes at most. */
export const DELETE_CHUNK_ROWS = 1_000;

/**
 * Deletes the rows of `table` whose `id` the query `ids(limit)` selects (it must select one column of ids and
 * apply `limit`), DELETE_CHUNK_ROWS at a time, until a statement deletes fewer; resolves with how many in all.
 * Throws what the database driver throws (the chunks deleted before stay deleted).
 */
export async function deleteInChunks(db: Knex, table: string, ids: (limit: number) => Knex.QueryBuilder): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db(table).whereIn('id', ids(DELETE_CHUNK_ROWS)).delete();
    total += deleted;
    if (deleted < DELETE_CHUNK_ROWS) return total;
  }
}
