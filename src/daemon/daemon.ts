// dialsync as a service: full runs on a schedule, incremental runs from the Okta System Log between them,
// targeted runs from Okta event hooks, never two at once; /healthz, /readyz and /metrics on one port; and a
// shutdown that starts nothing new, cuts reads, retries and waits short, and lets the write in flight finish
// and be journaled, so the process ends within 10 s whatever the APIs do.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describeError } from '../errors/describe-error.js';
import { failureCauseOf } from '../apply/failure-cause.js';
import type { DaemonSettings, HistorySettings, LockSettings } from '../config/load.js';
import { configDefaults } from '../config/schema.js';
import { thisProcess, type HeldLease } from '../lease/run-lease.js';
import type { Logger } from '../log/logger.js';
import { reconcile, type ReconcileDeps } from '../reconcile/reconcile.js';
import { leftActionsUndone } from '../reconcile/run-outcome.js';
import { TenantMismatchError } from '../reconcile/tenant-guard.js';
import { LeaseLostError } from '../errors/lease-lost.js';
import { RUN_LOCK, type LeaseHolder } from '../store/leases.js';
import type { Store } from '../store/store.js';
import type { Gateways } from '../wiring/build.js';
import { createEventHookHandler } from './event-hook.js';
import { pruneRunHistory } from './history-retention.js';
import { HookQueueDrainer } from './hook-queue-drainer.js';
import type { ConsoleOptions } from '../console/console-plugin.js';
import { DaemonHttpServer } from './http-server.js';
import { LeaderElection } from './leader-election.js';
import type { DaemonMetrics } from './metrics.js';
import { ReadinessState, type AccessSide, type ReadinessProblem, type ReadinessVerdict } from './readiness.js';
import { RunLock, type FullRunOutcome, type DaemonRunKind, type TargetedKind } from './run-lock.js';
import { RunRequestTaker } from './run-request-taker.js';
import { startSchedule, type Schedule } from './schedule.js';
import { SystemicBackoff } from './systemic-backoff.js';
import { UserBatcher } from './user-batcher.js';

/** Where incremental runs find their users (the Okta System Log; tests may inject another). */
export interface IncrementalSource {
  /** The Okta users the events since the saved position concern (the app's, or its groups' `appGroupIds`). */
  poll(appGroupIds: ReadonlySet<string>): Promise<{ oktaUserIds: string[] }>;
  /** Saves the position of the last poll once its users are handled. */
  commit(): Promise<void>;
  /** Forgets it, so the next poll reads the same events again. */
  rewind(): void;
  /** Events dialsync itself caused (its write-backs) are not work: their actor's id is skipped from now on. */
  addSelfActorId(id: string): void;
}

/** The parts a daemon runs with, already built (build-daemon.ts builds them from the config). */
export interface DaemonParts {
  /** The daemon block of the config: schedule, polling, HTTP server, hooks, readiness. */
  settings: DaemonSettings;
  /** The Okta app whose assignments the hook handler watches. */
  appId: string;
  /** The run lock this daemon leads by (config `lock:`). */
  lock: LockSettings;
  /** How long run history is kept (config `history:`; default its defaults). */
  history?: HistorySettings;
  /** This replica as a lease holder (default thisProcess('daemon')). */
  holder?: LeaseHolder;
  /** What every run reconciles with; its gateways and store are the daemon's too (access checks, the app's groups). */
  reconcileDeps: ReconcileDeps;
  /** Where incremental runs find their users; null: no incremental runs. */
  incremental: IncrementalSource | null;
  metrics: DaemonMetrics;
  /**
   * Aborted by stop(): the gateways were built with its signal, so a shutdown ends their reads, waits and retries
   * and stops the run's next action.
   */
  stop: AbortController;
  logger: Logger;
  /** A full run right after start (default true). */
  runOnStart?: boolean;
  now?: () => Date;
  /** The admin console, served on the daemon's port; none when `console.enabled` is false. */
  console?: ConsoleOptions | undefined;
}

