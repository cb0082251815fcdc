// dialsync daemon: the long-running service (schedule, System Log polling, event hooks, /healthz, /readyz,
// /metrics). Logs go to stdout, JSON unless stdout is a terminal. SIGTERM or SIGINT stops it cleanly (exit 0).
import type { Command } from 'commander';
import { loadDaemonConfig, readRawConfigFile } from '../../config/load.js';
import { effectiveSettings } from '../../config/settings-sources.js';
import { buildDaemon } from '../../daemon/build-daemon.js';
import { createLogger } from '../../log/logger.js';
import { logDestination } from '../../log/pretty-stream.js';
import { EXIT } from '../exit-codes.js';
import { waitForSignal } from '../shutdown-signal.js';
import { withRuntime, type CliIo } from '../runtime.js';

interface DaemonFlags {
  config?: string;
}

/**
 * Adds `dialsync daemon` to `program`: builds the daemon (buildDaemon), starts it and runs until SIGTERM or SIGINT,
 * then stops it and closes the store. Reports through `setExitCode`: 0 after a clean stop, 2 a configuration
 * error, else exitCodeFor of what failed (the port cannot be bound: 4).
 */
export function registerDaemonCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('daemon')
    .description('Run as a service: full reconciliations on a schedule, incremental ones from the Okta System Log (and event hooks), with /healthz, /readyz and /metrics.')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it)')
    .addHelpText(
      'after',
      '\nSeveral replicas may share one database (PostgreSQL, or one SQLite file): the one that holds the run lock leads and runs the reconciliations; the others follow, stay ready, accept event hooks into the queue and take over within lock.ttlSeconds (default 15) when the leader stops renewing. `dialsync status` names the leader; /metrics has dialsync_leader.\nStops cleanly on SIGTERM or SIGINT (exit 0), freeing the run lock at once. Configuration: the daemon and lock blocks of the config file, see the README.\nExit codes: 0 stopped cleanly (SIGTERM or SIGINT), 2 configuration error, 4 could not start (the port is in use, or the database could not be opened). Refused credentials do not stop it: /readyz reports them.',
    )
    .action(async (flags: DaemonFlags) => {
      setExitCode(
        await withRuntime(io, flags.config, false, async ({ config, store }) => {
          const logger = createLogger(config.logLevel, logDestination(io.stdout), config.redactor);
          // The console's settings page says where each value came from: the file as written, the environment.
          const file = flags.config === undefined ? {} : readRawConfigFile(flags.config);
          const settings = () => effectiveSettings({ file, env: io.env, config });
          const daemon = buildDaemon({ config, store, logger, settings });
          const signalled = waitForSignal();
          // Said in the shutdown line: a daemon that could not start (a port in use) was not stopped by a signal.
          let reason = 'signal';
          try {
            // A signal during start (its access checks may be retrying an unreachable API) stops it at once.
            const starting = daemon.start();
            const early = await Promise.race([starting.then(() => null), signalled.promise]);
            if (early !== null) starting.catch(() => undefined);
            const signal = early ?? (await signalled.promise);
            logger.info({ signal }, `received ${signal}`);
          } catch (error) {
            reason = 'could not start';
            throw error;
          } finally {
            signalled.dispose();
            await daemon.stop(reason);
          }
          return EXIT.ok;
        }, { load: loadDaemonConfig }),
      );
    });
}
