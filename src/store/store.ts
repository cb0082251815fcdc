// dialsync's memory: links, runs, the action journal and per-user errors, behind one handle.
import type { Knex } from 'knex';
import { CheckpointStore } from './checkpoints.js';
import { migrateToLatest, openDatabase } from './database.js';
import { HookEventStore } from './hook-events.js';
import { Journal } from './journal.js';
import { LinkStore } from './links.js';
import { RunStore } from './runs.js';
import { SystemicFailureStore } from './systemic-failures.js';
import { UserErrorStore } from './user-errors.js';

export class Store {
  readonly links: LinkStore;
  readonly runs: RunStore;
  readonly journal: Journal;
  readonly userErrors: UserErrorStore;
  /** Causes found shared by a run's users, until a run sees them clear. */
  readonly systemicFailures: SystemicFailureStore;
  // Incremental sync (issue 3): the System Log cursor and the Event Hook uuids already handled.
  readonly checkpoints: CheckpointStore;
  readonly hookEvents: HookEventStore;

  private constructor(
    readonly db: Knex,
    now: () => Date,
  ) {
    this.links = new LinkStore(db, now);
    this.runs = new RunStore(db, now);
    this.journal = new Journal(db, now);
    this.userErrors = new UserErrorStore(db, now);
    this.systemicFailures = new SystemicFailureStore(db, now);
    this.checkpoints = new CheckpointStore(db, now);
    this.hookEvents = new HookEventStore(db, now);
  }

  /** Opens the database and applies pending migrations. */
  static async open(filename: string, now: () => Date = () => new Date()): Promise<Store> {
    const db = await openDatabase(filename);
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new Store(db, now);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
