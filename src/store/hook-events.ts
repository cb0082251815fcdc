// The uuids of Okta Event Hook events already received: Okta delivers at least once, so repeats are dropped.
import type { Knex } from 'knex';
import { writeTransaction } from './database.js';

interface HookEventRow {
  uuid: string;
  received_at: string;
}

/** Stays under SQLite's limit on bound variables per statement. */
const CHUNK = 400;

/** The `hook_events` table: the uuid of each Event Hook event received, with when (ISO 8601). */
export class HookEventStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Returns the uuids not seen before (in the order given, each once), recording them. The insert itself decides
   * (INSERT ... ON CONFLICT DO NOTHING RETURNING, on both engines): of two deliveries of one event racing each other,
   * in this process or on two replicas sharing a PostgreSQL database, exactly one gets the uuid back. A read
   * before the insert would not do on PostgreSQL: under READ COMMITTED both would read "not seen". Within
   * `within`, the claim commits or rolls back with the caller's transaction (the hook queue claims and queues in one).
   */
  async claim(uuids: string[], within?: Knex.Transaction): Promise<string[]> {
    const unique = [...new Set(uuids)];
    if (unique.length === 0) return [];
    const receivedAt = this.now().toISOString();
    return writeTransaction(within ?? this.db, async (trx) => {
      const fresh = new Set<string>();
      for (let i = 0; i < unique.length; i += CHUNK) {
        const rows: Pick<HookEventRow, 'uuid'>[] = await trx<HookEventRow>('hook_events')
          .insert(unique.slice(i, i + CHUNK).map((uuid) => ({ uuid, received_at: receivedAt })))
          .onConflict('uuid')
          .ignore()
          .returning('uuid');
        for (const row of rows) fresh.add(row.uuid);
      }
      return unique.filter((uuid) => fresh.has(uuid));
    });
  }

  /** Forgets uuids received before the date (Okta's retries come within minutes); returns how many. */
  async prune(olderThan: Date): Promise<number> {
    return this.db<HookEventRow>('hook_events').where('received_at', '<', olderThan.toISOString()).delete();
  }
}
