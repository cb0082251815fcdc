// Okta event hook events waiting for a run: any replica queues a delivery's events (in the transaction that claims
// their uuids, so a redelivered event is queued once) before answering Okta; the leader reads the queue, runs the
// users and only then acknowledges (deletes) exactly the rows that run covered. At least once: a leader that dies
// mid-batch leaves the rows for the next one.
import type { Knex } from 'knex';
import type { HookEventStore } from './hook-events.js';
import { writeTransaction } from './database.js';

/** An event the hook endpoint accepted: its uuid and the Okta users it concerns (none: claimed, not queued). */
export interface AcceptedHookEvent {
  /** The LogEvent uuid. */
  uuid: string;
  /** The Okta user ids (00u…) the event concerns; empty for an event that concerns none of the app's users. */
  oktaUserIds: readonly string[];
}

/** An event waiting in the queue. */
export interface QueuedHookEvent {
  uuid: string;
  /** Each user once, in the order the endpoint found them. */
  oktaUserIds: string[];
  /** ISO 8601, by the receiving process's clock. */
  receivedAt: string;
  /** The receiving process (host name and pid). */
  receivedBy: string;
}

/** What enqueue did with a delivery's events. */
export interface EnqueueResult {
  /** The uuids not seen before (claimed now), in the order given. */
  fresh: string[];
  /** The fresh events that concern users and now wait in the queue. */
  queued: QueuedHookEvent[];
}

interface HookQueueRow {
  event_uuid: string;
  okta_user_ids: string;
  received_at: string;
  received_by: string;
}

/** Stays under SQLite's limit on bound variables per statement (4 columns a row). */
const CHUNK = 100;

/** The `hook_queue` table. Every method throws what the database driver throws. */
export class HookQueueStore {
  constructor(
    private readonly db: Knex,
    private readonly hookEvents: HookEventStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * In one transaction: claims every event's uuid (hook_events) and queues the fresh ones that concern users. When
   * it resolves the rows are committed (the endpoint may answer 200); when it throws nothing was written. Two
   * processes racing with the same uuid queue it once: the row's primary key decides (INSERT … ON CONFLICT DO
   * NOTHING RETURNING), whatever the claim answered.
   * @param receivedBy the receiving process, stored with each row (host name and pid).
   */
  async enqueue(events: readonly AcceptedHookEvent[], receivedBy: string): Promise<EnqueueResult> {
    const receivedAt = this.now().toISOString();
    return writeTransaction(this.db, async (trx) => {
      const fresh = await this.hookEvents.claim(
        events.map((event) => event.uuid),
        trx,
      );
      const claimed = new Set(fresh);
      const rows: HookQueueRow[] = [];
      for (const event of events) {
        if (!claimed.has(event.uuid) || event.oktaUserIds.length === 0) continue;
        claimed.delete(event.uuid);
        rows.push({ event_uuid: event.uuid, okta_user_ids: JSON.stringify([...new Set(event.oktaUserIds)]), received_at: receivedAt, received_by: receivedBy });
      }
      const inserted = new Set<string>();
      for (let i = 0; i < rows.length; i += CHUNK) {
        const won: { event_uuid: string }[] = await trx('hook_queue').insert(rows.slice(i, i + CHUNK)).onConflict('event_uuid').ignore().returning('event_uuid');
        for (const row of won) inserted.add(row.event_uuid);
      }
      return { fresh, queued: rows.filter((row) => inserted.has(row.event_uuid)).map(toQueued) };
    });
  }

  /** The oldest waiting events, at most `limit`, oldest first (by receipt, then uuid). */
  async pending(limit: number): Promise<QueuedHookEvent[]> {
    const rows = await this.db<HookQueueRow>('hook_queue').orderBy([{ column: 'received_at' }, { column: 'event_uuid' }]).limit(limit);
    return rows.map(toQueued);
  }

  /** How many events wait. */
  async size(): Promise<number> {
    const row = await this.db('hook_queue').count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /** Deletes these events' rows once a run that covers their users has finished; returns how many were deleted. */
  async acknowledge(uuids: readonly string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < uuids.length; i += CHUNK * 4) {
      deleted += await this.db('hook_queue')
        .whereIn('event_uuid', uuids.slice(i, i + CHUNK * 4))
        .delete();
    }
    return deleted;
  }

  /**
   * Deletes the rows received before the date, whose users a full run that started after it has read; returns
   * how many.
   */
  async dropReceivedBefore(date: Date): Promise<number> {
    return this.db('hook_queue').where('received_at', '<', date.toISOString()).delete();
  }
}

function toQueued(row: HookQueueRow): QueuedHookEvent {
  return { uuid: row.event_uuid, oktaUserIds: parseIds(row.okta_user_ids), receivedAt: row.received_at, receivedBy: row.received_by };
}

/** A row's user ids; a damaged value reads as none (the row is then acknowledged with the batch it came in). */
function parseIds(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
