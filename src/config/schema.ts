// The YAML config file's schema: each setting declared once, with its type, default and meaning. Secrets are not
// allowed in it: they come from the environment or from files.
import { z } from 'zod';
import { scopeClauseProblem } from '../plan/rules/scope-rule.js';
import { DIALPAD_LICENSES } from '../dialpad/types.js';
import { OKTA_USER_STATUSES } from '../okta/types.js';
import { licenseDriftPolicy } from './license-drift-policy.js';
import { SSL_MODES } from './postgres-dsn.js';

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
    count: z.number().int('must be a whole number').min(0, 'must not be negative').default(10).describe('Users affected, above which the change is held (with percent).'),
    percent: z
      .number()
      .min(0, 'must be between 0 and 100')
      .max(100, 'must be between 0 and 100')
      .default(5)
      .describe('Percentage of the managed (linked) users affected, above which the change is held (with count).'),
  })
  .strict()
  .prefault({});

/**
 * A clause's value as text: attributes are compared as text, so `value: 5` or `value: true` (YAML numbers and
 * booleans, e.g. an employeeNumber written unquoted) are taken as "5" and "true".
 */
const clauseText = z.union([z.string(), z.number().transform(String), z.boolean().transform(String)]);

/** One clause of a scoping filter (docs: README, Scoping): `attribute` read as the mapping reads attributes. */
const scopeClause = z
  .object({
    attribute: nonEmpty.describe('The Okta attribute tested (custom ones are read from the app user profile first).'),
    operator: z
      .enum(['equals', 'notEquals', 'oneOf', 'matches', 'isEmpty', 'isNotEmpty', 'startsWith', 'endsWith'])
      .describe('How the value is tested.'),
    value: clauseText.optional().describe('The value equals, notEquals, startsWith and endsWith compare with; the regular expression of matches.'),
    values: z.array(clauseText).optional().describe('The values of oneOf.'),
    ignoreCase: z.boolean().default(false).describe('Compare without regard to case (default: exact, as Entra does).'),
  })
  .strict()
  // A clause that cannot be evaluated fails the config check, naming its key (value or values).
  .superRefine((clause, context) => {
    const problem = scopeClauseProblem(clause);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
  });

/** A scoping filter: every clause must hold (AND); a list of filters holds when any one does (OR). */
const scopeFilter = z
  .object({
    name: nonEmpty.optional().describe('A name for the filter, shown in the plan and explain.'),
    clauses: z.array(scopeClause).min(1, 'must hold at least one clause'),
  })
  .strict();

/** drift.*: what a run does when Dialpad's value of a field differs from Okta's. */
const driftPolicy = z.enum(['report', 'revert', 'adopt']);

/** pino's levels, most severe first; `silent` writes nothing. */
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
  'console.clientSecret': 'DIALSYNC_CONSOLE_CLIENT_SECRET or DIALSYNC_CONSOLE_CLIENT_SECRET_FILE',
  'console.sessionSecret': 'DIALSYNC_CONSOLE_SESSION_SECRET or DIALSYNC_CONSOLE_SESSION_SECRET_FILE',
};

/** Key names that hold a secret wherever they appear (a *File key names a file, which is fine). */
const SECRET_NAME = /(token|secret|password|passwd|api_?key|private_?key)$/i;

/** Maps whose keys are data (license values, country codes, license names), never setting names. */
const DATA_MAPS: ReadonlySet<string> = new Set(['licenses.aliases', 'offices.byCountry', 'licenseCaps']);

/**
 * The first key of a parsed config file (YAML parsed, not yet checked) that holds a secret, as its dotted path
 * (`okta.apiToken`) with where that secret belongs instead; null when there is none. Secrets never go in the
 * config file (it is read by people and tools that must not see them). Checked before the schema, so the
 * message says why instead of "unknown key". Keys of data maps (license aliases, countries) are not setting
 * names and are not looked at. Pure; throws nothing.
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

/**
 * A key naming a file that holds a secret: the file's path is not secret, its content is (never logged, never
 * printed). Marked `secret` in the schema's metadata, as Backstage marks its secret keys, for docs and tools.
 */
