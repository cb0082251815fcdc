// dialsync's memory: links, runs, the action journal and per-user errors, behind one handle.
import type { Knex } from 'knex';
import type { Redactor } from '../log/redactor.js';
import { ApiTokenStore } from './api-tokens.js';
import { AppliedValueStore } from './applied-values.js';
import { AuditStore } from './audit.js';
import { CheckpointStore } from './checkpoints.js';
import { ConsoleSessionStore } from './console-sessions.js';
import { copyStore, type CopiedCount } from './copy-store.js';
import { backendOf, describeDatabase, migrateToLatest, openDatabase, type DatabaseBackend, type PostgresOptions } from './database.js';
import { HeldActionStore } from './held-actions.js';
import { HookEventStore } from './hook-events.js';
import { HookQueueStore } from './hook-queue.js';
import { Journal } from './journal.js';
import { LeaseStore } from './leases.js';
import { LinkStore } from './links.js';
import { fileIdentity, ReadinessStore, type FileIdentity } from './readiness.js';
import { RunActionStore } from './run-actions.js';
import { RunRequestStore } from './run-requests.js';
import { RunStore } from './runs.js';
import { TenantPinStore } from './tenant-pins.js';
import { SystemicFailureStore } from './systemic-failures.js';
import { UserErrorStore } from './user-errors.js';

/** How long close() waits for the connections to end (ms). */
const CLOSE_WAIT_MS = 3_000;

/**
 * The one handle on dialsync's database (SQLite or PostgreSQL, through knex): open it with Store.open, reach each table through
 * its store below, close it when done. No query is built outside this folder.
 */
export class Store {
  /** Which Dialpad user belongs to which Okta user (docs/rules.md#link). */
  readonly links: LinkStore;
  /** The values dialsync last applied to (or adopted from) each Dialpad user's fields, for the drift policies. */
  readonly appliedValues: AppliedValueStore;
  /** One row per reconciliation. */
  readonly runs: RunStore;
  /** Each run's actions and what became of them. */
  readonly runActions: RunActionStore;
  /** The suspends and deletes a run-wide gate holds now, with an admin's decision on each (approvals). */
  readonly held: HeldActionStore;
  /** Runs asked for from the console ("Run now"), until the leader has carried them out. */
  readonly runRequests: RunRequestStore;
  /** Every admin action, and what the service did with approvals. */
  readonly audit: AuditStore;
  /** Every write, pending before it is sent and done or failed after. */
  readonly journal: Journal;
  /** Each user's last failure and failing runs in a row (quarantine). */
  readonly userErrors: UserErrorStore;
  /** Causes found shared by a run's users, until a run sees them clear. */
  readonly systemicFailures: SystemicFailureStore;
  /** Incremental sync: named positions in outside feeds, such as the System Log cursor. */
  readonly checkpoints: CheckpointStore;
  /** Incremental sync: the Event Hook event uuids already received. */
  readonly hookEvents: HookEventStore;
  /** Event hook events waiting for the leader's run, queued by whichever replica received them. */
  readonly hookQueue: HookQueueStore;
  /** The daemon's last readiness verdict; writing it proves the store still takes writes. */
  readonly readiness: ReadinessStore;
  /** The Dialpad company and Okta org and app this store manages. */
  readonly tenantPins: TenantPinStore;
  /** The run lock: which process may apply now, and its fencing token. */
  readonly leases: LeaseStore;
  /** The admin console's signed-in sessions (server-side, so every replica shares them). */
  readonly consoleSessions: ConsoleSessionStore;
  /** API tokens for the console's /api (only their hashes). */
  readonly apiTokens: ApiTokenStore;

