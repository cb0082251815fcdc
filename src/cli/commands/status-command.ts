// `dialsync status`: what the store remembers (last runs, failing and quarantined users, the incremental checkpoint,
// daemon readiness, tenant pin). Reads only the store, neither reading credentials nor contacting an API, so it
// still answers when the credentials are missing or broken.
import type { Command } from 'commander';
import { SYSTEM_LOG_CHECKPOINT } from '../../okta/system-log.js';
import { RUN_LOCK, type LeaseInfo } from '../../store/leases.js';
import type { ReadinessRecord } from '../../store/readiness.js';
import type { RunRecord } from '../../store/runs.js';
import type { Store } from '../../store/store.js';
import type { TenantPin } from '../../store/tenant-pins.js';
import type { UserError } from '../../store/user-errors.js';
import { formatDuration } from '../../timing/format-duration.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../plan-table.js';
import { withStoreRuntime, type CliIo } from '../runtime.js';
import { renderTenantPins } from '../tenant-text.js';

interface StatusFlags {
  config?: string;
  json: boolean;
  runs: string;
}

/** A recorded run as `dialsync status` shows it. */
export interface RunStatus extends RunRecord {
  /** Finished runs: how long they took; a run still going: how long it has been going (ms; null if unreadable). */
  durationMs: number | null;
}

/** What `dialsync status` shows, and prints with --json. */
export interface StatusReport {
  runs: RunStatus[];
  /** Users whose last run failed, newest failure first (each with its cause code); released users are left out. */
  failingUsers: UserError[];
  /** Users failing so many runs in a row (safety.quarantineAfter) that runs leave them alone; 0 turns it off. */
  quarantineAfter: number;
  /** The failing users runs leave alone now (docs/rules.md#safety), until released or their Okta data changes. */
  quarantined: UserError[];
  /** The Okta System Log cursor of the incremental cycle, or null before the first cycle. */
  checkpoint: { name: string; value: string; updatedAt: string | null } | null;
  /**
   * The daemon's last readiness check (the most recent of any replica's), with the details /readyz leaves out; null
   * when no daemon ran.
   */
  daemonReadiness: ReadinessRecord | null;
  /**
   * Each daemon replica that checked its readiness in the last hour (`daemon@<host>:<pid>`), the most recent first,
   * and whether it holds the run lock (leads).
   */
  replicas: (ReadinessRecord & { leader: boolean })[];
  /**
   * The database-wide run lock: who holds it (the leading daemon replica, or a reconcile --apply), where, since when
   * and until when unless renewed; null when no process ever took it. `expired` true: nobody holds it now.
   */
  runLock: LeaseInfo | null;
  /** The tenant pins, newest (in force) first; empty before the first apply. Re-pins are `repin` runs in `runs`. */
  tenantPins: TenantPin[];
}

/**
 * Adds `dialsync status` to `program`: reads the store only (no credentials, no API) and prints readStatus's
 * report. Reports through `setExitCode`: 0 shown, 2 a bad --runs, a configuration error or no database yet.
 */