/**
 * How long shutdown waits for the run in flight before giving up on it (its journal entries stay pending). The
 * clients give a write in flight 5 s after the stop signal, so a run normally ends well before this.
 */
const SHUTDOWN_RUN_WAIT_MS = 7_000;
const STORE_CHECK_TIMEOUT_MS = 2_000;
/** The rows of the readiness table the daemon replicas write: `daemon@<host>:<pid>` (see store/readiness.ts). */
export const READINESS_PREFIX = 'daemon';
/** A replica's readiness row not checked for this long belongs to a replica that is gone: pruned. */
const READINESS_RETENTION_MS = 24 * 3600 * 1000;
/** Hook event uuids are kept this long for deduplication (Okta retries within minutes). */
const HOOK_EVENT_RETENTION_MS = 24 * 3600 * 1000;

/**
 * The service: runs reconciliations (full on the schedule, incremental from the System Log, targeted from event
 * hooks) one at a time, and answers /healthz, /readyz and /metrics. It only runs: buildDaemon wires it.
 */
export class Daemon {
  /** What /metrics serves. */
  readonly metrics: DaemonMetrics;
  private readonly settings: DaemonSettings;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly gateways: Gateways;
  private readonly reconcileDeps: ReconcileDeps;
  private readonly incremental: IncrementalSource | null;
  private readonly readiness: ReadinessState;
  private readonly lock: RunLock;
  private readonly election: LeaderElection;
  /** Carries out the Run now requests of the console (any replica's), while this replica leads. */
  private readonly runRequests: RunRequestTaker;
  /** Waiting for the next full run to end, with its run id (null: none ran): the Run now requests it carries out. */
  /** Run now requests waiting for a full run that starts after `after` full runs had started. */
  private fullRunWatchers: { after: number; resolve: (runId: string | null) => void }[] = [];
  /** Full runs started by this daemon, so a Run now is covered only by a full run that starts after it. */
  private fullRunsStarted = 0;
  /** history.retentionDays. */
  private readonly retentionDays: number;
  /** This replica's row in the readiness table. */
  private readonly readinessName: string;
  private readonly http: DaemonHttpServer;
  /** The admin console the HTTP server serves, if enabled. */
  private readonly consoleOptions: ConsoleOptions | undefined;
  private readonly batcher: UserBatcher | null;
  /** Drains the hook queue every replica writes to; started while this replica leads. */
  private readonly hookDrainer: HookQueueDrainer | null;
  /** Runs that ended without covering their users (failed, paused, cut short): a hook drain that saw one keeps its rows. */
  private unfinishedRuns = 0;
  private readonly abort: AbortController;
  private readonly now: () => Date;
  private readonly runOnStart: boolean;
  /**
   * The groups whose membership events are relevant: the app's groups and the scoping groups (scope.groups,
   * resolved to ids). Shared by reference with the hook handler; refreshed before each full run.
   */
  private readonly appGroupIds = new Set<string>();
  private readonly selfActorIds = new Set<string>();
  private schedule: Schedule | null = null;
  private accessTimer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  private address: { host: string; port: number } | null = null;
  /** Incremental runs that threw: a poll whose run failed reads its events again. */
  private incrementalFailures = 0;
  private polling: Promise<void> | null = null;
  /** start() in progress or done: shutdown lets it settle (the stop cuts its checks short) before it returns. */
  private starting: Promise<{ host: string; port: number }> | null = null;
  /** The readiness check in progress: concurrent /readyz requests share it (and its one write). */
  private readinessCheck: Promise<ReadinessVerdict> | null = null;
  /** The reasons last logged, so a change of verdict is logged once. */
  private loggedReasons = '';
  /** While a systemic failure lasts: extra full runs spaced out, targeted runs paused. */
  readonly backoff = new SystemicBackoff();
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(parts: DaemonParts) {
    this.settings = parts.settings;
    this.reconcileDeps = parts.reconcileDeps;
    this.store = parts.reconcileDeps.store;
    this.gateways = { okta: parts.reconcileDeps.okta, dialpad: parts.reconcileDeps.dialpad };
    this.incremental = parts.incremental;
    this.abort = parts.stop;
    this.logger = parts.logger;
    this.now = parts.now ?? (() => new Date());
    this.runOnStart = parts.runOnStart ?? true;
    this.metrics = parts.metrics;
    this.consoleOptions = parts.console;
    this.retentionDays = (parts.history ?? configDefaults().history).retentionDays;
    const daemon = this.settings;
    this.readiness = new ReadinessState(daemon.readyzMaxFailingSeconds);

    // Until this replica is elected, every write it might journal is refused (it never starts a run then anyway).
    const holder = parts.holder ?? thisProcess('daemon');
    this.readinessName = `${READINESS_PREFIX}@${holder.host}:${holder.pid}`;
    this.store.journal.fenceWith({
      lease: { name: RUN_LOCK, holderId: holder.id, token: 0 },
      check: () => {
        throw new LeaseLostError('this replica does not lead: it writes nothing');
      },
    });
    this.election = new LeaderElection({
      store: this.store,
      holder,
      settings: parts.lock,
      onElected: (lease) => this.onElected(lease),
      onDemoted: () => {
        this.metrics.setLeader(false, 'demoted');
        this.forgetSystemicFailure();
        void this.stopHookDrain();
      },
      // A Run now asked on any replica is carried out by the leader: it looks each time it renews its lease.
      onRenewed: () => {
        if (!this.stopping) void this.runRequests.check();
      },
      // A replica whose credentials are refused could lead but not sync: it leaves the lead to one that can.
      ineligible: () => {
        const refused = this.refusedCredentials();
        return refused.length === 0 ? null : `its credentials were refused at the last access check (${refused.join(', ')})`;
      },
      logger: this.logger.child({ component: 'leader-election' }),
    });
    this.metrics.setLeader(false);
    this.runRequests = new RunRequestTaker({
      store: this.store,
      // The lease holder id tells apart two replicas with one host and pid (two daemons in one process).
      replica: `${this.readinessName}/${holder.id.slice(0, 8)}`,
      runFull: () => this.fullRunCovering(),
      logger: this.logger.child({ component: 'run-requests' }),
    });

    this.lock = new RunLock({
      runFull: () => this.runReconcile('full'),
      runTargeted: (kind, ids) => this.runReconcile(kind, ids),
      onSkipped: (kind, reason) => {
        this.logger.warn({ kind, reason }, `${kind} run skipped: ${reason}`);
        this.metrics.recordSkippedRun(kind);
      },
      onWaiting: (kind, behind) => this.logger.info({ kind, behind }, `${kind} run waits for the ${behind} run in progress`),
      onError: (kind, error) => this.logger.error({ kind, err: { message: describeError(error) } }, `${kind} run failed`),
    });

    const hooks = daemon.hooks;
    if (hooks.enabled && hooks.secret) {
      const drainer = new HookQueueDrainer({
        store: this.store,
        runUsers: async (kind, ids) => {
          const before = this.unfinishedRuns;
          await this.requestUsers(kind, ids);
          return this.unfinishedRuns === before && !this.stopping && this.election.leading;
        },
        pollMs: hooks.queuePollSeconds * 1000,
        busy: () => this.lock.current !== null,
        logger: this.logger.child({ component: 'hook-queue' }),
      });
      this.hookDrainer = drainer;
      // Every replica queues the deliveries it receives. The leader drains at once when no run is going; during a
      // run the deliveries gather into one drain (one targeted run) that starts when the run ends. A follower
      // leaves its deliveries to the leader's poll.
      this.batcher = new UserBatcher({
        minGapMs: hooks.batchDelaySeconds * 1000,
        onBatch: async () => void (await drainer.drain()),
        busy: () => (this.lock.current === null ? null : this.lock.idle()),
      });
      const batcher = this.batcher;
      const handler = createEventHookHandler({
        secret: hooks.secret,
        headerName: hooks.headerName,
        hookQueue: this.store.hookQueue,
        appId: parts.appId,
        appGroupIds: this.appGroupIds,
        selfActorIds: this.selfActorIds,
        onUsers: (ids: string[]) => {
          if (drainer.running) batcher.add(ids);
        },
        logger: this.logger.child({ component: 'event-hook' }),
      });
      this.http = this.createHttpServer({ path: hooks.path, handler });
    } else {
      this.batcher = null;
      this.hookDrainer = null;
      this.http = this.createHttpServer(undefined);
    }
  }

