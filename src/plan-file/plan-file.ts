// The plan file `reconcile --out` writes and `dialsync apply` carries out: the plan, per planned user a fingerprint
// of what each side held when it was planned, the config and tenant it was planned under, and a checksum over all
// of it. This file is the format and the checks that refuse a file whole; they read nothing but the file, the
// config and the store's pin, so a refused file costs no request to Okta or Dialpad.
//
// Example: a file made at 09:00 with configChecksum c1 for company 42. At 10:00 with the same config and pin it is
// accepted. Someone changes a suspend to a delete in it: its checksum no longer matches (`edited`). The config's
// drift.job_title changes from revert to adopt: the rules' checksum is not the config's now (`other_config`, "rules
// differ"). OKTA_APP_ID now names another app: `other_tenant`. At 09:00 the next day, with planFile.maxAgeHours 24, it is `too_old`.
//
// The checksum is unkeyed: it catches an accidental edit, not a deliberate one (anyone can recompute it). What stops
// a deliberate one is `dialsync apply` itself: it plans each user again from fresh reads and carries out only the
// actions it plans now (apply-plan-file.ts), so a file can narrow what is done but never make dialsync write a value
// it would not.
import { z } from 'zod';
import type { HeldBack } from '../plan/safety/held-back.js';
import type { Safety } from '../plan/safety/safety.js';
import { sameOrg, tenantDifferences, type TenantIdentity } from '../plan/tenant-check.js';
import type { Action, Policy, Rules, UserPlan } from '../plan/types.js';
import { userKeyOf } from '../plan/user-key.js';
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
  /** configChecksum of the config it was planned under: one sha256 per section, so a refusal names the section. */
  configChecksum: ConfigChecksums;
  /**
   * The policy the plan was made with: the config's, or the one `reconcile --policy` gave, narrower or wider (as
   * `reconcile --apply --policy` may). `dialsync apply` plans again under it.
   */
  policy: Policy;
  /**
   * When the database the plan was made against was pinned to its tenant (tenant_pins.pinned_at); null when it had
   * no pin yet. A file is applied only to that database: another one (no pin, or pinned at another time) is another
   * installation, whose links differ.
   */
  pinnedAt: string | null;
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

/** The config sections a plan depends on, each as a sha256 (no secret is among them). */
export interface ConfigChecksums {
  /** The effective rules (mapping, offices, licenses, policy, scope, drift, write-back). */
  rules: string;
  /** The safety settings that change a plan or what the gates hold (safety.approvalHours does neither). */
  safety: string;
  /** The configured Okta org URL and app id. */
  tenant: string;
}

/**
 * sha256 per section of what a plan depends on besides the two sides: the effective rules, the safety settings that
 * change a plan, and the configured Okta org and app. A plan file is applied only under the config it was made with.
 * safety.approvalHours is left out: it says how long a `dialsync approve` lasts, which no plan depends on.
 */
export function configChecksum(rules: Rules, safety: Safety, tenant: ConfiguredTenant): ConfigChecksums {
  const { approvalHours: _notPlanned, ...planned } = safety;
  return { rules: sha256(rules), safety: sha256(planned), tenant: sha256({ oktaOrgUrl: tenant.oktaOrgUrl, oktaAppId: tenant.oktaAppId }) };
}

/** The file for `body`: the body with its checksum. */
export function sealPlanFile(body: PlanFileBody): PlanFile {
  return { ...body, checksum: sha256(body) };
}

/** Why a plan file is refused whole; `plan_file_refused` (the CLI exits 10). */
export type PlanFileRefusalCode =
  | 'not_a_plan_file'
  | 'too_large'
  | 'unknown_version'
  | 'edited'
  | 'other_tenant'
  | 'other_config'
  | 'other_installation'
  | 'from_the_future'
  | 'too_old';

/**
 * How far in the future a file's createdAt may be, in minutes: the clock skew between the machine that made the plan
 * and the one applying it. A date further ahead is refused (`from_the_future`): it would keep the file from ever
 * growing older than planFile.maxAgeHours.
 */
