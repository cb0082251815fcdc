// `reconcile --out plan.json`: the plan file made from a dry run's input and plan, written whole or not at all.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isPostgresDsn } from '../config/postgres-dsn.js';
import type { HeldBack } from '../plan/safety/held-back.js';
import type { TenantIdentity } from '../plan/tenant-check.js';
import type { Plan, PlanInput, Rules } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import { PLAN_FILE_FORMAT, PLAN_FILE_VERSION, sealPlanFile, type ConfigChecksums, type PlanFile } from './plan-file.js';
import { readPlanFileJson } from './read-plan-file.js';
import { UserFingerprints } from './user-fingerprint-parts.js';

/** What a dry run hands the plan file: its input and plan (after the safety passes), and what the gates would have held. */
export interface PlannedRun {
  runId: string;
  tenant: TenantIdentity;
  input: PlanInput;
  plan: Plan;
  held: HeldBack[];
}

/**
 * The plan file of a dry run: its users' actions, each user's fingerprints of both sides as `input` held them, the
 * config checksum, the policy planned with (`rules.policy`), the tenant and the store's pin time, sealed with the
 * checksum. Pure.
 */
export function planFileOf(run: PlannedRun, rules: Rules, config: { configChecksum: ConfigChecksums; createdAt: Date; pinnedAt: string | null }): PlanFile {
  const fingerprints = new UserFingerprints(run.input, rules);
  return sealPlanFile({
    format: PLAN_FILE_FORMAT,
    version: PLAN_FILE_VERSION,
    createdAt: config.createdAt.toISOString(),
    runId: run.runId,
    tenant: run.tenant,
    configChecksum: config.configChecksum,
    policy: rules.policy,
    pinnedAt: config.pinnedAt,
    plan: run.plan.users,
    users: run.plan.users.map((user) => ({
      key: userKeyOf(user),
      oktaUserId: user.oktaUserId,
      dialpadUserId: user.dialpadUserId,
      email: user.email,
      fingerprint: fingerprints.of(user),
    })),
    held: run.held,
  });
}

/**
 * Writes `file` to `path` as JSON, atomically: to a temporary file beside it (mode 0600: it holds emails), flushed,
 * then renamed over `path`. A reader sees the old file or the new one, never half of one.
 * @throws what the file system throws (the temporary file is removed first).
 */
export async function writePlanFile(path: string, file: PlanFile): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The mode open() was given is narrowed by the umask, never widened: set it as meant.
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Why `reconcile --out <path>` cannot write its plan file there, in words naming --out; null when it can: `path` is
 * not a folder, its folder exists, and a temporary file like the one writePlanFile writes was created in it (and
 * removed). Checked before Okta or
 * Dialpad is contacted, so a run is not spent on a plan that cannot be kept. Does not throw.
 */
export async function planFileDestinationProblem(path: string): Promise<string | null> {
  if (path === '-') return '--out -: write the plan file to a path; --json prints the report on stdout';
  if (path === '') return '--out needs a path to write the plan file to';
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) return `--out ${path} is a folder: name a file in it, e.g. --out ${join(path, 'plan.json')}`;
  const folder = dirname(resolve(path));
  const parent = await stat(folder).catch(() => null);
  if (parent === null) return `--out ${path}: the folder ${folder} does not exist`;
  if (!parent.isDirectory()) return `--out ${path}: ${folder} is not a folder`;
  const writable = await access(folder, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!writable) return `--out ${path}: cannot write in the folder ${folder} (permission denied)`;
  // Permissions do not tell everything (a read-only mount, /proc, a full disk, root on a folder it may not write):
  // the temporary file writePlanFile will write is made, and removed, now.
  const probe = join(folder, `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
  } catch (error) {
    return `--out ${path}: cannot write in the folder ${folder} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return null;
}

/** The files a run reads while `reconcile --out` writes: the plan file must replace neither. */
export interface FilesInUse {
  /** The configured database: a SQLite path (or `:memory:`), or a PostgreSQL DSN, which names no file. */
  database: string;
  /** The YAML config file (`--config`), when one is given. */
  configFile?: string | undefined;
}

/**
 * Why `reconcile --out <path>` must not replace what is at `path`, in words naming the path and what to do; null
 * when it may: nothing is there, an empty file (what `mktemp` makes), or a plan file (`"format": "dialsync-plan"`:
 * the normal re-plan). Refused: the SQLite database in use or the config file in use (by real path, so through
 * symlinks too, whether or not the file exists yet), and any other existing file (a device or a file that cannot be
 * read included): writePlanFile renames over `path`, which would lose it. Checked once the config is
 * loaded, before the store is opened and before Okta or Dialpad is contacted. Does not throw.
 */
export async function planFileReplaceProblem(path: string, inUse: FilesInUse): Promise<string | null> {
  const target = await realPathOf(path);
  if (inUse.database !== ':memory:' && !isPostgresDsn(inUse.database) && target === (await realPathOf(inUse.database))) {
    return `refusing to write the plan over the database in use: ${path}${sameWords(path, inUse.database)}; choose another path`;
  }
  if (inUse.configFile !== undefined && target === (await realPathOf(inUse.configFile))) {
    return `refusing to write the plan over the config file in use: ${path}${sameWords(path, inUse.configFile)}; choose another path`;
  }
  const existing = await stat(path).catch(() => null);
  if (existing === null || (existing.isFile() && existing.size === 0)) return null;
  const isPlanFile =
    existing.isFile() &&
    (await readPlanFileJson(path).then(
      (raw) => typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === PLAN_FILE_FORMAT,
      () => false,
    ));
  return isPlanFile ? null : `refusing to write the plan over an existing file that is not a plan file: ${path}; choose another path or remove it`;
}

/** ` (it is <other>)` when `path` reaches `other` under another name (a symlink, another spelling); else nothing. */
function sameWords(path: string, other: string): string {
  return resolve(path) === resolve(other) ? '' : ` (it is ${other})`;
}

/**
 * `path` with every symlink resolved; for a path with nothing there yet (or a dangling symlink, which a rename
 * replaces), its folder's real path joined with its name.
 */
async function realPathOf(path: string): Promise<string> {
  const whole = await realpath(path).catch(() => null);
  if (whole !== null) return whole;
  const folder = await realpath(dirname(resolve(path))).catch(() => dirname(resolve(path)));
  return join(folder, basename(path));
}
