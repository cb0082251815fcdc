// `dialsync repin`: an admin accepts another Dialpad company or Okta app for this database. Runs refuse a tenant
// other than the pinned one (exit 3); this is the one way past that, recorded in the run history.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { repinnedTenant, type TenantDifference, type TenantIdentity } from '../../plan/tenant-check.js';
import { answeringTenant, configuredTenant, identityOf, readOktaOrgId } from '../../reconcile/tenant-guard.js';
import { buildGateways } from '../../wiring/build.js';
import { AccessCheckError } from '../access-check.js';
import { EXIT } from '../exit-codes.js';
import { withRuntime, type CliIo } from '../runtime.js';
import { describeTenant, renderTenantChanges } from '../tenant-text.js';

interface RepinFlags {
  config?: string;
  json: boolean;
  dialpadCompany: boolean;
  oktaApp: boolean;
}

/** What `repin --json` prints. */
export interface RepinReport {
  /** False when the database was already pinned to this tenant: nothing was recorded. */
  changed: boolean;
  previous: TenantIdentity | null;
  pinned: TenantIdentity;
  differences: TenantDifference[];
  /** The `repin` run in the run history; null when nothing changed. */
  runId: string | null;
}

/**
 * Adds `dialsync repin` to `program`: reads the tenant answering now, pins the parts named by --dialpad-company and
 * --okta-app (the others stay pinned) and records a `repin` run. Reports through `setExitCode`: 0 pinned or already
 * pinned, 2 neither flag or a configuration error, 3 the credentials refused.
 */
export function registerRepinCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('repin')
    .description('Pin this database to the Dialpad company and/or the Okta org and app that answer now, after they were changed on purpose.')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it)')
    .option('--dialpad-company', 'accept the Dialpad company the API key (DIALPAD_API_KEY, DIALPAD_BASE_URL) belongs to now', false)
    .option('--okta-app', 'accept the Okta org and app configured now (OKTA_ORG_URL, OKTA_APP_ID)', false)
    .option('--json', 'print what was pinned as JSON on stdout', false)
    .addHelpText(
      'after',
      [
        '',
        'Every run checks that it talks to the Dialpad company and the Okta org and app this database was first applied to,',
        'and stops before any write (exit 3) when it does not. If the change is intended, repin names the parts to accept;',
        'the others stay pinned. It prints each change (before → after) and records a `repin` run (see `dialsync status`).',
        'Links are not changed: after --dialpad-company, the next apply adopts (by email) or creates the linked users in',
        'the new company; after --okta-app, users of the old app that are not assigned to the new one are suspended',
        '(held by the source health gate or the mass-change guard when they are many).',
        '',
        'Exit codes: 0 pinned (or already pinned), 2 neither --dialpad-company nor --okta-app given, 3 credentials refused.',
      ].join('\n'),
    )
    .action(async (flags: RepinFlags) => {
      if (!flags.dialpadCompany && !flags.oktaApp) {
        io.stderr.write('dialsync: repin needs --dialpad-company, --okta-app or both: which part of the tenant to accept (see `dialsync repin --help`)\n');
        setExitCode(EXIT.config);
        return;
      }
      setExitCode(
        await withRuntime(io, flags.config, flags.json, async ({ config, logger, store }) => {
          const gateways = buildGateways(config, logger);
          const current = await store.tenantPins.current();
          const previous = current === null ? null : identityOf(current);
          // What is accepted must answer: the company is read with the key, the Okta app with the credentials.
          if (flags.oktaApp || previous === null) {
            await gateways.okta.checkAccess().catch((error: unknown) => {
              throw new AccessCheckError('Okta', error);
            });
          }
          const company = await gateways.dialpad.getCompany().catch((error: unknown) => {
            throw new AccessCheckError('Dialpad', error);
          });
          const oktaOrgId = flags.oktaApp || previous === null ? await readOktaOrgId(gateways.okta, logger) : null;
          const answering = answeringTenant(company, configuredTenant(config.okta), oktaOrgId);
          const { tenant, differences } = repinnedTenant(previous, answering, { dialpadCompany: flags.dialpadCompany, oktaApp: flags.oktaApp });
          const changed = previous === null || differences.length > 0;
          let runId: string | null = null;
          if (changed) {
            runId = randomUUID();
            await store.runs.start(runId, 'repin', true);
            await store.tenantPins.pin(tenant, 'repin', runId);
            await store.runs.finish(runId, 'succeeded', {});
            logger.warn({ runId, previous, pinned: tenant, differences }, 'tenant re-pinned');
          }
          const report: RepinReport = { changed, previous, pinned: tenant, differences, runId };
          if (flags.json) {
            io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          } else if (!changed) {
            io.stdout.write(`Nothing to re-pin: this database is already pinned to ${describeTenant(tenant)}.\n`);
          } else if (previous === null) {
            io.stdout.write(`Pinned this database to ${describeTenant(tenant)} (it was not pinned yet).\n`);
          } else {
            io.stdout.write(`Re-pinned this database (run ${runId ?? ''}):\n${renderTenantChanges(differences).join('\n')}\nNow pinned: ${describeTenant(tenant)}.\n`);
          }
          return EXIT.ok;
        }),
      );
    });
}
