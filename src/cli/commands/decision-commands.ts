// `dialsync approve` and `dialsync dismiss`: an admin's decision on held suspends and deletes, from the command line
// (the console does the same through the store). Each decision is audited as `cli:<user>@<host>`.
import type { Command } from 'commander';
import { GATE_NAMES } from '../../plan/safety/held-back.js';
import type { HeldAction } from '../../store/held-actions.js';
import type { Store } from '../../store/store.js';
import { cliActor } from '../cli-actor.js';
import { EXIT } from '../exit-codes.js';
import { withStoreRuntime, type CliIo } from '../runtime.js';
import { describeDecision } from './held-command.js';

interface DecisionFlags {
  config?: string;
  json: boolean;
  all: boolean;
  kind?: string;
}

/** What a decision command does with the held actions it selected; resolves with the rows changed. */
type Decide = (store: Store, ids: number[], actor: string, hours: number) => Promise<HeldAction[]>;

const HOUR_MS = 3_600_000;

/**
 * `dialsync approve EMAIL... | --all [--kind suspend|delete] [--json]`: approves the held actions selected for
 * safety.approvalHours; the next applying run carries out exactly those that it still plans. Exit 0 approved,
 * 2 usage error, nothing held matches, or no database yet. Needs no credentials.
 */
export function registerApproveCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  registerDecision(program, io, setExitCode, {
    name: 'approve',
    description: 'Approve held suspends and deletes: the next run carries out exactly those, if it still plans them.',
    help: 'The approval counts for safety.approvalHours (default 24 h): an approved action the next runs do not carry out in that time is held again. Anything a gate holds that is not approved (a user newly planned for suspension) stays held.',
    decide: (store, ids, actor, hours) => store.held.approve(ids, actor, new Date(Date.now() + hours * HOUR_MS)),
    done: 'Approved',
  });
}

/**
 * `dialsync dismiss EMAIL... | --all [--kind suspend|delete] [--json]`: records that the held actions selected
 * stay held (an approval they had is withdrawn). Exit 0 dismissed, 2 usage error, nothing held matches, or no
 * database yet. Needs no credentials.
 */
export function registerDismissCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  registerDecision(program, io, setExitCode, {
    name: 'dismiss',
    description: 'Dismiss held suspends and deletes: they stay held, and the decision is recorded.',
    help: 'A dismissed action stays held (and dismissed) while the runs hold it; approve it later to let it through.',
    decide: (store, ids, actor) => store.held.dismiss(ids, actor),
    done: 'Dismissed',
  });
}

function registerDecision(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
  spec: { name: string; description: string; help: string; decide: Decide; done: string },
): void {
  program
    .command(spec.name)
    .description(spec.description)
    .argument('[emails...]', 'the users, by email as `dialsync held` lists them')
    .option('--all', 'every held action (with --kind, every one of that kind)', false)
    .option('--kind <kind>', 'only suspends or only deletes: suspend | delete')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print { count, actions } (the held actions changed) as JSON on stdout, as the console API answers', false)
    .addHelpText(
      'after',
      `\nGive EMAIL... or --all. ${spec.help} Recorded in the audit trail as cli:<user>@<host>. Reads and writes only the database: needs no credentials.\nExit codes: 0 done, 2 usage error, nothing held matches, or there is no database yet.`,
    )
    .action(async (emails: string[], flags: DecisionFlags) => {
      const usage = usageProblem(emails, flags);
      if (usage !== null) {
        io.stderr.write(`dialsync ${spec.name}: ${usage} (see \`dialsync ${spec.name} --help\`)\n`);
        setExitCode(EXIT.config);
        return;
      }
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ config, store }) => {
          const held = await store.held.list();
          const wanted = new Set(emails.map((email) => email.trim().toLowerCase()));
          const selected = held.filter((h) => (flags.all || wanted.has(h.email.toLowerCase())) && (flags.kind === undefined || h.kind === flags.kind));
          const unmatched = [...wanted].filter((email) => !selected.some((h) => h.email.toLowerCase() === email));
          if (selected.length === 0 || unmatched.length > 0) {
            const what = unmatched.length > 0 ? `nothing held for ${unmatched.join(', ')}${flags.kind ? ` (${flags.kind})` : ''}` : nothingSelected(held, flags.kind);
            if (flags.json) io.stdout.write(`${JSON.stringify({ error: { message: what, exitCode: EXIT.config } })}\n`);
            io.stderr.write(`dialsync: ${what}: nothing ${spec.name === 'approve' ? 'approved' : 'dismissed'} (\`dialsync held\` lists what is held)\n`);
            return EXIT.config;
          }
          const changed = await spec.decide(store, selected.map((h) => h.id), cliActor(io.env), config.safety.approvalHours);
          if (flags.json) io.stdout.write(`${JSON.stringify({ count: changed.length, actions: changed }, null, 2)}\n`);
          else io.stdout.write(describeChanged(spec.done, changed));
          return EXIT.ok;
        }),
      );
    });
}

/** Why the arguments are not usable, or null: EMAIL... or --all (not both, not neither), --kind suspend or delete. */
function usageProblem(emails: readonly string[], flags: DecisionFlags): string | null {
  if ((emails.length > 0) === flags.all) return 'give EMAIL... or --all';
  if (flags.kind !== undefined && flags.kind !== 'suspend' && flags.kind !== 'delete') return `--kind is suspend or delete, not ${flags.kind}`;
  return null;
}

/**
 * Why --all selected nothing: nothing is held at all, or (with --kind) nothing of that kind, while actions of the
 * other kind are held and stay as they were.
 */
function nothingSelected(held: readonly HeldAction[], kind: string | undefined): string {
  if (held.length === 0 || kind === undefined) return 'nothing is held';
  const other = kind === 'delete' ? 'suspend' : 'delete';
  return `no held ${kind} matches (${held.length} held ${other}${held.length === 1 ? '' : 's'}, not changed)`;
}

function describeChanged(done: string, changed: readonly HeldAction[]): string {
  const lines = changed.map((h) => `${done} the ${h.kind} of ${h.email} (held by the ${GATE_NAMES[h.gate]} in run ${h.runId}): ${describeDecision(h)}.`);
  lines.push(`${done} ${changed.length} held action${changed.length === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}
