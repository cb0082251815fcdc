// `dialsync explain EMAIL`: reads both sides for one user and prints what dialsync sees and would do.
// reconcile/explain-user.ts reads what `dialsync reconcile --user EMAIL` reads (the safety facts included) and runs
// the same planner and safety pipeline; this file checks access and prints. Read-only: no run is recorded.
import type { Command } from 'commander';
import { driftValueText, type Explanation } from '../../plan/explain.js';
import type { Action } from '../../plan/types.js';
import { explainOneUser } from '../../reconcile/explain-user.js';
import { buildGateways } from '../../wiring/build.js';
import { checkAccess } from '../access-check.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../plan-table.js';
import { withRuntime, type CliIo } from '../runtime.js';

interface ExplainFlags {
  config?: string;
  json: boolean;
}

/**
 * Adds `dialsync explain EMAIL` to `program`: the read, plan and safety passes of `reconcile --user EMAIL`, printed
 * as what dialsync sees and would do for that user; changes nothing and records no run. Reports through
 * `setExitCode`: 0 explained, 2 configuration or no such user, 3 access refused or another tenant than the pin.
 */
export function registerExplainCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('explain')
    .description('Show what dialsync sees for one user in Okta and Dialpad, which rules decide the office, license and number, and what the next run would do. Changes nothing.')
    .argument('<email>', 'the Okta login or email of the user')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it)')
    .option('--json', 'print the explanation as JSON on stdout', false)
    .addHelpText(
      'after',
      '\nWhat the next run would do is what `dialsync reconcile --user EMAIL` (without --allow-mass-changes) would do: the same planner and every safety pass, ' +
        'so a user quarantine, a license cap, the seat check or the mass-change guard would hold is explained as held, with the reason the run prints. ' +
        'Like that run, it reads one user: the source and Dialpad health gates, which judge full listings, do not apply.',
    )
    .addHelpText('after', '\nExit codes: 0 explained (an unmanaged Dialpad user too), 2 configuration error or an email neither Okta, a link nor a live Dialpad user holds, 3 credentials or access refused, or not the Dialpad company or Okta app the database is pinned to (as `dialsync reconcile`).')
    .action(async (email: string, flags: ExplainFlags) => {
      setExitCode(
        await withRuntime(io, flags.config, flags.json, async ({ config, logger, store }) => {
          const gateways = buildGateways(config, logger);
          await checkAccess(gateways);
          const explanation = await explainOneUser({ gateways, store, config, logger }, email);
          io.stdout.write(flags.json ? `${JSON.stringify(explanation, null, 2)}\n` : `${renderExplanation(explanation)}\n`);
          return EXIT.ok;
        }),
      );
    });
}