  /**
   * Listens, checks access, starts the schedule (and a first full run). Resolves with the bound address once the
   * checks are done; a refused credential makes the daemon unready, not the start fail. A stop during start (the
   * checks are cut short by it) leaves the schedule and timers unstarted. Idempotent.
   * @throws what binding the port throws (e.g. EADDRINUSE), or the store's error reading the links.
   */
  start(): Promise<{ host: string; port: number }> {
    this.starting ??= this.startUp();
    return this.starting;
  }

  private async startUp(): Promise<{ host: string; port: number }> {
    this.address = await this.http.listen();
    const daemon = this.settings;
    this.logger.info({ host: this.address.host, port: this.address.port, hooks: daemon.hooks.enabled ? daemon.hooks.path : false }, 'dialsync daemon listening');
    this.metrics.setManagedUsers((await this.store.links.all()).length);
    await this.checkAccess();
    await this.refreshRelevance();
    if (this.stopping) return this.address;
    // Leads at once when no other process holds the run lock; otherwise follows until the lock is free.
    await this.election.start();
    this.schedule = startSchedule({
      schedule: daemon.schedule,
      timezone: daemon.timezone,
      pollIntervalSeconds: this.incremental ? daemon.pollIntervalSeconds : 0,
      onFullTick: () => this.requestFull(),
      onPollTick: () => this.pollOnce(),
      onOverlap: () => this.metrics.recordSkippedRun('full'),
      logger: this.logger,
    });
    // Followers refresh the app's groups too (the leader does before each full run): every replica accepts hook
    // deliveries and must know which group-membership events concern the app.
    this.accessTimer = setInterval(() => void this.checkAccess().then(() => (this.election.leading ? undefined : this.refreshRelevance())), daemon.accessCheckIntervalSeconds * 1000);
    return this.address;
  }

