// The YAML config file's schema. Secrets are not allowed in it: they come from the environment or from files.
import { z } from 'zod';
import { DIALPAD_LICENSES } from '../dialpad/types.js';
import { OKTA_USER_STATUSES } from '../okta/types.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');
const license = z.enum(DIALPAD_LICENSES);
const attributeList = z.array(nonEmpty).min(1, 'must name at least one attribute');

/** safety.massSuspend / safety.massDelete: held when more than `count` users AND more than `percent` % of managed users. */
const massThreshold = z
  .object({
    count: z.number().int('must be a whole number').min(0, 'must not be negative').optional(),
    percent: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').optional(),
  })
  .strict();

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// ---- secrets put in the config file (bad-input catalogue) ----

/** Where each secret belongs instead of the config file. */
const SECRET_HOMES: Readonly<Record<string, string>> = {
  'okta.apiToken': 'OKTA_API_TOKEN or OKTA_API_TOKEN_FILE (or okta.apiTokenFile)',
  'okta.token': 'OKTA_API_TOKEN or OKTA_API_TOKEN_FILE (or okta.apiTokenFile)',
  'okta.privateKey': 'OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE (or okta.privateKeyFile)',
  'okta.clientSecret': 'OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE (dialsync authenticates with a private key, not a client secret)',
  'dialpad.apiKey': 'DIALPAD_API_KEY or DIALPAD_API_KEY_FILE (or dialpad.apiKeyFile)',
  'dialpad.token': 'DIALPAD_API_KEY or DIALPAD_API_KEY_FILE (or dialpad.apiKeyFile)',
};

/** Key names that hold a secret wherever they appear (a *File key names a file, which is fine). */
const SECRET_NAME = /(token|secret|password|passwd|api_?key|private_?key)$/i;

/** Maps whose keys are data (license values, country codes, license names), never setting names. */
const DATA_MAPS: ReadonlySet<string> = new Set(['licenses.aliases', 'offices.byCountry', 'licenseCaps']);

/**
 * The first key of a parsed config file that holds a secret, with where that secret belongs: secrets
 * never go in the config file (it is read by people and tools that must not see them). Checked before
 * the schema, so the message says why instead of "unknown key".
 */
export function findSecretKey(raw: unknown): { key: string; home: string } | null {
  const walk = (value: unknown, path: string[]): { key: string; home: string } | null => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || DATA_MAPS.has(path.join('.'))) return null;
    for (const [name, child] of Object.entries(value)) {
      const key = [...path, name].join('.');
      const home = SECRET_HOMES[key];
      if (home !== undefined) return { key, home };
      if (SECRET_NAME.test(name) && !/file$/i.test(name)) return { key, home: 'the environment or a file named by a *File setting' };
      const nested = walk(child, [...path, name]);
      if (nested) return nested;
    }
    return null;
  };
  return walk(raw, []);
}

