// The uuids of Okta Event Hook events already received: Okta delivers at least once, so repeats are dropped.
import type { Knex } from 'knex';

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
   * Returns the uuids not seen before (in the order given, each once), recording them. Within `within`, the claim
   * commits or rolls back with the caller's transaction (the hook queue claims and queues in one).
   */
  async claim(uuids: string[], within?: Knex.Transaction): Promise<string[]> {
    const unique = [...new Set(uuids)];
    if (unique.length === 0) return [];
    const receivedAt = this.now().toISOString();
    // One transaction: two deliveries of the same event racing each other cannot both claim it.
    return (within ?? this.db).transaction(async (trx) => {
      const seen = new Set<string>();
      for (let i = 0; i < unique.length; i += CHUNK) {
        const rows = await trx<HookEventRow>('hook_events').whereIn('uuid', unique.slice(i, i + CHUNK)).select('uuid');
        for (const row of rows) seen.add(row.uuid);
      }
      const fresh = unique.filter((uuid) => !seen.has(uuid));
      for (let i = 0; i < fresh.length; i += CHUNK) {
        await trx<HookEventRow>('hook_events')
          .insert(fresh.slice(i, i + CHUNK).map((uuid) => ({ uuid, received_at: receivedAt })))
          .onConflict('uuid')
          .ignore();
      }
      return fresh;
    });
  }

  /** Forgets uuids received before the date (Okta's retries come within minutes); returns how many. */
  async prune(olderThan: Date): Promise<number> {
    return this.db<HookEventRow>('hook_events').where('received_at', '<', olderThan.toISOString()).delete();
  }
}
