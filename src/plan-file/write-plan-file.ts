// `reconcile --out plan.json`: the plan file made from a dry run's input and plan, written whole or not at all.
import { randomUUID } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { HeldBack } from '../plan/safety/held-back.js';
import type { TenantIdentity } from '../plan/tenant-check.js';
import type { Plan, PlanInput, Rules } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
import { PLAN_FILE_FORMAT, PLAN_FILE_VERSION, sealPlanFile, type PlanFile } from './plan-file.js';
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
 * config checksum and the tenant, sealed with the checksum. Pure.
 */
export function planFileOf(run: PlannedRun, rules: Rules, config: { configChecksum: string; createdAt: Date }): PlanFile {
  const fingerprints = new UserFingerprints(run.input, rules);
  return sealPlanFile({
    format: PLAN_FILE_FORMAT,
    version: PLAN_FILE_VERSION,
    createdAt: config.createdAt.toISOString(),
    runId: run.runId,
    tenant: run.tenant,
    configChecksum: config.configChecksum,
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
