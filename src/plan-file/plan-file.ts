// The plan file `reconcile --out` writes and `dialsync apply` carries out: the plan, per planned user a fingerprint
// of what each side held when it was planned, the config and tenant it was planned under, and a checksum over all
// of it. This file is the format and the checks that refuse a file whole; they read nothing but the file, the
// config and the store's pin, so a refused file costs no request to Okta or Dialpad.
//
// Example: a file made at 09:00 with configChecksum c1 for company 42. At 10:00 with the same config and pin it is
// accepted. Someone changes a suspend to a delete in it: its checksum no longer matches (`edited`). The config's
// drift.job_title changes from revert to adopt: c1 is not the config's checksum now (`other_config`). At 09:00 the
// next day, with planFile.maxAgeHours 24, it is `too_old`.
import { z } from 'zod';
import type { HeldBack } from '../plan/safety/held-back.js';
import type { Safety } from '../plan/safety/safety.js';
import { tenantDifferences, type TenantIdentity } from '../plan/tenant-check.js';
import type { Action, Rules, UserPlan } from '../plan/types.js';
import type { ConfiguredTenant } from '../reconcile/tenant-guard.js';
import { sha256 } from '../reconcile/user-fingerprint.js';
import { ACTION_ORDER } from '../plan/action-titles.js';
import type { UserFingerprint } from './user-fingerprint-parts.js';

/** The `format` of every plan file. */
export const PLAN_FILE_FORMAT = 'dialsync-plan';
/** The version this dialsync writes and the only one it applies. */
export const PLAN_FILE_VERSION = 1;

/** One planned user's identity and the fingerprints of both sides when the plan was made. */
export interface PlanFileUser {
  /** userKeyOf (plan/user-key.ts): `okta:<id>` or `dialpad:<id or email>`. */
  key: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  email: string;
  fingerprint: UserFingerprint;
}

/** Everything of a plan file but its checksum: what the checksum is computed over. */
export interface PlanFileBody {
  format: typeof PLAN_FILE_FORMAT;
  version: typeof PLAN_FILE_VERSION;
  /** ISO 8601: when `reconcile --out` made the plan (the age planFile.maxAgeHours limits). */
  createdAt: string;
  /** The dry run that made it (runs.id). */
  runId: string;
  /** The Dialpad company and Okta org and app the plan was read from, as the tenant guard knew them. */
  tenant: TenantIdentity;
  /** configChecksum of the config it was planned under. */
  configChecksum: string;
  /** Each planned user's actions, in the order they run (plan.users after the safety passes). */
  plan: UserPlan[];
  /** One per entry of `plan`, in the same order. */
  users: PlanFileUser[];
  /** What the run-wide gates would have held had this been `reconcile --apply`: applying the file approves it. */
  held: HeldBack[];
}

/** A plan file: its body and `checksum`, the sha256 of the body's canonical JSON (keys sorted). */
export interface PlanFile extends PlanFileBody {
  checksum: string;
}

/**
 * sha256 of what a plan depends on besides the two sides: the effective rules, the safety settings and the
 * configured Okta org and app (no secret is among them). A plan file is applied only under the config it was made with.
 */
export function configChecksum(rules: Rules, safety: Safety, tenant: ConfiguredTenant): string {
  return sha256({ rules, safety, tenant });
}

/** The file for `body`: the body with its checksum. */
export function sealPlanFile(body: PlanFileBody): PlanFile {
  return { ...body, checksum: sha256(body) };
}

/** Why a plan file is refused whole; `plan_file_refused` (the CLI exits 10). */
export type PlanFileRefusalCode = 'not_a_plan_file' | 'unknown_version' | 'edited' | 'other_config' | 'other_tenant' | 'too_old';

/** A plan file refused whole, before anything was written (code `plan_file_refused`; the CLI exits 10). */
export class PlanFileRefusedError extends Error {
  readonly code = 'plan_file_refused';
  constructor(
    readonly refusal: PlanFileRefusalCode,
    detail: string,
  ) {
    super(`plan file refused: ${detail}`);
    this.name = 'PlanFileRefusedError';
  }
}

/** What a plan file is checked against before anything is read: the config now, the store's pin, the clock. */
export interface PlanFileExpectations {
  configChecksum: string;
  /** The configured Okta org and app. */
  tenant: ConfiguredTenant;
  /** The store's tenant pin; null when the store has none yet. */
  pinned: TenantIdentity | null;
  now: Date;
  /** planFile.maxAgeHours. */
  maxAgeHours: number;
}

const action = z
  .looseObject({ kind: z.enum(ACTION_ORDER as [Action['kind'], ...Action['kind'][]]), reason: z.string() })
  .transform((value) => value as unknown as Action);
