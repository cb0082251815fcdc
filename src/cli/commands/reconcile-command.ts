// `dialsync reconcile`: one run from the command line, a dry run unless --apply; prints the plan and the result.
import { Option, type Command } from 'commander';
import type { Config } from '../../config/load.js';
import type { HeldLease } from '../../lease/run-lease.js';
import { reconcile } from '../../reconcile/reconcile.js';
import { buildGateways, buildReconcileDeps } from '../../wiring/build.js';
import { checkAccess } from '../access-check.js';
import { EXIT, exitCodeOfRun } from '../exit-codes.js';
import { configChecksum } from '../../plan-file/plan-file.js';
import { planFileDestinationProblem, planFileOf, planFileReplaceProblem, writePlanFile } from '../../plan-file/write-plan-file.js';
import { configuredTenant } from '../../reconcile/tenant-guard.js';
import { renderHeldBack } from '../held-back-text.js';
import { renderPlanFileWritten } from '../plan-file-text.js';
import { holdRunLock, parseLockWait } from '../hold-run-lock.js';
import { renderPlan, renderResult } from '../plan-table.js';
import { renderTenantReport } from '../tenant-text.js';
import { createProgress } from '../progress.js';
import { withRuntime, type CliIo } from '../runtime.js';
import { ShutdownError, waitForSignal } from '../shutdown-signal.js';
import { renderQuarantineStall, renderSystemic } from '../systemic-text.js';

interface ReconcileFlags {
  config?: string;
  apply: boolean;
  json: boolean;
  user?: string;
  policy?: Config['rules']['policy'];
  allowMassChanges: boolean;
  lockWait?: number;
  out?: string;
}

/**
 * Adds `dialsync reconcile` to `program`: checks access, runs reconcile() once with the command's flags and prints
 * the report (tables, or the ReconcileReport as JSON with --json). Reports through `setExitCode`: exitCodeOfRun
 * of the run's outcome (0, 1, 5, 6, 7), or exitCodeFor of what it threw (2, 3, 4, 8); 2 before anything is read for
 * --lock-wait without --apply (a dry run takes no lock, so the wait would be ignored), for --out with --apply (a
 * plan file is a dry run's), and for an --out the plan file cannot be written to (a folder, a missing or unwritable
 * folder, `-`) or must not replace (the database or config file in use, a file that is not a plan file). With --out
 * the dry run's plan is written as a plan file (plan-file/write-plan-file.ts).
 */
