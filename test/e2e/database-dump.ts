// Everything a dialsync database holds, as text: every row of every table, and the raw bytes of the SQLite file
// and its WAL, for tests that prove something (a secret) never reached it.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { rawDatabase } from '../store/raw-database.js';

export interface DatabaseDump {
  /** Table name → its rows. */
  tables: Record<string, unknown[]>;
  /** The rows as JSON text. */
  rows: string;
  /** The SQLite file and its -wal/-shm companions, as latin1 text. */
  files: string;
}

export async function dumpDatabase(database: string): Promise<DatabaseDump> {
  const store = await Store.open(database);
  const tables: Record<string, unknown[]> = {};
  try {
    const db = rawDatabase(store);
    const names = (await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'")) as { name: string }[];
    for (const { name } of names) tables[name] = (await db.raw(`SELECT * FROM "${name.replaceAll('"', '""')}"`)) as unknown[];
  } finally {
    await store.close();
  }
  const folder = dirname(database);
  const files = readdirSync(folder)
    .filter((name) => name.startsWith(basename(database)))
    .map((name) => readFileSync(join(folder, name)).toString('latin1'))
    .join('\n');
  return { tables, rows: JSON.stringify(tables), files };
}
