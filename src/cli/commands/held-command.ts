// `dialsync held`: the suspends and deletes the run-wide gates hold right now, with the decision on each, read from
// the database only.
import type { Command } from 'commander';
import type { HeldAction } from '../../store/held-actions.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../plan-table.js';
import { withStoreRuntime, type CliIo } from '../runtime.js';

interface HeldFlags {
  config?: string;
  json: boolean;
}

/**
 * `dialsync held [--json]`: lists the held suspends and deletes (oldest first) with their gate, since when, the run
 * that held them and the decision (approved until when, dismissed, or none). Exit 0 (also when nothing is held),
 * 2 when there is no database yet. Needs no credentials (withStoreRuntime).
 */
export function registerHeldCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('held')
    .description('List the suspends and deletes the mass-change guard and the health gates hold, with the decision on each.')
    .option('-c, --config <file>', 'YAML config file')
    .option('--json', 'print the held actions as JSON on stdout', false)
    .addHelpText(
      'after',
      '\nApprove some with `dialsync approve EMAIL...` (or --all): the next run carries out exactly those, if it still plans them. `dialsync dismiss` records that they stay held. Reads only the database: needs no credentials.\nExit codes: 0 listed (also when nothing is held), 2 usage error or there is no database yet.',
    )
    .action(async (flags: HeldFlags) => {
      setExitCode(
        await withStoreRuntime(io, flags.config, flags.json, async ({ store }) => {
          const held = await store.held.list();
          io.stdout.write(flags.json ? `${JSON.stringify({ count: held.length, held }, null, 2)}\n` : renderHeld(held));
          return EXIT.ok;
        }),
      );
    });
}

/** The held actions as a table, or a sentence when there are none. */
export function renderHeld(held: readonly HeldAction[]): string {
  if (held.length === 0) return 'Nothing is held: no run-wide gate holds a suspend or delete.\n';
  const lines = [
    `Held actions (${held.length})`,
    ...table(
      ['EMAIL', 'ACTION', 'GATE', 'HELD SINCE', 'RUN', 'DECISION'],
      held.map((h) => [h.email, h.kind, h.gate, h.heldAt, h.runId, describeDecision(h)]),
    ),
    '',
    'Approve with `dialsync approve EMAIL...` (or --all); dismiss with `dialsync dismiss EMAIL...`.',
  ];
  return `${lines.join('\n')}\n`;
}

/** A held action's decision in words: approved (by whom, until when), dismissed (by whom), or undecided. */
export function describeDecision(h: Pick<HeldAction, 'decision' | 'decidedBy' | 'expiresAt'>): string {
  if (h.decision === 'approved') return `approved by ${h.decidedBy ?? '?'} until ${h.expiresAt ?? '?'}`;
  if (h.decision === 'dismissed') return `dismissed by ${h.decidedBy ?? '?'}`;
  return 'pending';
}