/**
 * An explanation as text: the user's Okta side (attributes and where each came from), its Dialpad side and link,
 * the office, license and number rules' choices, warnings, and the next run's actions and held-back ones.
 */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [];
  out.push(`${e.email}${e.oktaUserId ? ` (Okta user ${e.oktaUserId})` : ''}`);
  out.push('');

  if (e.okta) {
    out.push(`Okta: status ${e.okta.status} (${e.okta.inScope ? 'in scope' : 'not in scope'}), assigned ${e.okta.scope === 'GROUP' ? 'through a group' : 'directly'}, app user ${e.okta.appUserStatus}`);
    out.push(
      ...table(
        ['FIELD', 'VALUE', 'FROM'],
        e.okta.attributes.map((a) => [
          a.field,
          a.value === null ? '(empty)' : `"${a.value}"`,
          a.attribute === null ? `none of ${a.tried.join(', ')}` : `${a.attribute} (${a.profile === 'appUser' ? 'app user profile' : 'user profile'})`,
        ]),
      ),
    );
    out.push(`  write-back: ${e.okta.writeBack.attribute} on the ${e.okta.writeBack.target === 'user' ? 'user' : 'app user'} profile is ${e.okta.writeBack.value === null ? '(empty)' : `"${e.okta.writeBack.value}"`}`);
    if (e.scope) out.push(`  scope: ${e.scope.inScope ? 'in' : 'out'}: ${e.scope.reason}`);
  } else {
    out.push('Okta: not assigned to the app');
  }
  out.push('');

  if (e.dialpad) {
    const d = e.dialpad;
    const how = { link: 'linked', email: 'found by its primary email (not linked yet)', unmanaged: 'unmanaged (holds this primary email; no Okta user or link claims it)' }[d.matchedBy];
    out.push(`Dialpad: user ${d.id}, ${how}`);
    out.push(`  emails ${d.emails.join(', ') || '(none)'}; name ${[d.firstName, d.lastName].filter(Boolean).join(' ') || '(none)'}${d.jobTitle ? `; title "${d.jobTitle}"` : ''}`);
    out.push(`  state ${d.state}; office ${d.officeName ? `"${d.officeName}" (${d.officeId})` : (d.officeId ?? '(none)')}; license ${d.license ?? '(none)'}; numbers ${d.phoneNumbers.join(', ') || '(none)'}`);
  } else {
    out.push('Dialpad: no user linked or with this primary email');
  }
  out.push(e.link ? `Link: Okta user ${e.link.oktaUserId} ↔ Dialpad user ${e.link.dialpadUserId} (${e.link.origin === 'created' ? 'created by dialsync' : 'adopted by email'})` : 'Link: none');
  if (e.relink) out.push(`Re-hire: the next run takes over the link of Dialpad user ${e.relink.dialpadUserId} from Okta user ${e.relink.previousOktaUserId} (${e.relink.cause.replace('_', ' ')})`);
  out.push('');

  if (e.office) {
    const placed = e.office.officeName ? `"${e.office.officeName}" (${e.office.officeId}), rule ${e.office.rule}` : 'none';
    out.push(`Office: ${placed}`);
    out.push(`  ${e.office.explanation}`);
  }
  if (e.license) {
    out.push(`License: ${e.license.license ?? 'unknown'} (${e.license.source})`);
    out.push(`  ${e.license.explanation}`);
  }
  if (e.number) {
    out.push(`Number: ${e.number.kind}${e.number.number ? ` ${e.number.number}` : e.number.areaCode ? ` (area code ${e.number.areaCode})` : ''}`);
    out.push(`  ${e.number.explanation}`);
  }
  if (e.drift && e.drift.length > 0) {
    out.push('Drift (Dialpad edits against Okta, by drift.* policy):');
    out.push(
      ...table(
        ['FIELD', 'LAST APPLIED', 'OKTA', 'DIALPAD', 'POLICY', 'DECISION'],
        e.drift.map((d) => [d.field, driftValueText(d, 'applied'), driftValueText(d, 'okta'), driftValueText(d, 'dialpad'), d.policy, d.decision === 'in_step' ? 'in step' : d.decision]),
      ),
    );
  }
  const warnings = [...(e.office?.warnings ?? []), ...e.next.warnings.filter((w) => !(e.office?.warnings ?? []).includes(w))];
  if (warnings.length > 0) {
    out.push('');
    out.push(`Warnings (${warnings.length})`);
    for (const warning of warnings) out.push(`  ${warning}`);
  }
  out.push('');
  out.push(`Next run: ${e.next.summary}`);
  if (e.next.actions.length > 0) out.push(...table(['ACTION', 'REASON'], e.next.actions.map((a) => [label(a), a.reason])));
  for (const w of e.next.withheld) out.push(`  held back: ${w.kind} (${w.reason})`);
  return out.join('\n');
}

function label(action: Action): string {
  switch (action.kind) {
    case 'update':
      return `update ${action.changes.map((c) => c.field).join(', ')}`;
    case 'assign_number':
      return `assign number ${action.number ?? (action.areaCode ? `(area code ${action.areaCode})` : '(Dialpad chooses)')}`;
    case 'write_back':
      return `write back ${action.pending ? '(the new number)' : (action.to ?? '(clear)')}`;
    default:
      return action.kind.replace('_', ' ');
  }
}
