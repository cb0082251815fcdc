// API keys come from the environment or files and go nowhere else: not into the database (every table, and the
// raw SQLite files), not into the logs, even at trace level and when requests fail.
import { describe, expect, it } from 'vitest';
import { dumpDatabase } from './database-dump.js';
import { buildScenario, runInProcess } from './sync-scenario.js';

describe('secrets', () => {
  it('neither the Okta token nor the Dialpad key is written to the database or the logs', async () => {
    // Failures too: their messages end up in the journal and in user_errors.
    const world = await buildScenario({ dialpad: { faults: { rate: 0.3, kinds: ['500', 'malformed', 'reset'], seed: 3, afterEffect: 0.5 } } });
    try {
      const secrets = [world.okta.token, world.dialpad.apiKey];
      const runs = [
        await runInProcess(world, ['reconcile'], { DIALSYNC_LOG_LEVEL: 'trace' }),
        await runInProcess(world, ['reconcile', '--apply'], { DIALSYNC_LOG_LEVEL: 'trace' }),
        await runInProcess(world, ['reconcile', '--apply', '--json'], { DIALSYNC_LOG_LEVEL: 'trace' }),
      ];
      expect(world.dialpad.faults?.total).toBeGreaterThan(0);

      const { tables, rows: dump, files: raw } = await dumpDatabase(world.database);
      expect(Object.keys(tables)).toEqual(expect.arrayContaining(['links', 'journal']));
      // The dump is real: it holds the links and the journaled requests of the runs above.
      expect(dump).toContain('n1@acme.com');
      expect(tables.journal?.length).toBeGreaterThan(10);
      const output = runs.map((run) => run.stdout + run.stderr).join('\n');
      // Debug lines (every request) were written: the most talkative logs are covered.
      expect(output).toContain('"level":20');

      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThan(20);
        for (const [where, text] of [['tables', dump], ['database files', raw], ['output', output]] as const) {
          expect(text.includes(secret), `${where} contain a secret`).toBe(false);
          expect(text.includes(secret.slice(0, 16)), `${where} contain the start of a secret`).toBe(false);
        }
      }
    } finally {
      await world.stop();
    }
  }, 120_000);
});
