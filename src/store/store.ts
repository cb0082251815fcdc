// dialsync's memory: links, runs, the action journal and per-user errors, behind one handle.
import type { Knex } from 'knex';
import type { Redactor } from '../log/redactor.js';
import { CheckpointStore } from './checkpoints.js';
import { migrateToLatest, openDatabase } from './database.js';
import { HookEventStore } from './hook-events.js';
import { Journal } from './journal.js';
import { LinkStore } from './links.js';
import { RunStore } from './runs.js';
import { UserErrorStore } from './user-errors.js';

export class Store {
  readonly links: LinkStore;
  readonly runs: RunStore;
  readonly journal: Journal;
  readonly userErrors: UserErrorStore;
  // Incremental sync (issue 3): the System Log cursor and the Event Hook uuids already handled.
  readonly checkpoints: CheckpointStore;
  readonly hookEvents: HookEventStore;

  private constructor(
    readonly db: Knex,
    now: () => Date,
    redactor: Redactor | undefined,
  ) {
    // Error text and journaled requests pass the redactor on the way in: a secret never reaches the database.
    const redact = redactor ? (text: string): string => redactor.redact(text) : undefined;
    this.links = new LinkStore(db, now);
    this.runs = new RunStore(db, now, redact);
    this.journal = new Journal(db, now, redact);
    this.userErrors = new UserErrorStore(db, now, redact);
    this.checkpoints = new CheckpointStore(db, now);
    this.hookEvents = new HookEventStore(db, now);
  }

  /**
   * Opens the database and applies pending migrations. With a redactor, every error text, journaled request and
   * result is redacted before it is written (the CLI and the daemon always pass the config's).
   */
  static async open(filename: string, now: () => Date = () => new Date(), redactor?: Redactor): Promise<Store> {
    const db = await openDatabase(filename);
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new Store(db, now, redactor);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