const secretFile = (description: string) => nonEmpty.optional().meta({ description, secret: true });

/**
 * The YAML config file: every setting, declared once with its default and a one-sentence description. The loader
 * (config/load.ts), the clients' own fallbacks, `defaultRules()`, `defaultSafety()` and the test of
 * config/dialsync.example.yaml all read the defaults from here (`configDefaults()`). A key without a default is
 * optional and has none (it comes from the environment, or is not needed). The environment wins over this file
 * where a variable exists (load.ts). Secrets never go here: only keys naming a file that holds one (`secret` in
 * their metadata); findSecretKey refuses the rest before this schema is applied.
 */
export const configFileSchema = z
  .object({
    okta: z
      .object({
        orgUrl: httpUrl.optional().describe('The Okta org URL, e.g. https://acme.okta.com (OKTA_ORG_URL wins).'),
        appId: nonEmpty.optional().describe('The id of the Dialpad app in Okta (OKTA_APP_ID wins).'),
        apiTokenFile: secretFile('Path of a file holding the Okta API token (the token itself only via OKTA_API_TOKEN or OKTA_API_TOKEN_FILE).'),
        clientId: nonEmpty.optional().describe('Client id of an Okta service app, used with a private key instead of an API token (OKTA_CLIENT_ID wins).'),
        privateKeyFile: secretFile("Path of a file holding the service app's private key, PEM or JWK (or OKTA_PRIVATE_KEY / OKTA_PRIVATE_KEY_FILE)."),
        keyId: nonEmpty.optional().describe("The key id (JWT kid) to sign with, when the service app has several keys."),
        scopes: z
          .array(nonEmpty)
          .min(1)
          .default(['okta.apps.read', 'okta.apps.manage', 'okta.users.read', 'okta.users.manage', 'okta.logs.read'])
          .describe('OAuth scopes the service app asks for (private key only); okta.groups.read is added when scope.groups is set.'),
        pageSize: z.number().int().min(1).max(500).default(500).describe("App users per page of the assignment listing (Okta's maximum is 500)."),
        maxRetries: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(3)
          .describe('Retries of a 429 (after X-Rate-Limit-Reset), and of 5xx, timeouts, dropped connections and garbled JSON for requests safe to repeat.'),
        requestTimeoutMs: z.number().int().positive().default(30_000).describe("Milliseconds per attempt (also bounds the wait for a 429's reset)."),
        rateLimitShare: z
          .number()
          .gt(0, 'must be above 0')
          .max(1, 'must be at most 1')
          .default(0.5)
          .describe('Share of each Okta rate-limit bucket dialsync may use; the rest is left to the org\'s other integrations.'),
        concurrency: z.number().int().min(1).max(32).default(4).describe('Okta requests at once (user look-ups; write-backs, sent from their own queue).'),
      })
      .strict()
      .prefault({})
      .describe('The Okta org, the Dialpad app in it, how dialsync authenticates, and how hard it may call the API.'),
    dialpad: z
      .object({
        baseUrl: httpUrl.default('https://dialpad.com').describe("Dialpad's API origin, e.g. https://sandbox.dialpad.com for Dialpad's sandbox (DIALPAD_BASE_URL wins)."),
        apiKeyFile: secretFile('Path of a file holding the Dialpad API key (the key itself only via DIALPAD_API_KEY or DIALPAD_API_KEY_FILE).'),
        requestsPerSecond: z
          .number()
          .positive()
          .default(15)
          .describe(
            "Most Dialpad requests started per second (less after 429s, recovering while none come): Dialpad allows 20 per company, shared with every other integration; above 20 only where Dialpad raised the company's limit (a warning at start).",
          ),
        maxRetries: z
          .number()
          .int()
          .min(0)
          .max(10)
          .default(4)
          .describe('Retries of a 429 (honouring Retry-After), 5xx, timeouts and network errors; a POST only when Dialpad certainly did not act.'),
        timeoutMs: z.number().int().positive().default(30_000).describe('Milliseconds per attempt, headers and body included.'),
      })
      .strict()
      .prefault({})
      .describe('The Dialpad API and how hard dialsync may call it.'),
    database: nonEmpty
      .default('./data/dialsync.sqlite')
      .describe('Path of the SQLite database (created with mode 0600), or a postgres:// DSN for PostgreSQL (DIALSYNC_DATABASE wins).'),
    postgres: z
      .object({
        sslmode: z
          .enum(SSL_MODES)
          .optional()
          .describe("TLS to PostgreSQL: disable, require (not checked), verify-ca or verify-full; unset: the DSN's sslmode=, else disable."),
        caFile: nonEmpty.optional().describe("Path of a PEM file of the CA(s) the server's certificate must chain to (verify-ca, verify-full); unset: the DSN's sslrootcert=, else Node's CAs."),
        poolSize: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100).default(10).describe('Connections to PostgreSQL at most, per process.'),
        passwordFile: secretFile('Path of a file holding the PostgreSQL password, when the DSN holds none (or DIALSYNC_DATABASE_PASSWORD / DIALSYNC_DATABASE_PASSWORD_FILE).'),
      })
      .strict()
      .prefault({})
      .describe('PostgreSQL connection settings, used when database is a postgres:// DSN.'),
    logLevel: z.enum(LOG_LEVELS).default('info').describe('The least severe log level written (DIALSYNC_LOG_LEVEL wins).'),
    // Enough to keep Dialpad's limiter (15 requests/s) busy while each user's 2-3 requests wait on the network:
    // 16 users at ~1 s of round trips each still offer more than 15 requests/s.
    concurrency: z.number().int().min(1).max(64).default(16).describe("How many users' Dialpad sides are applied at once (each user's write-back then waits in the Okta queue)."),
    policy: z
      .enum(['sync', 'upsert-only', 'create-only'])
      .default('sync')
      .describe('What a run may do: sync everything, upsert-only never suspends or deletes, create-only only creates (and adopts).'),
    mapping: z
      .object({
        firstName: nonEmpty.default('firstName').describe("Okta attribute for the Dialpad user's first name."),
        lastName: nonEmpty.default('lastName').describe("Okta attribute for the Dialpad user's last name."),
        email: attributeList.default(['login', 'email']).describe('Okta attributes whose first non-empty value is the primary email.'),
        title: nonEmpty.default('title').describe("Okta attribute for the Dialpad user's job title."),
        office: attributeList
          .default(['officeName', 'physicalDeliveryOfficeName', 'department'])
          .describe('Okta attributes whose first non-empty value must name a Dialpad office exactly.'),
        country: nonEmpty.default('countryCode').describe('Okta attribute holding the country code that chooses the office when no name matches.'),
        language: nonEmpty.default('preferredLanguage').describe('Okta attribute compared with the Dialpad language (read-only in Dialpad: drift is reported).'),
        license: nonEmpty.default('licenseType').describe('Okta attribute naming the Dialpad license.'),
      })
      .strict()
      .prefault({})
      .describe('Okta attribute names that feed each Dialpad field (custom ones are read from the app user profile first).'),
    scope: z
      .object({
        statuses: z
          .array(z.enum(OKTA_USER_STATUSES))
          .min(1)
          .default(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'])
          .describe('Okta user statuses that count as employed; assigned users in other statuses are suspended in Dialpad.'),
        groups: z
          .array(nonEmpty)
          .default([])
          .describe('Only members of these Okta groups (ids 00g… or exact names) are in scope, however they are assigned; empty: no group scoping.'),
        include: z
          .array(scopeFilter)
          .default([])
          .describe('When not empty, only users matching at least one of these filters are in scope (clauses AND-ed inside a filter, filters OR-ed).'),
        exclude: z.array(scopeFilter).default([]).describe('Users matching any of these filters are out of scope (clauses AND-ed inside a filter, filters OR-ed).'),
        onOutOfScope: z
          .enum(['suspend', 'ignore'])
          .default('suspend')
          .describe("What happens to the Dialpad user of an assigned user the groups or filters leave out: suspend (as if unassigned) or ignore (leave it as it is)."),
      })
      .strict()
      .prefault({})
      .describe('Which assigned Okta users are in scope: their status, scoping groups and filters.'),
    drift: z
      .object({
        name: driftPolicy.default('revert').describe("First and last name changed in Dialpad: report, revert to Okta's, or adopt Dialpad's until Okta's changes."),
        job_title: driftPolicy.default('revert').describe("Job title changed in Dialpad: report, revert to Okta's, or adopt Dialpad's until Okta's changes."),
        office: driftPolicy.default('revert').describe("Office changed in Dialpad: report, revert (move back to the office the rules choose), or adopt Dialpad's until Okta's changes."),
        license: driftPolicy
          .optional()
          .describe("License changed in Dialpad: report, revert (PATCH, keeping paid numbers) or adopt; unset: the deprecated licenses.drift's, else report."),
      })
      .strict()
      .prefault({})
      .describe('What a run does with manual edits made in Dialpad, per field.'),
    planFile: z
      .object({
        maxAgeHours: z
          .number()
          .positive('must be more than 0')
          .default(24)
          .describe('Hours after which `dialsync apply` refuses a plan file written by `reconcile --out`.'),
      })
      .strict()
      .prefault({})
      .describe('Plan files: `reconcile --out plan.json`, then `dialsync apply plan.json`.'),
    offices: z
      .object({
        default: nonEmpty.nullable().default(null).describe('Office name when neither the office attribute nor the country decides; null: the primary office.'),
        byCountry: z
          .record(z.string().trim().length(2, 'must be a two-letter country code'), nonEmpty)
          .default({})
          .describe('Country code → office name, for a country with several offices.'),
      })
      .strict()
      .prefault({})
      .describe('How a user\'s Dialpad office is chosen when its name does not decide.'),
    licenses: z
      .object({
        default: license.default('talk').describe('The Dialpad license of a user whose license attribute is empty.'),
        aliases: z
          .record(nonEmpty, license)
          .default({})
          .describe("Extra license attribute values (matched case-insensitively) → Dialpad license; Dialpad's SCIM values are built in."),
        drift: z
          .enum(['report', 'apply'])
          .optional()
          .describe("Deprecated: use drift.license (report is report, apply is revert). When Dialpad's license differs from Okta's: report warns, apply changes it."),
        // Contact Center agents get no DID, as in Dialpad's own SCIM (docs/rules.md#number).
        withoutNumber: z.array(license).default(['lite_support_agents']).describe('Licenses whose new users get no phone number.'),
      })
      .strict()
      .prefault({})
      .describe('How the Dialpad license is chosen and kept.'),
    lifecycle: z
      .object({
        // Suspend: the newer Dialpad article's behaviour; delete is the older FAQ's (docs/rules.md#lifecycle).
        onDeactivated: z
          .enum(['suspend', 'delete'])
          .default('suspend')
          .describe('What happens in Dialpad to a user deactivated or deleted in Okta.'),
        onOktaSuspended: z.enum(['suspend', 'ignore']).default('suspend').describe('What happens in Dialpad to a user suspended in Okta.'),
      })
      .strict()
      .prefault({})
      .describe('What Okta lifecycle changes do in Dialpad.'),
    writeBack: z
      .object({
        enabled: z.boolean().default(true).describe("Whether each user's Dialpad number is written back to Okta."),
        attribute: nonEmpty.default('dialpadPhone').describe('The Okta profile attribute the number is written to (it must exist in the Profile Editor).'),
        target: z
          .enum(['user', 'appUser'])
          .default('user')
          .describe('Which Okta profile is written: the user profile or the Dialpad app user profile.'),
        onSuspended: z.enum(['keep', 'clear']).default('keep').describe('Whether the attribute of a user suspended in Dialpad is kept or cleared.'),
      })
      .strict()
      .prefault({})
      .describe("Writing each user's Dialpad number back to Okta."),
    safety: z
      .object({
        allowMassChanges: z.boolean().default(false).describe('true: the mass-change guard lets every suspend and delete through.'),
        massSuspend: massThreshold.describe('Suspends are held when more than count AND more than percent % of managed users would be suspended.'),
        massDelete: massThreshold.describe('Deletes are held when more than count AND more than percent % of managed users would be deleted.'),
        sourceHealthMinFraction: z
          .number()
          .min(0, 'must be between 0 and 1')
          .max(1, 'must be between 0 and 1')
          .default(0.5)
          .describe('A listing below this fraction of the last healthy one (Okta) or of the linked users (Dialpad) suspends and deletes nobody; 0: off.'),
        quarantineAfter: z
          .number()
          .int('must be a whole number')
          .min(0, 'must be 0 (off) or more')
          .default(3)
          .describe('Failing runs in a row before a user is skipped until its Okta data changes or it is released; 0: off.'),
        checkAvailableLicenses: z.boolean().default(true).describe("Whether the offices' free license lines are read before creating."),
        allowBuyingSeats: z
          .boolean()
          .default(false)
          .describe('false: a create or reactivation that needs a line the office has not got is held ("would buy a seat").'),
        approvalHours: z
          .number()
          .positive('must be more than 0')
          .default(24)
          .describe('Hours an approval of a held suspend or delete (`dialsync approve`, the console) counts before it expires unused.'),
      })
      .strict()
      .prefault({})
      .describe('The mass-change guard, the source health gate, quarantine, the seat check and approvals.'),
    licenseCaps: z
      .partialRecord(license, z.number().int('must be a whole number').min(0, 'must not be negative'))
      .default({})
      .describe('Most users per Dialpad license, e.g. {talk: 200}; creates and reactivations past a cap are held.'),
    lock: z
      .object({
        ttlSeconds: z
          .number()
          .int('must be a whole number')
          .min(3, 'must be at least 3')
          .max(300, 'must be at most 300')
          .default(15)
          .describe('Seconds the run lock (the lease a leading daemon or a reconcile --apply holds) lasts unless renewed: how soon another replica takes over from one that died.'),
        renewIntervalSeconds: z
          .number()
          .positive('must be more than 0')
          .default(5)
          .describe('Seconds between renewals of the run lock; at most a third of ttlSeconds, so two renewals can fail before it expires.'),
        waitSeconds: z
          .number()
          .int('must be a whole number')
          .min(0, 'must be 0 (refuse at once) or more')
          .default(0)
          .describe('Seconds reconcile --apply waits for a run lock another process holds before it exits 8 (0: refuse at once; --lock-wait wins).'),
      })
      .strict()
      .refine((lock) => lock.renewIntervalSeconds * 3 <= lock.ttlSeconds, { message: 'renewIntervalSeconds must be at most a third of ttlSeconds', path: ['renewIntervalSeconds'] })
      .prefault({})
      .describe('The database-wide run lock: one process at a time applies, whichever started it.'),
    history: z
      .object({
        retentionDays: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .default(90)
          .describe("Days each run's actions (and its Run now request) are kept: the leader deletes those of older runs after each full run. Runs and the audit are kept."),
      })
      .strict()
      .prefault({})
      .describe("How long the runs' history is kept in the database."),
    daemon: z
      .object({
        schedule: nonEmpty.default('0 * * * *').describe('Cron expression of the full reconciliation (5 fields, or 6 with seconds first; read by croner).'),
        timezone: nonEmpty.default('UTC').describe('IANA time zone the schedule is read in.'),
        pollIntervalSeconds: z
          .number()
          .int()
          .min(0)
          .refine((value) => value === 0 || value >= 5, 'must be 0 (off) or at least 5')
          .default(60)
          .describe('Seconds between incremental Okta System Log polls; 0 turns them off.'),
        host: nonEmpty.default('0.0.0.0').describe('Address the HTTP server (/healthz, /readyz, /metrics, the event hook) listens on.'),
        port: z.number().int().min(0).max(65535).default(8080).describe('Port the HTTP server listens on.'),
        maxConnections: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .default(100)
          .describe('HTTP connections open at once; one more is closed as soon as it is accepted.'),
        readyzMaxFailingSeconds: z.number().int().positive().default(7200).describe('/readyz turns unready when runs have been failing for longer than this many seconds.'),
        accessCheckIntervalSeconds: z
          .number()
          .int()
          .min(10)
          .default(300)
          .describe('Seconds between checks of the Okta and Dialpad credentials (for /readyz).'),
        hooks: z
          .object({
            enabled: z.boolean().default(false).describe('Whether Okta event hooks are accepted (the secret comes from DIALSYNC_HOOK_SECRET or DIALSYNC_HOOK_SECRET_FILE).'),
            path: z.string().trim().startsWith('/', 'must start with /').default('/hooks/okta').describe('URL path the event hook is served on.'),
            headerName: nonEmpty.default('authorization').describe("The header Okta sends the hook's secret in (the hook's authScheme.key), case-insensitive."),
            batchDelaySeconds: z
              .number()
              .min(0)
              .max(60)
              .default(0.25)
              .describe(
                'Least seconds between the starts of two event hook runs. A delivery to an idle leader runs at once; one that comes during a run, or sooner than this after the last hook run started, joins the next hook run, which starts when the run going ends and this long after the last one started.',
              ),
            queuePollSeconds: z
              .number()
              .positive()
              .max(300)
              .default(0.25)
              .describe("Seconds between the leader's reads of the event hook queue, where every replica stores the deliveries it receives: how long a delivery another replica received may wait."),
          })
          .strict()
          .prefault({})
          .describe('Okta event hooks, which start targeted runs between the scheduled ones.'),
      })
      .strict()
      .prefault({})
      .describe('dialsync daemon: schedule, incremental polling, HTTP server and Okta event hooks.'),
    console: z
      .object({
        enabled: z
          .boolean()
          .default(false)
          .describe('Whether the daemon serves the admin console and its /api (secrets: DIALSYNC_CONSOLE_CLIENT_SECRET and DIALSYNC_CONSOLE_SESSION_SECRET, or their _FILE).'),
        publicUrl: httpUrl
          .nullable()
          .default(null)
          .describe('The address admins open, e.g. https://dialsync.example.com (the root of its host: no path, query or fragment): Okta redirects to publicUrl/auth/callback; cookies are Secure when it is https.'),
        issuer: httpUrl.nullable().default(null).describe('The Okta authorization server admins sign in with, e.g. https://acme.okta.com/oauth2/default.'),
        clientId: nonEmpty.nullable().default(null).describe('The client id of the Okta web app (OIDC) the console signs in with.'),
        adminGroup: nonEmpty.nullable().default(null).describe('Members of this Okta group (in the groups claim) sign in as admins; required when enabled.'),
        viewerGroup: nonEmpty.nullable().default(null).describe('Members of this Okta group sign in read-only (not the adminGroup); null: nobody but admins.'),
        groupsClaim: nonEmpty.default('groups').describe('The ID token claim that lists the groups of the user signing in.'),
        sessionIdleMinutes: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .default(30)
          .describe('Minutes without a request after which a console session ends (at most sessionMaxHours).'),
        sessionMaxHours: z.number().positive('must be more than 0').max(168, 'must be at most 168').default(12).describe('Hours after sign-in at which a console session ends, however active.'),
      })
      .strict()
      .prefault({})
      .describe('The admin console: Okta sign-in (OIDC), sessions and roles.'),
  })
  .strict()
  .superRefine((file, ctx) => {
    // licenses.drift is drift.license's deprecated spelling: both set and disagreeing is a mistake to name.
    const { license } = file.drift;
    const old = file.licenses.drift;
    if (license !== undefined && old !== undefined && license !== licenseDriftPolicy(old)) {
      ctx.addIssue({
        code: 'custom',
        path: ['drift', 'license'],
        message: `disagrees with the deprecated licenses.drift (${old}, which means ${licenseDriftPolicy(old)}): remove licenses.drift`,
      });
    }
  });

/** A parsed config file: every key with a default is present (z.output of the schema). */
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The settings of an empty config file: every default, as a fresh copy (a caller may change it). */
export function configDefaults(): ConfigFile {
  return configFileSchema.parse({});
}