export const configFileSchema = z
  .object({
    okta: z
      .object({
        orgUrl: httpUrl.optional(),
        appId: nonEmpty.optional(),
        /** Path of a file holding the API token (the token itself only via OKTA_API_TOKEN). */
        apiTokenFile: nonEmpty.optional(),
        clientId: nonEmpty.optional(),
        privateKeyFile: nonEmpty.optional(),
        keyId: nonEmpty.optional(),
        scopes: z.array(nonEmpty).min(1).optional(),
        pageSize: z.number().int().min(1).max(500).optional(),
        maxRetries: z.number().int().min(0).max(10).optional(),
        requestTimeoutMs: z.number().int().positive().optional(),
        /** Share of each Okta rate-limit bucket dialsync may use (the rest is left to other integrations). */
        rateLimitShare: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1').optional(),
        concurrency: z.number().int().min(1).max(32).optional(),
      })
      .strict()
      .optional(),
    dialpad: z
      .object({
        baseUrl: httpUrl.optional(),
        apiKeyFile: nonEmpty.optional(),
        requestsPerSecond: z.number().positive().max(20).optional(),
        maxRetries: z.number().int().min(0).max(10).optional(),
        timeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    database: nonEmpty.optional(),
    logLevel: z.enum(LOG_LEVELS).optional(),
    /** How many users are applied at once. */
    concurrency: z.number().int().min(1).max(64).optional(),
    policy: z.enum(['sync', 'upsert-only', 'create-only']).optional(),
    mapping: z
      .object({
        firstName: nonEmpty.optional(),
        lastName: nonEmpty.optional(),
        email: attributeList.optional(),
        title: nonEmpty.optional(),
        office: attributeList.optional(),
        country: nonEmpty.optional(),
        language: nonEmpty.optional(),
        license: nonEmpty.optional(),
      })
      .strict()
      .optional(),
    scope: z
      .object({
        statuses: z.array(z.enum(OKTA_USER_STATUSES)).min(1).optional(),
      })
      .strict()
      .optional(),
    offices: z
      .object({
        default: nonEmpty.nullable().optional(),
        /** Country code → office name, when a country has several offices. */
        byCountry: z.record(z.string().trim().length(2, 'must be a two-letter country code'), nonEmpty).optional(),
      })
      .strict()
      .optional(),
    licenses: z
      .object({
        default: license.optional(),
        /** Extra licenseType values (matched case-insensitively) → Dialpad license. */
        aliases: z.record(nonEmpty, license).optional(),
        drift: z.enum(['report', 'apply']).optional(),
        withoutNumber: z.array(license).optional(),
      })
      .strict()
      .optional(),
    lifecycle: z
      .object({
        onDeactivated: z.enum(['suspend', 'delete']).optional(),
        onOktaSuspended: z.enum(['suspend', 'ignore']).optional(),
      })
      .strict()
      .optional(),
    writeBack: z
      .object({
        enabled: z.boolean().optional(),
        attribute: nonEmpty.optional(),
        target: z.enum(['user', 'appUser']).optional(),
        onSuspended: z.enum(['keep', 'clear']).optional(),
      })
      .strict()
      .optional(),
    // ---- safety: mass-change guard, source health gate, quarantine, seats (issue 4) ----
    safety: z
      .object({
        allowMassChanges: z.boolean().optional(),
        massSuspend: massThreshold.optional(),
        massDelete: massThreshold.optional(),
        sourceHealthMinFraction: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
        quarantineAfter: z.number().int('must be a whole number').min(0, 'must be 0 (off) or more').optional(),
        checkAvailableLicenses: z.boolean().optional(),
        allowBuyingSeats: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Most users per Dialpad license, e.g. {talk: 200}. */
    licenseCaps: z.partialRecord(license, z.number().int('must be a whole number').min(0, 'must not be negative')).optional(),
    // ---- daemon mode (dialsync daemon) ----
    daemon: z
      .object({
        /** Cron expression of the full reconciliation (5 fields, or 6 with seconds first; read by croner). */
        schedule: nonEmpty.optional(),
        /** IANA time zone the schedule is read in. */
        timezone: nonEmpty.optional(),
        /** Seconds between incremental System Log polls; 0 turns them off. */
        pollIntervalSeconds: z.number().int().min(0).optional().refine((value) => value === undefined || value === 0 || value >= 5, 'must be 0 (off) or at least 5'),
        host: nonEmpty.optional(),
        port: z.number().int().min(0).max(65535).optional(),
        /** HTTP connections open at once; one more is closed as soon as it is accepted. */
        maxConnections: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
        /** /readyz turns unready when runs have been failing for longer than this. */
        readyzMaxFailingSeconds: z.number().int().positive().optional(),
        /** How often the Okta and Dialpad credentials are checked again (for /readyz). */
        accessCheckIntervalSeconds: z.number().int().min(10).optional(),
        hooks: z
          .object({
            enabled: z.boolean().optional(),
            path: z.string().trim().startsWith('/', 'must start with /').optional(),
            headerName: nonEmpty.optional(),
            /** Seconds a hook delivery's users wait to be batched into one targeted run. */
            batchDelaySeconds: z.number().min(0).max(60).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
