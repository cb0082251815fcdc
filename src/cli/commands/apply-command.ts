// `dialsync apply plan.json`: carries out a plan file `reconcile --out` wrote, for the users unchanged since.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { isPostgresDsn } from '../../config/postgres-dsn.js';
import type { HeldLease } from '../../lease/run-lease.js';
import { applyPlanFile, type PlanFileApplyReport } from '../../plan-file/apply-plan-file.js';
import { checkPlanFile, configChecksum, PlanFileRefusedError } from '../../plan-file/plan-file.js';
import { PLAN_FILE_MAX_BYTES, PlanFilePathError, readPlanFileJson } from '../../plan-file/read-plan-file.js';
import { configuredTenant, identityOf } from '../../reconcile/tenant-guard.js';
import { buildGateways, buildReconcileDeps } from '../../wiring/build.js';
import { checkAccess } from '../access-check.js';
import { cliActor } from '../cli-actor.js';
import { EXIT, exitCodeOfRun } from '../exit-codes.js';
import { holdRunLock, parseLockWait } from '../hold-run-lock.js';
import { renderPlanFileApplied } from '../plan-file-text.js';
import { createProgress } from '../progress.js';
import { withRuntime, type CliIo } from '../runtime.js';
import { ShutdownError, waitForSignal } from '../shutdown-signal.js';
import { renderSystemic } from '../systemic-text.js';

interface ApplyFlags {
  config?: string;
  json: boolean;
  lockWait?: number;
}

/**
 * Adds `dialsync apply <file>` to `program`: checks the plan file whole before anything is read from Okta or Dialpad
 * (exit 10 when refused), takes the run lock, applies the file (plan-file/apply-plan-file.ts) and prints the result
 * (as JSON with --json). Reports through `setExitCode`: 9 when some users were refused, else exitCodeOfRun of the
 * run's outcome (0, 1, 6, 8), or exitCodeFor of what it threw (2, 3, 4, 8, 10).
 */
