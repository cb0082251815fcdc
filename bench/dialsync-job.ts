// dialsync's side of a benchmark run: the real config loader, gateways, store and reconcile loop (or the daemon),
// pointed at the sandboxes. Run in a child process (dialsync-child.ts) so its CPU time and peak RSS are its own.
import { performance } from 'node:perf_hooks';
import { loadConfig, type Config } from '../src/config/load.js';
import { buildDaemon } from '../src/daemon/build-daemon.js';
import type { Daemon } from '../src/daemon/daemon.js';
import { silentLogger } from '../src/log/logger.js';
import { reconcile } from '../src/reconcile/reconcile.js';
import type { Store } from '../src/store/store.js';
import { buildGateways, buildReconcileDeps, openStore } from '../src/wiring/build.js';

export interface DialsyncJob {
  /** The environment dialsync is configured from (OKTA_ORG_URL, ..., DIALSYNC_DATABASE). */
  env: Record<string, string>;
  /** A YAML config file (the daemon's settings), or none. */
  configFile?: string | undefined;
  /** dialpad.requestsPerSecond is multiplied by it, like the sandbox's budgets (Okta's share follows the headers). */
  timeScale: number;
}

export interface CpuSample {
  userMs: number;
  systemMs: number;
}

export interface PhaseTiming {
  wallMs: number;
  cpuMs: number;
}

export interface JobOutcome {
  wallMs: number;
  cpu: CpuSample;
  /** Peak resident set size of the process, MB. */
  maxRssMb: number;
  /** Full runs only: time spent in each phase (planning runs until applying starts; bookkeeping after apply is in 'applying'). */
  phases: Partial<Record<'settling' | 'reading' | 'planning' | 'applying', PhaseTiming>>;
  plannedActions: number;
  actions: Record<string, number>;
  failedUsers: number;
  skippedUsers: number;
  held: number;
  assignments: number;
}

export function benchConfig(job: DialsyncJob): Config {
  const config = loadConfig({ file: job.configFile, env: job.env });
  // Scaled like the sandbox's budgets: the share of the company budget dialsync keeps stays 15/20.
  config.dialpad.requestsPerSecond *= job.timeScale;
  return config;
}

function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function cpuSince(start: NodeJS.CpuUsage): CpuSample {
  const usage = process.cpuUsage(start);
  return { userMs: usage.user / 1000, systemMs: usage.system / 1000 };
}

/** One full reconciliation with --apply, as `dialsync reconcile --apply` runs it (without the access check). */
export async function runFullJob(job: DialsyncJob): Promise<JobOutcome> {
  const config = benchConfig(job);
  const logger = silentLogger();
  const store = await openStore(config);
  try {
    const gateways = buildGateways(config, logger);
    const phases: JobOutcome['phases'] = {};
    let current: { name: keyof JobOutcome['phases']; wall: number; cpu: number } | null = null;
    const closePhase = (): void => {
      if (current) phases[current.name] = { wallMs: performance.now() - current.wall, cpuMs: cpuNow() - current.cpu };
      current = null;
    };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await reconcile(
      buildReconcileDeps(config, { gateways, store, logger }),
      {
        apply: true,
        kind: 'reconcile',
        onPhase: (phase) => {
          closePhase();
          current = { name: phase, wall: performance.now(), cpu: cpuNow() };
        },
      },
    );
    closePhase();
    const wallMs = performance.now() - t0;
    const actions: Record<string, number> = {};
    for (const action of report.result?.actions ?? []) {
      const key = `${action.kind}:${action.outcome}`;
      actions[key] = (actions[key] ?? 0) + 1;
    }
    return {
      wallMs,
      cpu: cpuSince(cpu0),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      phases,
      plannedActions: report.result?.actions.length ?? 0,
      actions,
      failedUsers: report.result?.failedUsers.length ?? 0,
      skippedUsers: report.plan.skipped.length,
      held: report.held.length,
      assignments: report.counts.assignments,
    };
  } finally {
    await store.close();
  }
}

/** How long the incremental daemon may take to win the run lock of its own empty store, in ms. */
const ELECTION_WAIT_MS = 30_000;

/**
 * A started, leading daemon that polls only on request: the first pollOnce anchors the System Log cursor, the next
 * reads what changed. Only the leader polls, so it is started (its election takes the free run lock at once); its
 * own poll timer is set a day apart, its schedule once a year and its HTTP server on a free loopback port. Throws when it is not elected
 * within ELECTION_WAIT_MS.
 */
export async function openIncrementalDaemon(job: DialsyncJob): Promise<{ daemon: Daemon; store: Store }> {
  const config = benchConfig(job);
  config.daemon.host = '127.0.0.1';
  config.daemon.port = 0;
  config.daemon.pollIntervalSeconds = 86_400;
  // No scheduled full run while it is measured.
  config.daemon.schedule = '0 3 1 1 *';
  const store = await openStore(config);
  const daemon = buildDaemon({ config, store, logger: silentLogger(), runOnStart: false });
  await daemon.start();
  const deadline = performance.now() + ELECTION_WAIT_MS;
  while (!daemon.leading) {
    if (performance.now() > deadline) throw new Error(`the incremental daemon was not elected within ${ELECTION_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { daemon, store };
}

/** The daemon with event hooks, listening; no full run at start and no polling (the hook path alone is measured). */
export async function startHookDaemon(job: DialsyncJob): Promise<{ daemon: Daemon; store: Store; port: number }> {
  const config = benchConfig(job);
  const store = await openStore(config);
  const daemon = buildDaemon({ config, store, logger: silentLogger(), runOnStart: false });
  const address = await daemon.start();
  return { daemon, store, port: address.port };
}