export function registerStatusCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('status')
    .description('Show the last runs, the users currently failing and the quarantined ones (each with its cause code), the incremental checkpoint, the daemon\'s last readiness check, who holds the run lock (the leader) and the tenant pin. Reads only the database: needs no credentials.')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it)')
    .option('--json', 'print the status as JSON on stdout', false)
    .option('--runs <n>', 'how many recent runs to show', '10')
    .addHelpText('after', '\nExit codes: 0 status shown, 2 configuration or usage error, or there is no database yet, 4 the database could not be opened or read.')
    .action(async (flags: StatusFlags) => {
      const limit = Number(flags.runs);
      if (!Number.isInteger(limit) || limit < 1) {
        io.stderr.write(`dialsync: --runs must be a positive whole number, not "${flags.runs}"\n`);
        setExitCode(EXIT.config);
        return;
      }
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ config, store }) => {
          const report = await readStatus(store, { runLimit: limit, quarantineAfter: config.safety.quarantineAfter, now: new Date() });
          io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderStatus(report)}\n`);
          return EXIT.ok;
        }),
      );
    });
}

/**
 * Reads the status from the store: the `runLimit` newest runs (durations up to `now`), the failing and quarantined
 * users (quarantined after `quarantineAfter` failing runs in a row), the System Log checkpoint, the daemon's last
 * readiness check and the tenant pins. Throws what the store throws.
 */
export async function readStatus(store: Store, options: { runLimit: number; quarantineAfter: number; now: Date }): Promise<StatusReport> {
  const [runs, failingUsers, quarantined, checkpoint, checkpointAt, readinessRows, tenantPins, runLock] = await Promise.all([
    store.runs.recent(options.runLimit),
    store.userErrors.failing(),
    store.userErrors.quarantined(options.quarantineAfter),
    store.checkpoints.get(SYSTEM_LOG_CHECKPOINT),
    store.checkpoints.updatedAt(SYSTEM_LOG_CHECKPOINT),
    store.readiness.named('daemon', new Date(0)),
    store.tenantPins.history(TENANT_PIN_HISTORY),
    store.leases.current(RUN_LOCK),
  ]);
  // One read of every replica's verdict: the newest is the daemon's readiness, the recent ones are the replicas.
  const windowStart = new Date(options.now.getTime() - REPLICA_WINDOW_MS).toISOString();
  const recent = readinessRows.filter((record) => record.checkedAt >= windowStart);
  const leaderName = runLock && !runLock.expired && runLock.holder.kind === 'daemon' ? `daemon@${runLock.holder.host}:${runLock.holder.pid}` : null;
  const replicas = recent.map((record) => ({ ...record, leader: record.name === leaderName }));
  return {
    runs: runs.map((run) => ({ ...run, durationMs: durationOf(run, options.now) })),
    failingUsers,
    quarantineAfter: options.quarantineAfter,
    quarantined,
    checkpoint: checkpoint === null ? null : { name: SYSTEM_LOG_CHECKPOINT, value: checkpoint, updatedAt: checkpointAt },
    daemonReadiness: readinessRows[0] ?? null,
    replicas,
    runLock,
    tenantPins,
  };
}

/** Replicas that checked their readiness within this long are listed (each checks at least every few minutes). */
const REPLICA_WINDOW_MS = 3600 * 1000;

/** Pins shown: the one in force and the ones before it. */
const TENANT_PIN_HISTORY = 5;

function durationOf(run: RunRecord, now: Date): number | null {
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt === null ? now.getTime() : Date.parse(run.finishedAt);
  return Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, end - start);
}

export { formatDuration };

/** The status as text: the runs table, failing and quarantined users with their cause codes, checkpoint, readiness, pin. */
export function renderStatus(report: StatusReport): string {
  const out: string[] = [];
  if (report.runs.length === 0) {
    out.push('No runs yet: run `dialsync reconcile` (a dry run) or `dialsync reconcile --apply`.');
  } else {
    out.push(`Last runs (${report.runs.length})`);
    out.push(
      ...table(
        ['STARTED', 'KIND', 'MODE', 'DURATION', 'OUTCOME', 'ASSIGNED', 'PLANNED', 'DONE', 'FAILED', 'SKIPPED'],
        report.runs.map((run) => [
          run.startedAt,
          run.kind,
          run.apply ? 'apply' : 'dry run',
          run.finishedAt === null ? `${formatDuration(run.durationMs)} so far` : formatDuration(run.durationMs),
          run.error ? `${run.outcome}: ${run.error}` : run.outcome,
          count(run.assignments),
          count(run.plannedActions),
          count(run.succeededActions),
          count(run.failedActions),
          count(run.skippedUsers),
        ]),
      ),
    );
  }
  out.push('');
  if (report.failingUsers.length === 0) {
    out.push('Failing users: none');
  } else {
    out.push(`Failing users (${report.failingUsers.length})`);
    out.push(
      ...table(
        ['USER', 'ACTION', 'RUNS IN A ROW', 'SINCE', 'REASON'],
        report.failingUsers.map((user) => [userName(user), user.action, String(user.consecutiveFailures), user.firstFailedAt, `${user.message}${causeText(user)}`]),
      ),
    );
  }
  if (report.quarantined.length > 0) {
    out.push('');
    out.push(`Quarantined: failing ${report.quarantineAfter} or more runs in a row, left alone until their Okta data changes or \`dialsync release EMAIL\` (${report.quarantined.length})`);
    for (const user of report.quarantined) out.push(`  ${userName(user)}${causeText(user)}`);
    out.push('  (`dialsync release --cause CODE` releases every user with the cause code in brackets)');
  }
  out.push('');
  out.push(
    report.checkpoint === null
      ? 'Incremental checkpoint: no checkpoint yet'
      : `Incremental checkpoint (Okta System Log): ${report.checkpoint.value}${report.checkpoint.updatedAt ? ` (saved ${report.checkpoint.updatedAt})` : ''}`,
  );
  out.push('', renderRunLock(report.runLock));
  const readiness = report.daemonReadiness;
  if (report.replicas.length > 1) {
    out.push('', `Daemon replicas (checked in the last hour: ${report.replicas.length})`);
    out.push(
      ...table(
        ['REPLICA', 'ROLE', 'CHECKED', 'READINESS'],
        report.replicas.map((replica) => [replica.name.replace(/^daemon@/, ''), replica.leader ? 'leader' : 'follower', replica.checkedAt, replica.ready ? 'ready' : `unready: ${replica.problems.map((p) => p.reason).join(', ')}`]),
      ),
    );
    for (const replica of report.replicas.filter((r) => !r.ready)) {
      out.push('', `${replica.name.replace(/^daemon@/, '')}:`, ...table(['REASON', 'DETAIL'], replica.problems.map((problem) => [problem.reason, problem.detail])));
    }
  } else if (readiness !== null) {
    out.push('');
    out.push(`Daemon readiness (checked ${readiness.checkedAt}): ${readiness.ready ? 'ready' : `unready (${readiness.problems.length})`}`);
    if (!readiness.ready) out.push(...table(['REASON', 'DETAIL'], readiness.problems.map((problem) => [problem.reason, problem.detail])));
  }
  out.push('', ...renderTenantPins(report.tenantPins));
  return out.join('\n');
}

