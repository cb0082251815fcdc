// `dialsync held`: what the gates hold, from the database alone (no credentials in the environment).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HeldAction } from '../../src/store/held-actions.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';
import { databaseHolding, heldInput, parsed } from './held-database.js';

describe('dialsync held', () => {
  it('lists what is held as a table, oldest first, and as JSON', async () => {
    const { cli } = await databaseHolding([heldInput('bo@acme.com'), heldInput('al@acme.com', 'delete')]);
    const text = await cli('held');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Held actions \(2\)$/m);
    expect(text.stdout).toMatch(/^\s+EMAIL\s+ACTION\s+GATE\s+HELD SINCE\s+RUN\s+DECISION$/m);
    expect(text.stdout).toMatch(/^\s+bo@acme\.com\s+suspend\s+mass-change\s+\d{4}-\d\d-\d\dT\S+Z\s+run-1\s+pending$/m);
    expect(text.stdout).toMatch(/^\s+al@acme\.com\s+delete\s+mass-change/m);
    const json = parsed<{ count: number; held: HeldAction[] }>(await cli('held', '--json'));
    expect(json.count).toBe(2);
    expect(json.held[0]).toMatchObject({ email: 'bo@acme.com', kind: 'suspend', gate: 'mass-change', runId: 'run-1', decision: null, decidedBy: null, expiresAt: null });
  });

  it('says when nothing is held (exit 0), and exits 2 without a database', async () => {
    const { cli } = await databaseHolding([]);
    const empty = await cli('held');
    expect([empty.code, empty.stdout]).toEqual([0, 'Nothing is held: no run-wide gate holds a suspend or delete.\n']);
    const none = await runCliInProcess(['held'], { DIALSYNC_DATABASE: join(mkdtempSync(join(tmpdir(), 'dialsync-none-')), 'absent.sqlite') });
    expect(none.code).toBe(2);
  });

  it('--help of each command lists its exit codes', async () => {
    const { cli } = await databaseHolding([]);
    for (const command of ['held', 'approve', 'dismiss']) {
      const help = await cli(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Exit codes: 0');
    }
  });
});
