// A database holding some held actions (held by run-1), and the CLI run on it with nothing but the database in the
// environment: what the held, approve and dismiss command tests share.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeldActionInput } from '../../src/store/held-actions.js';
import { Store } from '../../src/store/store.js';
import { runCliInProcess, type CliRun } from '../e2e/in-process-cli.js';

/** A held suspend (or delete) of `email` by the mass-change guard. */
export function heldInput(email: string, kind: 'suspend' | 'delete' = 'suspend'): HeldActionInput {
  return { userKey: `okta:${email}`, oktaUserId: `00u-${email}`, dialpadUserId: null, email, kind, gate: 'mass-change', reason: `held back by the mass-change guard: ${email} left` };
}

/** A database holding `held` (held by run-1), and the CLI on it with nothing but the database in the environment. */
export async function databaseHolding(held: HeldActionInput[], configYaml?: string): Promise<{ cli: (...args: string[]) => Promise<CliRun>; withStore: <T>(use: (store: Store) => Promise<T>) => Promise<T> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dialsync-held-'));
  const database = join(dir, 'dialsync.sqlite');
  const withStore = async <T>(use: (store: Store) => Promise<T>): Promise<T> => {
    const store = await Store.open(database);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };
  await withStore(async (store) => {
    await store.runs.start('run-1', 'full', true);
    await store.held.settle({ runId: 'run-1', held, scope: 'all', done: [] });
  });
  const config = configYaml === undefined ? [] : ['--config', join(dir, 'dialsync.yaml')];
  if (configYaml !== undefined) writeFileSync(join(dir, 'dialsync.yaml'), configYaml);
  return { cli: (...args) => runCliInProcess([...args, ...config], { DIALSYNC_DATABASE: database, USER: 'ana' }), withStore };
}


/** A CLI run's stdout, parsed as JSON. */
export const parsed = <T>(run: CliRun): T => JSON.parse(run.stdout) as T;