  private constructor(
    /** Private: callers ask the stores above for what they need, so no query leaves this folder. */
    private readonly db: Knex,
    now: () => Date,
    redactor: Redactor | undefined,
    private readonly database: string,
    private readonly opened: FileIdentity | null,
    /** The migrations (file names, in order) this open applied: none when the schema was up to date. */
    readonly migrationsApplied: readonly string[] = [],
  ) {
    // Error text and journaled requests pass the redactor on the way in: a secret never reaches the database.
    const redact = redactor ? (text: string): string => redactor.redact(text) : undefined;
    this.links = new LinkStore(db, now);
    this.appliedValues = new AppliedValueStore(db, now);
    this.runs = new RunStore(db, now, redact);
    this.leases = new LeaseStore(db);
    this.runActions = new RunActionStore(db, redact);
    this.held = new HeldActionStore(db, now, redact);
    this.audit = new AuditStore(db, now, redact);
    this.runRequests = new RunRequestStore(db, now, redact);
    this.journal = new Journal(db, now, redact, this.leases);
    this.userErrors = new UserErrorStore(db, now, redact);
    this.systemicFailures = new SystemicFailureStore(db, now, redact);
    this.checkpoints = new CheckpointStore(db, now);
    this.hookEvents = new HookEventStore(db, now);
    this.hookQueue = new HookQueueStore(db, this.hookEvents, now);
    this.readiness = new ReadinessStore(db, now, redact);
    this.tenantPins = new TenantPinStore(db, now);
    this.consoleSessions = new ConsoleSessionStore(db, now);
    this.apiTokens = new ApiTokenStore(db, now);
  }

  /**
   * Opens the database and applies pending migrations. `database` is a SQLite path (":memory:" for tests) or a
   * PostgreSQL DSN (postgres://...), reached with `postgres` (TLS, CA, pool size, a password the DSN does not
   * hold). With a redactor, every error text, journaled request and result is redacted before it is written (the
   * CLI and the daemon always pass the config's). Throws StoreError when the file cannot be created, PostgreSQL
   * cannot be reached or a migration fails (the connection is closed again; no password in the message).
   */
  static async open(database: string, now: () => Date = () => new Date(), redactor?: Redactor, postgres: PostgresOptions = {}): Promise<Store> {
    const db = await openDatabase(database, postgres);
    let applied: string[];
    try {
      applied = await migrateToLatest(db, database, postgres);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    // Taken once the connection is open: the file at the path now is the one the connection writes to.
    const opened = backendOf(database) === 'sqlite' ? fileIdentity(database) : null;
    return new Store(db, now, redactor, database, opened, applied);
  }

  /** The engine this store runs on. */
  get backend(): DatabaseBackend {
    return backendOf(this.database);
  }

  /** The database as it may be shown: the SQLite path, or the DSN with its password masked. */
  describe(): string {
    return describeDatabase(this.database);
  }

  /**
   * Null while the SQLite file at the configured path is the one this store opened (always null on PostgreSQL);
   * otherwise what became of it.
   * A deleted or replaced file does not fail a single query (the open handle keeps writing to the old inode, and
   * the next process would find none of it), so only comparing device and inode tells.
   */
  fileReplaced(): string | null {
    if (this.opened === null) return null;
    const current = fileIdentity(this.database);
    if (current === null) return `the database file ${this.database} was deleted while dialsync had it open`;
    if (current.dev !== this.opened.dev || current.ino !== this.opened.ino) {
      return `the database file ${this.database} was replaced while dialsync had it open (another file is at its path)`;
    }
    return null;
  }

  /**
   * Copies every row of `source` into this store, in one transaction (`dialsync migrate --from`); see
   * copy-store.ts for the tables, their order and the chunking. Resolves with the rows copied per table.
   * @throws TargetNotEmptyError when this store holds any row already (nothing is written), UnknownTableError
   *   when `source` holds a table this version does not copy, or the driver's error (rolled back).
   */
  copyFrom(source: Store): Promise<CopiedCount[]> {
    return copyStore(source.db, this.db);
  }

  /** Closes the connection; the store is unusable after. */
  async close(): Promise<void> {
    // A database that stopped answering must not hold the process: after CLOSE_WAIT_MS the connections are left to
    // the process's exit.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.db.destroy(), new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS).unref()))]);
    clearTimeout(timer);
  }
}