export function registerApplyCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('apply')
    .argument('<file>', 'a plan file written by `dialsync reconcile --out <file>`')
    .description('Carry out a plan file written by `reconcile --out`: exactly its actions, for the users neither Okta nor Dialpad changed since.')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it); must be the config the plan was made with')
    .option('--json', 'print the result as JSON on stdout', false)
    .option('--lock-wait <seconds>', 'seconds to wait for the run lock another process holds (default lock.waitSeconds, 0: refuse at once)', parseLockWait)
    .addHelpText(
      'after',
      `\nThe file is refused whole (exit 10, nothing read from Okta or Dialpad, nothing written) when it is not a plan file, larger than ${PLAN_FILE_MAX_BYTES / 1024 / 1024} MiB or of an unknown version, was edited after it was written (its checksum, or actions without fingerprints), was made for another tenant (an Okta org or app other than the config's included), under another config (rules or safety settings: the message says which), against another database (another installation; a SQLite database that does not exist is not created), is dated more than 5 minutes in the future, or is older than planFile.maxAgeHours (default 24); with --json the error carries the reason (e.g. "reason": "too_old"). Otherwise the planned users are read again by id (never a full listing): a user whose Okta or Dialpad side changed since is refused and listed with what changed (exit 9); a user whose actions in the file are not what dialsync plans for it now (an edited file), or whose held suspend or delete was dismissed after the plan was made, is refused too; the others get exactly the actions of the file. Quarantine, the license caps and the seat check judge the planned users again on what is read now: what they held back when the file was made and hold now stays held (not applied); a user for whom one of them decides otherwise now (a seat taken or freed since) is refused, saying which and what it decides now (exit 9). A user already in step (for instance after this file was applied once) is reported as such and written nothing. The mass-change guard was decided when the file was made: applying it approves what the guard would have held.\nExit codes: 0 done, 1 some users failed, 2 configuration or usage error (no file at the path, a folder), 3 credentials or access refused, or not the pinned tenant, 4 the run failed, 6 a systemic failure, 8 the run lock is held by another process (a running daemon holds it for as long as it leads, idle or not, so --lock-wait cannot help: plan files are for installations run by a CronJob or the CLI, or stop the daemon, e.g. scale it to 0, for the apply), 9 some planned users refused (changed since the plan was made; the others applied), 10 the plan file refused whole.`,
    )
    .action(async (path: string, flags: ApplyFlags) => {
      let raw: unknown;
      // The file is looked at before the config or the store: a wrong path is a usage error (2), a file that is not a
      // plan is refused (10); either way nothing is contacted.
      try {
        raw = await readPlanFileJson(path);
      } catch (error) {
        if (!(error instanceof PlanFilePathError) && !(error instanceof PlanFileRefusedError)) throw error;
        setExitCode(reportUnapplied(io, flags.json, error));
        return;
      }
      setExitCode(
        await withRuntime(io, flags.config, flags.json, async ({ config, logger, store }) => {
          const pin = await store.tenantPins.current();
          // Whole-file checks first: a refused file costs no request and writes nothing.
          let file;
          try {
            file = checkPlanFile(raw, {
              configChecksum: configChecksum(config.rules, config.safety, configuredTenant(config.okta)),
              pinnedAt: pin?.pinnedAt ?? null,
              tenant: configuredTenant(config.okta),
              pinned: pin === null ? null : identityOf(pin),
              now: new Date(),
              maxAgeHours: config.planFile.maxAgeHours,
            });
          } catch (error) {
            if (!(error instanceof PlanFileRefusedError)) throw error;
            logger.error({ err: { message: error.message, code: error.code, reason: error.refusal } }, 'plan file refused');
            return reportUnapplied(io, flags.json, error);
          }
          const stop = new AbortController();
          const signalled = waitForSignal();
          let received: NodeJS.Signals | null = null;
          void signalled.promise.then((signal) => {
            received = signal;
            io.stderr.write(`dialsync: ${signal}: stopping after the write in flight (apply the file again to do the rest; send it again to stop at once)\n`);
            stop.abort();
          });
          const progress = createProgress(io.stderr, flags.json);
          let report: PlanFileApplyReport;
          let lease: HeldLease | null = null;
          try {
            lease = await holdRunLock({ store, config, logger, io, signal: stop.signal, kind: 'apply' }, flags.lockWait ?? config.lock.waitSeconds);
            const gateways = buildGateways(config, logger, { stop: stop.signal, writeGate: () => store.journal.checkFence() });
            await checkAccess(gateways).catch((error: unknown) => {
              throw received !== null ? new ShutdownError(received, 'while checking access') : error;
            });
            try {
              report = await applyPlanFile(buildReconcileDeps(config, { gateways, store, logger }), file, {
                actor: cliActor(io.env),
                signal: stop.signal,
                onProgress: (done, total) => progress.onProgress(done, total),
              });
            } catch (error) {
              if (!(error instanceof PlanFileRefusedError)) throw error;
              return reportUnapplied(io, flags.json, error);
            }
          } finally {
            signalled.dispose();
            progress.finish();
            store.journal.fenceWith(null);
            await lease?.release().catch((error: unknown) => logger.warn({ err: error }, 'could not release the run lock (it expires by itself)'));
          }
          if (report.outcome === 'lease_lost') io.stderr.write(`dialsync: ${lease.invalidReason ?? 'the run lock was lost'}: this run wrote nothing more; the process that holds the lock now does the rest\n`);
          if (flags.json) {
            io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          } else {
            io.stdout.write(`${renderPlanFileApplied(report)}\n`);
            if (report.systemic.length > 0) io.stdout.write(`\n${renderSystemic(report.systemic)}\n`);
          }
          const code = exitCodeOfRun(report.outcome, false);
          // Refused users win over a clean run only: a failure, a systemic cause or a lost lock says more.
          return code === EXIT.ok && report.refused.length > 0 ? EXIT.planUsersRefused : code;
        }, { beforeStore: (config) => missingDatabaseRefusal(io, flags.json, config.database) }),
      );
    });
}

/**
 * A plan file is applied only to the database it was made against: a SQLite file that does not exist is not it.
 * Refused (other_installation, exit 10) before the store is opened, so no empty database is created and migrated on
 * the way; null when the database exists, or is PostgreSQL (whose pin the whole-file checks compare).
 */
function missingDatabaseRefusal(io: CliIo, json: boolean, database: string): number | null {
  if (isPostgresDsn(database) || (database !== ':memory:' && existsSync(database))) return null;
  const refusal = new PlanFileRefusedError(
    'other_installation',
    `there is no database at ${database}: a plan file is applied only to the database it was made against (none was created); set DIALSYNC_DATABASE or database: to that one`,
  );
  return reportUnapplied(io, json, refusal);
}

/**
 * Prints why the file was not applied, on stderr and (with --json) as `{ error: { message, exitCode, reason } }` on
 * stdout, `reason` the refusal code (PlanFileRefusalCode, or `plan_file_path` for a usage error); returns the exit
 * code: 2 for a path that names no file, 10 for a file refused.
 */
function reportUnapplied(io: CliIo, json: boolean, error: PlanFilePathError | PlanFileRefusedError): number {
  const exitCode = error instanceof PlanFileRefusedError ? EXIT.planFileRefused : EXIT.config;
  const reason = error instanceof PlanFileRefusedError ? error.refusal : error.code;
  if (json) io.stdout.write(`${JSON.stringify({ error: { message: error.message, exitCode, reason } })}\n`);
  io.stderr.write(`dialsync apply: ${error.message}\n`);
  return exitCode;
}