  /** Whether this replica leads (holds the run lock): only the leader runs reconciliations and polls. */
  get leading(): boolean {
    return this.election.leading;
  }

  /**
   * This replica was elected: its journal is fenced by the new lease, and it starts at once what a leader does
   * (the first run settles what a leader before it left pending, then finishes its work).
   */
  private onElected(lease: HeldLease): void {
    this.store.journal.fenceWith(lease);
    this.metrics.setLeader(true, 'elected');
    if (this.stopping) return;
    // A first poll anchors the System Log cursor (on a first start it begins at the present; the full run covers
    // what came before) and, after a restart or a take-over, picks up what changed meanwhile.
    if (this.incremental && this.settings.pollIntervalSeconds > 0) void this.pollOnce();
    if (this.runOnStart) void this.requestFull();
    this.startHookDrain();
    void this.runRequests.check();
  }

  /**
   * Starts draining the event hook queue (at once: what a leader before left, then every hooks.queuePollSeconds and
   * right after each delivery this replica receives, or after the run going then). Called on election; no-op
   * without hooks or once stopping.
   */
  startHookDrain(): void {
    if (!this.stopping) this.hookDrainer?.start();
  }

  /**
   * Stops draining the event hook queue; resolves when the drain in flight has ended (its rows stay: the next
   * leader runs them). Called on demotion and shutdown.
   */
  stopHookDrain(): Promise<void> {
    return this.hookDrainer?.stop() ?? Promise.resolve();
  }

