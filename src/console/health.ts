// What the overview says about the service's health: who leads, each replica's last readiness verdict, the last
// full and incremental run, why it is unready, and whether Okta and Dialpad accept the credentials. Read from the
// store (any replica sees the same) plus what the replica serving the page knows live from its own checks.
import { RUN_LOCK } from '../store/leases.js';
import type { ReadinessProblem } from '../store/readiness.js';
import type { RunRecord } from '../store/runs.js';
import type { Store } from '../store/store.js';

/** How the last access check of one side went: passed, credentials refused, failed otherwise, or not run yet. */
export type CredentialState = 'ok' | 'refused' | 'failed' | 'unchecked';

/** The last access check of Okta or Dialpad, with the detail behind a failure (never a secret: redacted text). */
export interface CredentialCheck {
  side: 'okta' | 'dialpad';
  state: CredentialState;
  detail: string | null;
}

/** One daemon replica's last readiness verdict (name `daemon@<host>:<pid>`), and whether it holds the run lock. */
export interface ReplicaHealth {
  name: string;
  leader: boolean;
  ready: boolean;
  /** ISO 8601. */
  checkedAt: string;
  problems: ReadinessProblem[];
}

/** The overview's health section (GET /api/overview `health`). */
export interface ConsoleHealth {
  /** The replica holding the run lock (`daemon@<host>:<pid>`), or null when no daemon leads. */
  leader: string | null;
  /** Replicas that checked their readiness in the last hour, the most recent first. */
  replicas: ReplicaHealth[];
  /** The last full run (kind `full`, or a `reconcile` from the command line when no daemon ran one), or null. */
  lastFull: RunRecord | null;
  /** The last incremental run (System Log or event hook), or null. */
  lastIncremental: RunRecord | null;
  /** Whether the replica serving the page is ready; null when nothing is known (no daemon checked yet). */
  ready: boolean | null;
  /** Why not ready, with each reason's detail (empty when ready). */
  reasons: ReadinessProblem[];
  /** The last Okta and Dialpad access checks. */
  credentials: CredentialCheck[];
}

/** What the daemon knows live (its ReadinessState verdict): the shape of daemon/readiness.ts ReadinessVerdict. */
export interface LiveReadiness {
  ready: boolean;
  problems: ReadinessProblem[];
}

/** Replicas that checked within this long are listed (each checks every few minutes at most). */
const REPLICA_WINDOW_MS = 3600 * 1000;

/**
 * Builds the health section from the store and `live()`: the serving replica's readiness verdict (the daemon's
 * `ready()`, which also records it), or null when it has none (then the leader's stored verdict, else the newest
 * replica's, stands in). `now` bounds the replica window (replicas that checked within the hour). Throws what the store or
 * `live` throws.
 */
export async function readConsoleHealth(store: Store, live: () => Promise<LiveReadiness | null> | LiveReadiness | null, now: Date): Promise<ConsoleHealth> {
  const since = new Date(now.getTime() - REPLICA_WINDOW_MS);
  // The live verdict first: the daemon's check records it, so the replicas read next include it.
  const current = await live();
  const [records, lock, full, reconcile, incremental, hook] = await Promise.all([
    store.readiness.named('daemon', since),
    store.leases.current(RUN_LOCK),
    store.runs.page({ limit: 1, offset: 0, kind: 'full' }),
    store.runs.page({ limit: 1, offset: 0, kind: 'reconcile' }),
    store.runs.page({ limit: 1, offset: 0, kind: 'incremental' }),
    store.runs.page({ limit: 1, offset: 0, kind: 'hook' }),
  ]);
  const leader = lock && !lock.expired && lock.holder.kind === 'daemon' ? `daemon@${lock.holder.host}:${lock.holder.pid}` : null;
  const replicas = records.map((record) => ({ ...record, leader: record.name === leader }));
  // Without a live verdict, the leader's (it runs the syncs), else the newest replica's, stands in.
  const stored = records.find((record) => record.name === leader) ?? records[0];
  const verdict = current ?? (stored ? { ready: stored.ready, problems: stored.problems } : null);
  return {
    leader,
    replicas,
    lastFull: full.runs[0] ?? reconcile.runs[0] ?? null,
    lastIncremental: newest(incremental.runs[0], hook.runs[0]),
    ready: verdict?.ready ?? null,
    reasons: verdict?.problems ?? [],
    credentials: verdict === null ? [] : [credentialCheck('okta', verdict.problems), credentialCheck('dialpad', verdict.problems)],
  };
}

/** One side's access check as readiness reasons tell it (daemon/readiness.ts: `<side>_credentials`, `_unchecked`, ...). */
export function credentialCheck(side: 'okta' | 'dialpad', problems: readonly ReadinessProblem[]): CredentialCheck {
  const mine = problems.find((problem) => problem.reason.startsWith(`${side}_`));
  if (mine === undefined) return { side, state: 'ok', detail: null };
  const state: CredentialState = mine.reason === `${side}_credentials` ? 'refused' : mine.reason === `${side}_unchecked` ? 'unchecked' : 'failed';
  return { side, state, detail: mine.detail };
}

function newest(a: RunRecord | undefined, b: RunRecord | undefined): RunRecord | null {
  if (a === undefined || b === undefined) return a ?? b ?? null;
  return a.startedAt >= b.startedAt ? a : b;
}
