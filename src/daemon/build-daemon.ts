// Wires a Daemon from the config: metered gateways tied to the daemon's stop signal, the System Log reader keeping
// its position in the store, and the reconcile dependencies from the composition root. The Daemon only runs.
import type { Config } from '../config/load.js';
import { effectiveSettings, type SettingRow } from '../config/settings-sources.js';
import { searchAssignedUsers } from '../console/assigned-user-search.js';
import type { ConsoleOptions } from '../console/console-plugin.js';
import type { ConsoleDeps } from '../console/console-deps.js';
import { readConsoleHealth, type LiveReadiness } from '../console/health.js';
import { explainOneUser } from '../reconcile/explain-user.js';
import type { Logger } from '../log/logger.js';
import { SystemLogSource } from '../okta/system-log.js';
import type { Store } from '../store/store.js';
import { buildReconcileDeps, type Gateways } from '../wiring/build.js';
import { Daemon, type IncrementalSource } from './daemon.js';
import { createMeteredGateways } from './metered-gateways.js';
import { DaemonMetrics } from './metrics.js';
import { nextFullRunAfter } from './schedule.js';

/** What buildDaemon takes: the loaded config, an open store (the caller closes it after stop()) and the logger. */
export interface BuildDaemonOptions {
  config: Config;
  store: Store;
  logger: Logger;
  /**
   * Wraps the metered gateways before anything uses them (tests: slow or failing ones). The wrapped gateways still
   * sit on clients built with the daemon's stop signal, so shutdown reaches them too.
   */
  wrapGateways?: (gateways: Gateways) => Gateways;
  /** Where incremental runs find their users; default the Okta System Log, read with the Okta client. */
  incrementalSource?: IncrementalSource;
  /** Default: new metrics, with the process metrics. */
  metrics?: DaemonMetrics;
  /** A full run right after start (default true). */
  runOnStart?: boolean;
  /** The clock (default the system's; tests pass their own). */
  now?: () => Date;
  /**
   * The effective settings with their sources, for the console's settings page; default: read from `config` alone
   * (every key counted as a default or the environment's). The daemon command passes the config file's contents.
   */
  settings?: () => SettingRow[];
}

/**
 * A Daemon built from the config, not started (call start(); stop() ends it, and the caller then closes the store).
 * Its gateways are metered (DaemonMetrics) and stopped by its shutdown; incremental runs read the Okta System Log
 * unless `incrementalSource` says otherwise. Contacts nothing; throws nothing for a loaded config.
 */
export function buildDaemon(options: BuildDaemonOptions): Daemon {
  const { config, store, logger } = options;
  const metrics = options.metrics ?? new DaemonMetrics();
  const stop = new AbortController();
  // Every write is gated by the journal's fence: a replica that does not lead (any more) sends nothing.
  const metered = createMeteredGateways(config, logger, metrics, stop.signal, () => store.journal.checkFence());
  const plain: Gateways = { okta: metered.okta, dialpad: metered.dialpad, throttled: metered.throttled, rates: metered.rates };
  const gateways = options.wrapGateways ? options.wrapGateways(plain) : plain;
  const incremental =
    options.incrementalSource ??
    new SystemLogSource({
      client: metered.oktaClient,
      orgUrl: config.okta.orgUrl,
      appId: config.okta.appId,
      checkpoints: store.checkpoints,
      logger: logger.child({ component: 'system-log' }),
    });
  const now = options.now ?? (() => new Date());
  // The console asks the daemon for its live readiness: bound once the daemon exists (below).
  let daemon: Daemon | null = null;
  const consoleOptions = buildConsoleOptions(config, {
    store,
    logger,
    now,
    explainGateways: gateways,
    settings: options.settings ?? (() => effectiveSettings({ file: {}, env: process.env, config })),
    live: async () => (daemon ? await daemon.ready() : null),
  });
  daemon = new Daemon({
    settings: config.daemon,
    appId: config.okta.appId,
    lock: config.lock,
    history: config.history,
    reconcileDeps: buildReconcileDeps(config, { gateways, store, logger }),
    incremental,
    metrics,
    stop,
    logger,
    ...(options.runOnStart !== undefined ? { runOnStart: options.runOnStart } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(consoleOptions ? { console: consoleOptions } : {}),
  });
  return daemon;
}

/**
 * The console the daemon serves, or undefined when `console.enabled` is false: its pages read the store, explain a
 * user and search the app's assigned users through the daemon's own (metered, rate-limited) gateways, and show this
 * replica's live readiness.
 */
function buildConsoleOptions(
  config: Config,
  parts: {
    store: Store;
    logger: Logger;
    now: () => Date;
    explainGateways: Gateways;
    settings: () => SettingRow[];
    live: () => Promise<LiveReadiness | null>;
  },
): ConsoleOptions | undefined {
  if (!config.console.enabled) return undefined;
  const { store, logger, now } = parts;
  const explainLogger = logger.child({ component: 'console-explain' });
  const deps: ConsoleDeps = {
    store,
    settings: parts.settings,
    explain: (email) => explainOneUser({ gateways: parts.explainGateways, store, config, logger: explainLogger }, email),
    health: () => readConsoleHealth(store, parts.live, now()),
    approvalTtlHours: config.safety.approvalHours,
    now,
    searchUsers: (q) => searchAssignedUsers(parts.explainGateways.okta, config.rules.mapping, q),
    nextFullRun: () => nextFullRunAfter(config.daemon.schedule, config.daemon.timezone, now()),
  };
  return { settings: config.console, deps, logger: logger.child({ component: 'console' }) };
}