  /** The bound address (port 0 in the config picks a free one). */
  get listening(): { host: string; port: number } | null {
    return this.address;
  }

  /** A full reconciliation now, unless one is going or waiting. */
  requestFull(): Promise<FullRunOutcome> {
    return this.lock.requestFull();
  }

  /**
   * A full run for a Run now: asks for one that starts after this call (joining a full run waiting to start; one
   * going now is waited out) and resolves with the id of the full run that covered the request, or null when none will (stopping, or that run did not start: the lead
   * was lost, credentials refused). Never rejects.
   */
  private fullRunCovering(): Promise<string | null> {
    if (this.stopping || !this.election.leading) return Promise.resolve(null);
    // A full run going now planned before the request was made (an approval just given is not in its plan): only
    // a full run that starts from here on covers the request.
    const after = this.fullRunsStarted;
    const covered = new Promise<string | null>((resolve) => this.fullRunWatchers.push({ after, resolve }));
    void this.lock.requestFullAfterCurrent();
    return covered;
  }

  /**
   * Tells the Run now requests a full run covered (those made before full run number `started` began; every one
   * when `started` is undefined: shutdown) which run it was, null when none ran.
   */
  private settleFullRunWatchers(runId: string | null, started?: number): void {
    const covered = this.fullRunWatchers.filter((watcher) => started === undefined || watcher.after < started);
    this.fullRunWatchers = this.fullRunWatchers.filter((watcher) => !covered.includes(watcher));
    for (const watcher of covered) watcher.resolve(runId);
  }

  /** A targeted reconciliation of these Okta users, after the run going now. */
  requestUsers(kind: TargetedKind, oktaUserIds: readonly string[]): Promise<void> {
    return this.lock.requestTargeted(kind, oktaUserIds);
  }