export const PLAN_FILE_CLOCK_SKEW_MINUTES = 5;

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
  configChecksum: ConfigChecksums;
  /** When the store was pinned (tenant_pins.pinned_at); null when it has no pin. */
  pinnedAt: string | null;
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
  configChecksum: z.object({ rules: z.string(), safety: z.string(), tenant: z.string() }),
  policy: z.enum(['sync', 'upsert-only', 'create-only']),
  pinnedAt: z.string().nullable(),
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
 * version, the checksum (an edited file), every plan entry paired with its user's fingerprints, the tenant (the
 * file's Okta org and app against the config's, then against the pin with the Dialpad company, then the config
 * checksum's tenant section: all `other_tenant`), the rules and safety checksums (`other_config`; the file's
 * policy is not compared with the config's: `reconcile --policy` may narrow or widen it, as with --apply), the
 * database (its pin), a createdAt in the future past PLAN_FILE_CLOCK_SKEW_MINUTES, the age. Pure: the CLI runs it
 * before the run lock and before any run is recorded.
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
  const unpaired = unpairedEntry(file);
  if (unpaired !== null) throw new PlanFileRefusedError('edited', `${unpaired}: the file was edited after \`reconcile --out\` wrote it; make the plan again`);
  const configuredProblem = otherThanConfigured(file.tenant, expect.tenant);
  if (configuredProblem !== null) throw new PlanFileRefusedError('other_tenant', configuredProblem);
  const tenantProblem = otherTenant(file.tenant, expect);
  if (tenantProblem !== null) throw new PlanFileRefusedError('other_tenant', tenantProblem);
  if (file.configChecksum.tenant !== expect.configChecksum.tenant) {
    throw new PlanFileRefusedError('other_tenant', `it was planned under another config's tenant section (${CONFIG_SECTION_WORDS.tenant} differ from the config now); make the plan again with this config`);
  }
  const sections = (['rules', 'safety'] as const).filter((section) => file.configChecksum[section] !== expect.configChecksum[section]);
  if (sections.length > 0) {
    const said = sections.map((section) => CONFIG_SECTION_WORDS[section]).join(', ');
    throw new PlanFileRefusedError('other_config', `it was planned under another config (${said} differ from the config now); make the plan again with this config`);
  }
  if (!sameDatabase(file, expect.pinnedAt)) {
    const then = file.pinnedAt === null ? 'a database with no tenant pin yet' : `a database pinned to its tenant at ${file.pinnedAt}`;
    const now = expect.pinnedAt === null ? 'this one has no pin (no run has applied to it)' : `this one was pinned at ${expect.pinnedAt}`;
    throw new PlanFileRefusedError(
      'other_installation',
      `it was made against another database, or this one was repinned since (${then}; ${now}): its links differ, so it is another installation's plan; make the plan again against this database`,
    );
  }
  const ageHours = (expect.now.getTime() - Date.parse(file.createdAt)) / 3_600_000;
  if (-ageHours * 60 > PLAN_FILE_CLOCK_SKEW_MINUTES) {
    throw new PlanFileRefusedError(
      'from_the_future',
      `it says it was made at ${file.createdAt}, ${(-ageHours).toFixed(1)} hours from now (more than the ${PLAN_FILE_CLOCK_SKEW_MINUTES} minutes two clocks may differ by): the file was edited, or the clock that made it is wrong; make the plan again`,
    );
  }
  if (ageHours > expect.maxAgeHours) {
    throw new PlanFileRefusedError('too_old', `it was made at ${file.createdAt}, ${ageHours.toFixed(1)} hours ago, more than planFile.maxAgeHours (${expect.maxAgeHours}); make the plan again`);
  }
  return file;
}

/**
 * Whether the store pinned at `pinnedAt` is the one the file was made against: pinned at the same time, or, for a
 * file made before any pin, not pinned yet or pinned after the file was made (by its own apply, or a run since).
 */
function sameDatabase(file: PlanFile, pinnedAt: string | null): boolean {
  if (file.pinnedAt !== null) return pinnedAt === file.pinnedAt;
  return pinnedAt === null || Date.parse(pinnedAt) > Date.parse(file.createdAt);
}

const CONFIG_SECTION_WORDS: Record<keyof ConfigChecksums, string> = {
  rules: 'rules (mapping, offices, licenses, policy, scope, drift or write-back)',
  safety: 'safety settings',
  tenant: 'Okta org or app',
};

/**
 * What pairs badly between the plan and the users' fingerprints, in words; null when each plan entry has its user
 * entry (same position, same key) and there are as many of each. Actions without fingerprints would be applied
 * unchecked, so such a file is refused whole.
 */
function unpairedEntry(file: PlanFile): string | null {
  for (const [index, planned] of file.plan.entries()) {
    const user = file.users[index];
    if (user === undefined) return `the plan's actions for ${planned.email} have no entry in "users" (no fingerprints to check them by)`;
    if (user.key !== userKeyOf(planned)) return `the plan's entry ${index + 1} (${planned.email}) and its "users" entry (${user.email}) are not the same user`;
  }
  if (file.users.length > file.plan.length) return `"users" has ${file.users.length} entries for ${file.plan.length} planned users`;
  return null;
}

/**
 * What differs between the file's Okta org and app and the config's, in words; null when nothing does. The org is
 * compared by its URL's origin (the file's URL is the one configured when it was made).
 */
function otherThanConfigured(planned: TenantIdentity, configured: ConfiguredTenant): string | null {
  const said: string[] = [];
  if (!sameOrg({ oktaOrgUrl: planned.oktaOrgUrl, oktaOrgId: null }, { oktaOrgUrl: configured.oktaOrgUrl, oktaOrgId: null })) {
    said.push(`okta org ${planned.oktaOrgUrl} in the file, ${configured.oktaOrgUrl} in the config now`);
  }
  if (planned.oktaAppId !== configured.oktaAppId) said.push(`okta app ${planned.oktaAppId} in the file, ${configured.oktaAppId} in the config now`);
  return said.length === 0 ? null : `it was planned for another Okta org or app than the config's (${said.join('; ')}); make the plan again with this config`;
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