export function registerReconcileCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('reconcile')
    .description('Read Okta and Dialpad, print the plan, and (with --apply) carry it out. Without --apply nothing is changed.')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it)')
    .option('--apply', 'carry out the plan (default: dry run, nothing is changed)', false)
    .option('--json', 'print the plan and the result as JSON on stdout', false)
    .option('--user <email>', 'limit the run to one user (Okta login or email)')
    .addOption(new Option('--policy <policy>', 'override the policy for this run').choices(['sync', 'upsert-only', 'create-only']))
    .option('--allow-mass-changes', 'let this run suspend or delete past the mass-change guard and the source health gate', false)
    .option('--out <file>', 'dry run only: also write the plan to <file>, a plan file for `dialsync apply` (see `dialsync apply --help`); replaces an earlier plan file there, never another file')
    .option('--lock-wait <seconds>', 'with --apply: seconds to wait for the run lock another process holds (default lock.waitSeconds, 0: refuse at once)', parseLockWait)
    .addHelpText(
      'after',
      '\nWith --out: the plan is made as --allow-mass-changes would make it, and the file records what the mass-change guard and the source health gate would have held (applying the file approves it; the run exits 0, not 5).\nExit codes: 0 done, 1 some users failed (or every planned user is quarantined), 2 configuration or usage error (--lock-wait without --apply included), or an --out that names a folder, a missing or unwritable folder, -, the database or config file in use, or an existing file that is not a plan file (checked before anything is contacted; the file is left as it was), 3 credentials or access refused, or not the Dialpad company or Okta app the database is pinned to (see `dialsync repin --help`), 4 the run failed, 5 suspends, deletes or re-creations held back by the mass-change guard, the source health gate or the Dialpad health gate, 6 a systemic failure (a cause the run\'s users shared: reported once, with what to do), 7 some assigned users left without a Dialpad user because another user holds their email (the output says what to do), 8 with --apply: the run lock is held by another process (a leading daemon, another reconcile --apply; the message says which, where and since when) and nothing was written, or this run lost it and wrote nothing more.\nSIGTERM or SIGINT: no new action starts, the write in flight finishes and is journaled, then it exits (1, or 4 while still reading); the next run does the rest. A second signal stops it at once.\nConfiguration: see the README (OKTA_ORG_URL, OKTA_APP_ID, OKTA_API_TOKEN, DIALPAD_API_KEY, ...).',
    )
    .action(async (flags: ReconcileFlags) => {
      // A dry run takes no lock, so a wait for one would be ignored without a word: say so instead.
      if (flags.lockWait !== undefined && !flags.apply) {
        io.stderr.write('dialsync reconcile: --lock-wait is only for --apply (a dry run takes no run lock): add --apply or drop --lock-wait\n');
        setExitCode(EXIT.config);
        return;
      }
      // A plan file is a dry run's plan, applied later by `dialsync apply`.
      if (flags.out !== undefined && flags.apply) {
        io.stderr.write('dialsync reconcile: --out writes the plan of a dry run for `dialsync apply`: drop --apply, or drop --out\n');
        setExitCode(EXIT.config);
        return;
      }
      const out = flags.out;
      // Where the plan file goes is checked before anything is contacted: a run is not spent on a plan it cannot keep.
      const outProblem = out === undefined ? null : await planFileDestinationProblem(out);
      if (outProblem !== null) {
        setExitCode(refuseOut(io, flags.json, outProblem) ?? EXIT.config);
        return;
      }
      setExitCode(
        await withRuntime(io, flags.config, flags.json, async ({ config, logger, store }) => {
          // The config as written: `dialsync apply` compares the file with it (a --policy, narrower or wider, is only this plan's).
          const planConfig = configChecksum(config.rules, config.safety, configuredTenant(config.okta));
          if (flags.policy) config.rules.policy = flags.policy;
          // SIGTERM or SIGINT (a CronJob's stop, Ctrl-C): no new action starts, reads and waits end at once, and a
          // write in flight has its grace to finish and be journaled; the next run does the rest. A second one ends
          // the process at once (the journal still settles that run's writes).
          const stop = new AbortController();
          const signalled = waitForSignal();
          let received: NodeJS.Signals | null = null;
          void signalled.promise.then((signal) => {
            received = signal;
            io.stderr.write(`dialsync: ${signal}: stopping after the write in flight (the next run does the rest; send it again to stop at once)\n`);
            stop.abort();
          });
          const progress = createProgress(io.stderr, flags.json);
          let report;
          let lease: HeldLease | null = null;
          try {
            // One process at a time applies to a database, whatever started it; a dry run writes nothing and needs no lock.
            if (flags.apply) lease = await holdRunLock({ store, config, logger, io, signal: stop.signal }, flags.lockWait ?? config.lock.waitSeconds);
            const gateways = buildGateways(config, logger, { stop: stop.signal, writeGate: () => store.journal.checkFence() });
            await checkAccess(gateways).catch((error: unknown) => {
              // Cut off by the signal, not refused: not an access problem (exit 3) but a stopped run (exit 4).
              throw received !== null ? new ShutdownError(received, 'while checking access') : error;
            });
            report = await reconcile(
              buildReconcileDeps(config, { gateways, store, logger }),
              {
                apply: flags.apply,
                onlyEmail: flags.user,
                allowMassChanges: flags.allowMassChanges,
                onPhase: (phase) => progress.onPhase(phase),
                onProgress: (done, total) => progress.onProgress(done, total),
                signal: stop.signal,
                ...(out === undefined
                  ? {}
                  : {
                      gatesDecidedNow: true,
                      onPlanned: async (planned) => {
                        // The database's pin: the file is for this database only, and the pin knows the Okta org's id
                        // (a dry run reads it only to pin).
                        const pin = await store.tenantPins.current();
                        const known = pin !== null && planned.tenant.oktaOrgId === null && pin.oktaOrgUrl === planned.tenant.oktaOrgUrl;
                        const tenant = known ? { ...planned.tenant, oktaOrgId: pin.oktaOrgId } : planned.tenant;
                        const file = planFileOf({ ...planned, tenant }, config.rules, { configChecksum: planConfig, createdAt: new Date(), pinnedAt: pin?.pinnedAt ?? null });
                        await writePlanFile(out, file);
                      },
                    }),
              },
            );
          } finally {
            signalled.dispose();
            progress.finish();
            store.journal.fenceWith(null);
            await lease?.release().catch((error: unknown) => logger.warn({ err: error }, 'could not release the run lock (it expires by itself)'));
          }
          if (report.outcome === 'lease_lost') io.stderr.write(`dialsync: ${lease?.invalidReason ?? 'the run lock was lost'}: this run wrote nothing more; the process that holds the lock now does the rest\n`);
          if (flags.json) {
            io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          } else {
            io.stdout.write(`${renderPlan(report)}\n`);
            if (report.result) io.stdout.write(`\n${renderResult(report.result)}\n`);
            else if (out !== undefined) io.stdout.write(`\n${renderPlanFileWritten(out, report.held)}\n`);
            else io.stdout.write('\nDry run: nothing was changed. Run `dialsync reconcile --apply` to carry out this plan.\n');
            if (report.held.length > 0 && out === undefined) io.stdout.write(`\n${renderHeldBack(report.held, report.apply)}\n`);
            if (report.tenant.status !== 'matched') io.stdout.write(`\n${renderTenantReport(report.tenant)}\n`);
            if (report.systemic.length > 0) io.stdout.write(`\n${renderSystemic(report.systemic)}\n`);
          }
          if (report.quarantineStall > 0) io.stderr.write(`dialsync: ${renderQuarantineStall(report.quarantineStall)}\n`);
          if (out !== undefined && flags.json) io.stderr.write(`dialsync: ${renderPlanFileWritten(out, report.held)}\n`);
          // A plan file holds what the gates would have held: applying it is the approval, so nothing is held now.
          return exitCodeOfRun(report.outcome, report.held.length > 0 && out === undefined);
        }, {
          // What --out would replace is known once the config says which database and config file are in use.
          beforeStore: async (config) => (out === undefined ? null : refuseOut(io, flags.json, await planFileReplaceProblem(out, { database: config.database, configFile: flags.config }))),
        }),
      );
    });
}

/**
 * Prints why the plan file is not written at --out (on stderr, and with --json as `{ error: { message, exitCode } }`
 * on stdout) and returns EXIT.config; null, printing nothing, when there is no problem.
 */
function refuseOut(io: CliIo, json: boolean, problem: string | null): number | null {
  if (problem === null) return null;
  if (json) io.stdout.write(`${JSON.stringify({ error: { message: problem, exitCode: EXIT.config } })}\n`);
  io.stderr.write(`dialsync reconcile: ${problem}\n`);
  return EXIT.config;
}