  /** One incremental cycle: read the System Log since the checkpoint, reconcile the users it names. */
  async pollOnce(): Promise<void> {
    // One poll at a time: the source keeps one pending cursor.
    if (this.polling) return this.polling;
    this.polling = this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async poll(): Promise<void> {
    const source = this.incremental;
    // During a systemic failure the events wait in the System Log: the next full run covers their users.
    if (!source || this.stopping || !this.election.leading || this.credentialsRefused('incremental poll') || this.backoff.active) return;
    let ids: string[];
    try {
      ids = (await source.poll(this.appGroupIds)).oktaUserIds;
    } catch (error) {
      this.logger.warn({ err: { message: describeError(error) } }, 'reading the Okta System Log failed; the next poll tries again');
      return;
    }
    const failuresBefore = this.incrementalFailures;
    if (ids.length > 0) {
      this.logger.info({ users: ids.length }, 'System Log: users changed in Okta');
      await this.requestUsers('incremental', ids);
    }
    // Saved only once the users are handled: a crash or a failed run reads the same events again.
    if (this.stopping || this.incrementalFailures !== failuresBefore) source.rewind();
    else await source.commit();
  }

  /**
   * Whether /readyz would answer 200, and why not. Each check writes the verdict to the store (the proof that it
   * still takes writes, and what `dialsync status` shows) and logs the details when the verdict changed.
   */
  ready(): Promise<ReadinessVerdict> {
    this.readinessCheck ??= this.checkReadiness().finally(() => {
      this.readinessCheck = null;
    });
    return this.readinessCheck;
  }

  private async checkReadiness(): Promise<ReadinessVerdict> {
    const replaced = this.store.fileReplaced();
    if (replaced !== null) {
      // Writing would only prove that the old, unlinked file still takes writes.
      return this.logVerdict(this.readiness.verdict(this.now(), [{ reason: 'store_replaced', detail: replaced }]));
    }
    const verdict = this.readiness.verdict(this.now());
    const unwritable = await this.recordReadiness(verdict.problems);
    return this.logVerdict(unwritable === null ? verdict : this.readiness.verdict(this.now(), [{ reason: 'store_unwritable', detail: unwritable }]));
  }

  /** Writes the verdict to the store; null when it was written, else why not. */
  private async recordReadiness(problems: readonly ReadinessProblem[]): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.store.readiness.record(this.readinessName, problems),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${STORE_CHECK_TIMEOUT_MS / 1000} s`)), STORE_CHECK_TIMEOUT_MS);
          timer.unref();
        }),
      ]);
      return null;
    } catch (error) {
      return `the database did not take a write: ${describeError(error)}`;
    } finally {
      clearTimeout(timer);
    }
  }

  private logVerdict(verdict: ReadinessVerdict): ReadinessVerdict {
    const reasons = verdict.reasons.join(',');
    if (reasons !== this.loggedReasons) {
      this.loggedReasons = reasons;
      if (verdict.ready) this.logger.info('dialsync daemon is ready');
      else this.logger.warn({ reasons: verdict.reasons, problems: verdict.problems }, `dialsync daemon is not ready: ${verdict.problems.map((p) => `${p.reason} (${p.detail})`).join('; ')}`);
    }
    return verdict;
  }

  /**
   * Stops scheduling and accepting hooks; aborts the stop signal, so no action or request starts any more, reads
   * and waits end at once and a write in flight has 5 s to finish (and be journaled); waits for the run (at most
   * 7 s), then closes the HTTP server. The store is the caller's to close. Idempotent.
   */
  stop(reason = 'stop requested'): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    this.logger.info({ reason, running: this.lock.current }, 'dialsync daemon shutting down');
    // First: from here on nothing new is sent, whatever else is still winding down.
    this.abort.abort();
    this.http.stopAcceptingHooks();
    void this.batcher?.stop();
    if (this.accessTimer) clearInterval(this.accessTimer);
    this.accessTimer = null;
    const drained = await Promise.race([
      Promise.all([this.starting?.catch(() => undefined), this.schedule?.stop(), this.lock.close(), this.stopHookDrain()]).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_RUN_WAIT_MS).unref()),
    ]);
    if (!drained) this.logger.warn({ running: this.lock.current }, 'the run in progress did not stop in time; the next start settles its journal');
    // No full run starts any more: a Run now taken but not carried out goes back to wait for the next leader.
    this.settleFullRunWatchers(null);
    await Promise.race([this.runRequests.idle(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    // Freed at once rather than left to expire: another replica leads within a renewal interval.
    await this.election.stop();
    // Gone from `dialsync status` at once (bounded: the database may be what is failing).
    await Promise.race([this.store.readiness.remove(this.readinessName).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await this.http.close();
    this.logger.info('dialsync daemon stopped');
  }

  private createHttpServer(hook: { path: string; handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void> } | undefined): DaemonHttpServer {
    return new DaemonHttpServer({
      host: this.settings.host,
      port: this.settings.port,
      metrics: this.metrics,
      readiness: () => this.ready(),
      hook,
      console: this.consoleOptions,
      limits: { maxConnections: this.settings.maxConnections },
      logger: this.logger,
    });
  }

  private async runReconcile(kind: DaemonRunKind, oktaUserIds?: string[]): Promise<void> {
    const run: { id: string | null } = { id: null };
    const started = kind === 'full' ? ++this.fullRunsStarted : 0;
    try {
      if (!(await this.reconcileOnce(kind, oktaUserIds, run))) this.unfinishedRuns += 1;
    } finally {
      if (kind === 'full') {
        this.settleFullRunWatchers(run.id, started);
        // Once after each full run that started, by the leader only: one replica deletes, the others only read.
        if (run.id !== null && this.election.leading) await pruneRunHistory(this.store, this.retentionDays, this.now(), this.logger.child({ component: 'history' }));
      }
    }
  }

  /**
   * One run; true when it covered its users (its record says succeeded or partial, and no lost lease, shutdown or
   * systemic failure left actions undone), false when it did not run, failed as a whole or left them undone.
   * `run.id` is set to the run's id as it starts (it stays null when the run does not start).
   */
  private async reconcileOnce(kind: DaemonRunKind, oktaUserIds: string[] | undefined, run: { id: string | null }): Promise<boolean> {
    if (this.abort.signal.aborted || this.credentialsRefused(`${kind} run`)) return false;
    if (!this.election.leading) {
      this.logger.info({ kind }, `${kind} run not started: another replica leads (it runs it)`);
      return false;
    }
    if (kind !== 'full' && this.backoff.active) {
      this.logger.info({ kind, users: oktaUserIds?.length ?? 0, causes: this.backoff.lastCauses }, `${kind} run paused by a systemic failure: the next full run covers its users`);
      return false;
    }
    if (kind === 'full') await this.refreshRelevance();
    const startedAt = this.now();
    const t0 = performance.now();
    const log = this.logger.child({ kind });
    log.info(oktaUserIds ? { users: oktaUserIds.length } : {}, `${kind} run starting`);
    // Chosen here, so a Run now learns which run carried it out even when the run fails as a whole.
    const runId = (this.reconcileDeps.newRunId ?? randomUUID)();
    run.id = runId;
    try {
      const report = await reconcile({ ...this.reconcileDeps, newRunId: () => runId, logger: log }, { apply: true, kind, onlyOktaUserIds: oktaUserIds, signal: this.abort.signal });
      const actions = report.result?.actions ?? [];
      const outcome = leftActionsUndone(report.outcome) ? 'partial' : 'succeeded';
      const seconds = (performance.now() - t0) / 1000;
      this.metrics.recordActions(actions);
      this.metrics.recordRun(kind, outcome, seconds, this.now());
      this.readiness.recordRun(outcome, startedAt, null);
      this.readiness.setProblem('tenant_mismatch', null);
      // A run cut short by a lost lease says nothing about the APIs (its writes in flight while it was paused timed
      // out): the leader now judges them.
      if (report.outcome !== 'lease_lost') this.afterRun(report.systemic.map((failure) => failure.code));
      this.metrics.setManagedUsers((await this.store.links.all()).length);
      log.info({ runId: report.runId, outcome, seconds: Math.round(seconds * 1000) / 1000, actions: actions.length, failedUsers: report.result?.failedUsers.length ?? 0 }, `${kind} run ${outcome}`);
      return report.outcome !== 'lease_lost' && report.outcome !== 'interrupted' && report.outcome !== 'systemic';
    } catch (error) {
      const message = describeError(error);
      if (this.abort.signal.aborted) {
        // Cut short by the shutdown (a read aborted): not a failing API, so readiness and metrics are left alone.
        log.info({ err: { message } }, `${kind} run interrupted by shutdown`);
        return false;
      }
      this.metrics.recordRun(kind, 'failed', (performance.now() - t0) / 1000, this.now());
      this.readiness.recordRun('failed', startedAt, message);
      // Both tenants were logged by the check; the daemon stays up, unready, and checks again on every run.
      if (error instanceof TenantMismatchError) this.readiness.setProblem('tenant_mismatch', message);
      if (kind === 'incremental') this.incrementalFailures += 1;
      log.error({ err: { message } }, `${kind} run failed: ${message}`);
      // A run that failed as a whole for a credential, an outage or the rate limit is a systemic failure too.
      const cause = failureCauseOf(error);
      if (cause.class !== 'data') this.afterRun([cause.code]);
      return false;
    }
  }

  /**
   * A follower runs nothing, so it would never see a systemic failure clear: on losing the lead it forgets it (the
   * backoff, its retry and the readiness reason); the leader judges the APIs from its own runs.
   */
  private forgetSystemicFailure(): void {
    this.backoff.recordRun([], this.now());
    this.readiness.setProblem('systemic_failure', null);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Feeds the backoff and /readyz with a finished run's systemic cause codes (none: healthy), and sets the retry. */
  private afterRun(causes: readonly string[]): void {
    const wasActive = this.backoff.active;
    const delayMs = this.backoff.recordRun(causes, this.now());
    this.readiness.setProblem('systemic_failure', this.backoff.active ? `the last run failed for a cause its users shared: ${causes.join(', ')} (see dialsync status)` : null);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (delayMs === null) {
      if (wasActive) this.logger.info('the systemic failure is over: incremental and hook runs resume');
      return;
    }
    this.logger.warn({ causes, retryInSeconds: delayMs / 1000 }, `systemic failure (${causes.join(', ')}): next full run in ${Math.round(delayMs / 60_000)} min; incremental and hook runs pause until a run is healthy`);
    this.armRetry(delayMs);
  }

  /** The extra full run of the backoff; one that did not run (credentials refused, a run going) is tried again as late. */
  private armRetry(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopping) return;
      void this.requestFull().then(() => {
        if (!this.stopping && this.backoff.active && this.retryTimer === null) this.armRetry(delayMs);
      });
    }, delayMs);
    this.retryTimer.unref();
  }

  /** The credentials checked again; /readyz reports the result. */
  private async checkAccess(): Promise<void> {
    const check = async (side: AccessSide, run: () => Promise<void>): Promise<void> => {
      try {
        await run();
        this.readiness.recordAccess(side, null);
      } catch (error) {
        const message = describeError(error);
        this.readiness.recordAccess(side, error);
        this.logger.warn({ side, err: { message } }, `${side === 'okta' ? 'Okta' : 'Dialpad'} access check failed: ${message}`);
      }
    };
    await Promise.all([check('okta', () => this.gateways.okta.checkAccess()), check('dialpad', () => this.gateways.dialpad.checkAccess())]);
    // Also without a probe asking: the verdict reaches the log and `dialsync status` after every check.
    await this.ready();
  }

  /**
   * True while the last access check found the Okta or Dialpad credentials refused (401/403): nothing else is
   * sent with them, as every request would be refused again; the next access check (every
   * daemon.accessCheckIntervalSeconds) tells when they are accepted.
   */
  private credentialsRefused(what: string): boolean {
    const refused = this.refusedCredentials();
    if (refused.length === 0) return false;
    this.logger.warn({ reasons: refused }, `${what} not started: the credentials were refused at the last access check`);
    return true;
  }

  /** The readiness reasons of credentials refused at the last access check (empty when none was). */
  private refusedCredentials(): string[] {
    return this.readiness.verdict(this.now()).reasons.filter((reason) => reason === 'okta_credentials' || reason === 'dialpad_credentials');
  }

  /**
   * The app's groups, the scoping groups and dialsync's own actor id, for telling which Okta events concern the
   * app: joining or leaving a scoping group brings a user into scope or takes it out.
   */
  private async refreshRelevance(): Promise<void> {
    if (this.credentialsRefused("reading the app's groups")) return;
    try {
      const scopeGroups = this.reconcileDeps.rules.scope.groups;
      const [groups, scoping, self] = await Promise.all([
        this.gateways.okta.listAppGroupIds(),
        scopeGroups.length === 0 ? Promise.resolve([]) : this.gateways.okta.resolveGroups(scopeGroups),
        this.gateways.okta.whoAmI(),
      ]);
      this.appGroupIds.clear();
      for (const id of groups) this.appGroupIds.add(id);
      for (const group of scoping) this.appGroupIds.add(group.id);
      if (self !== null && !this.selfActorIds.has(self)) {
        this.selfActorIds.add(self);
        this.incremental?.addSelfActorId(self);
      }
    } catch (error) {
      this.logger.warn({ err: { message: describeError(error) } }, "could not read the app's groups from Okta; group membership changes wait for the next full run");
    }
    try {
      await this.store.hookEvents.prune(new Date(this.now().getTime() - HOOK_EVENT_RETENTION_MS));
      await this.store.readiness.prune(READINESS_PREFIX, new Date(this.now().getTime() - READINESS_RETENTION_MS));
    } catch (error) {
      this.logger.warn({ err: { message: describeError(error) } }, 'could not prune old event hook ids and readiness rows');
    }
  }
}
