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

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
