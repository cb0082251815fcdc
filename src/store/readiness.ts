// The daemon's last readiness verdict, kept in the store. Writing it is the daemon's proof that the store still
// takes writes; `dialsync status` reads it to show why the daemon is unready, with the details /readyz leaves out.
import { statSync } from 'node:fs';
import type { Knex } from 'knex';

/** One reason the daemon is unready: its code (as /readyz shows it) and what a person needs to act on it. */
export interface ReadinessProblem {
  reason: string;
  detail: string;
}

/** The last verdict recorded: when, and why not ready (empty when ready). */
export interface ReadinessRecord {
  name: string;
  ready: boolean;
  problems: ReadinessProblem[];
  checkedAt: string;
}

interface ReadinessRow {
  name: string;
  ready: boolean | number;
  reasons: string;
  checked_at: string;
}

/** The database file as opened: a file put in its place (or its deletion) leaves the open handle on the old one. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** The `readiness` table (migrations/20261130043000_readiness.js): one row per name, replaced on each check. */
export class ReadinessStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of the details before they are stored. */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /** Saves the verdict of `name` (one row each). Rejects when the store cannot be written: that is the probe. */
  async record(name: string, problems: readonly ReadinessProblem[]): Promise<void> {
    const row: ReadinessRow = {
      name,
      ready: problems.length === 0,
      reasons: this.redact(JSON.stringify(problems.map(({ reason, detail }) => ({ reason, detail })))),
      checked_at: this.now().toISOString(),
    };
    await this.db<ReadinessRow>('readiness').insert(row).onConflict('name').merge(['ready', 'reasons', 'checked_at']);
  }

  /** The last verdict recorded for `name`, or null when none was. */
  async last(name: string): Promise<ReadinessRecord | null> {
    const row = await this.db<ReadinessRow>('readiness').where({ name }).first();
    return row === undefined ? null : toRecord(row);
  }

  /**
   * The verdicts of every name that is `prefix` or starts with `prefix@` (each daemon replica records its own,
   * `daemon@<host>:<pid>`), checked at or after `since`, the most recent first.
   */
  async named(prefix: string, since: Date): Promise<ReadinessRecord[]> {
    const rows = await this.db<ReadinessRow>('readiness')
      .where((query) => query.where({ name: prefix }).orWhere('name', 'like', `${prefix}@%`))
      .andWhere('checked_at', '>=', since.toISOString())
      .orderBy('checked_at', 'desc');
    return rows.map(toRecord);
  }

  /** Forgets the verdict of `name` (a replica that stopped). */
  async remove(name: string): Promise<void> {
    await this.db<ReadinessRow>('readiness').where({ name }).delete();
  }

  /** Forgets the verdicts of names as named() matches them, checked before `before` (replicas long gone); how many. */
  async prune(prefix: string, before: Date): Promise<number> {
    return this.db<ReadinessRow>('readiness')
      .where((query) => query.where({ name: prefix }).orWhere('name', 'like', `${prefix}@%`))
      .andWhere('checked_at', '<', before.toISOString())
      .delete();
  }
}

function toRecord(row: ReadinessRow): ReadinessRecord {
  return { name: row.name, ready: Boolean(row.ready), problems: parseProblems(row.reasons), checkedAt: row.checked_at };
}

/** The file's device and inode, or null when it does not exist (":memory:" has none either). */
export function fileIdentity(filename: string): FileIdentity | null {
  if (filename === ':memory:') return null;
  try {
    const stat = statSync(filename);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return null;
  }
}

function parseProblems(text: string): ReadinessProblem[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item: unknown) => {
      if (typeof item !== 'object' || item === null) return [];
      const { reason, detail } = item as Record<string, unknown>;
      return typeof reason === 'string' && typeof detail === 'string' ? [{ reason, detail }] : [];
    });
  } catch {
    return [];
  }
}