const sideParts = z.record(z.string(), z.string());
const planFileSchema = z.object({
  format: z.literal(PLAN_FILE_FORMAT),
  version: z.literal(PLAN_FILE_VERSION),
  createdAt: z.iso.datetime({ offset: true }),
  runId: z.string(),
  tenant: z.object({
    dialpadCompanyId: z.string(),
    dialpadCompanyName: z.string().nullable(),
    oktaOrgUrl: z.string(),
    oktaOrgId: z.string().nullable(),
    oktaAppId: z.string(),
  }),
  configChecksum: z.string(),
  plan: z.array(z.object({ oktaUserId: z.string().nullable(), dialpadUserId: z.string().nullable(), email: z.string(), actions: z.array(action) })),
  users: z.array(
    z.object({
      key: z.string(),
      oktaUserId: z.string().nullable(),
      dialpadUserId: z.string().nullable(),
      email: z.string(),
      fingerprint: z.object({ okta: sideParts, dialpad: sideParts }),
    }),
  ),
  held: z.array(z.looseObject({ gate: z.enum(['mass-change', 'source-health', 'dialpad-health']), users: z.number(), reason: z.string() }).transform((h) => h as unknown as HeldBack)),
  checksum: z.string(),
});

/**
 * Checks a plan file as read (`raw`: the parsed JSON) against what it must match, in this order: the format, the
 * version, the checksum (an edited file), the config checksum, the tenant (org and app as configured, the Dialpad
 * company and org as pinned), the age. Pure.
 * @returns the file, parsed.
 * @throws PlanFileRefusedError naming the first check that failed and what differs.
 */
export function checkPlanFile(raw: unknown, expect: PlanFileExpectations): PlanFile {
  const head = z.object({ format: z.string(), version: z.unknown() }).safeParse(raw);
  if (!head.success || head.data.format !== PLAN_FILE_FORMAT) {
    throw new PlanFileRefusedError('not_a_plan_file', `not a dialsync plan file (no "format": "${PLAN_FILE_FORMAT}"); make one with \`dialsync reconcile --out plan.json\``);
  }
  if (head.data.version !== PLAN_FILE_VERSION) {
    throw new PlanFileRefusedError('unknown_version', `version ${JSON.stringify(head.data.version)} is not one this dialsync applies (it applies version ${PLAN_FILE_VERSION}); make the plan again with this version`);
  }
  const { checksum, ...body } = raw as Record<string, unknown>;
  if (typeof checksum !== 'string' || sha256(body) !== checksum) {
    throw new PlanFileRefusedError('edited', 'its checksum does not match its content: the file was edited after `reconcile --out` wrote it; make the plan again');
  }
  const parsed = planFileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PlanFileRefusedError('not_a_plan_file', `not a plan file this dialsync can read (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'})`);
  }
  const file: PlanFile = parsed.data;
  if (file.configChecksum !== expect.configChecksum) {
    throw new PlanFileRefusedError('other_config', 'it was planned under another config (rules, safety settings, Okta org or app differ from the config now); make the plan again with this config');
  }
  const tenantProblem = otherTenant(file.tenant, expect);
  if (tenantProblem !== null) throw new PlanFileRefusedError('other_tenant', tenantProblem);
  const ageHours = (expect.now.getTime() - Date.parse(file.createdAt)) / 3_600_000;
  if (ageHours > expect.maxAgeHours) {
    throw new PlanFileRefusedError('too_old', `it was made at ${file.createdAt}, ${ageHours.toFixed(1)} hours ago, more than planFile.maxAgeHours (${expect.maxAgeHours}); make the plan again`);
  }
  return file;
}

/**
 * What differs between the file's tenant and the one this apply talks to, in words; null when nothing does. Before
 * the Dialpad company is read, the pin stands for it; with no pin yet, only the Okta org and app are compared.
 */
function otherTenant(planned: TenantIdentity, expect: PlanFileExpectations): string | null {
  const configured: TenantIdentity = { ...planned, oktaOrgUrl: expect.tenant.oktaOrgUrl, oktaOrgId: null, oktaAppId: expect.tenant.oktaAppId };
  return answeringTenantProblem(planned, expect.pinned ?? configured);
}

/** What differs between the file's tenant and the tenant answering (or pinned), in words; null when nothing does. */
export function answeringTenantProblem(planned: TenantIdentity, answering: TenantIdentity): string | null {
  const differences = tenantDifferences(planned, answering);
  if (differences.length === 0) return null;
  const said = differences.map((d) => `${d.field.replace('_', ' ')} ${d.pinned} in the file, ${d.answering} now`).join('; ');
  return `it was planned for another tenant (${said}); make the plan again against this one`;
}