/** Who leads: the run lock's holder, or that nobody holds it. */
function renderRunLock(lock: LeaseInfo | null): string {
  if (lock === null) return 'Run lock: never taken (no daemon has led and no reconcile --apply has run on this database)';
  const { holder } = lock;
  const what = holder.kind === 'daemon' ? 'the dialsync daemon' : holder.kind === 'apply' ? 'dialsync apply (a plan file)' : 'dialsync reconcile --apply';
  const who = `${what} on ${holder.host} (pid ${holder.pid})`;
  // The release itself is not timed; its last renewal is.
  if (lock.released) return `Run lock: free (released by ${who}, token ${lock.token}, last renewed ${lock.renewedAt})`;
  if (lock.expired) return `Run lock: free (last held by ${who}, token ${lock.token}, until ${lock.expiresAt})`;
  return `Run lock: held by ${who}${holder.kind === 'daemon' ? ', the leader' : ''} since ${lock.acquiredAt}, renewed ${lock.renewedAt}, expires ${lock.expiresAt} unless renewed (token ${lock.token})`;
}

function userName(user: UserError): string {
  return user.email ?? user.oktaUserId ?? user.userKey;
}

/** " [dialpad.bad_request]": the code `dialsync release --cause` takes; nothing for a failure recorded without one. */
function causeText(user: UserError): string {
  return user.cause ? ` [${user.cause}]` : '';
}

function count(n: number | undefined): string {
  return n === undefined ? '-' : String(n);
}
