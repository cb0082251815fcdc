// The admin console's sessions, kept server-side so every replica knows them and a sign-out ends one everywhere.
// The cookie carries the random session id; the table keeps only its SHA-256, so reading the table signs nobody in.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { writeTransaction } from './database.js';

/** What a console user may do: admin changes (approve, dismiss, release, tokens), viewer only reads. */
export type ConsoleRole = 'admin' | 'viewer';

/** A signed-in console user, as stored. Times are ISO 8601. */
export interface ConsoleSession {
  /** The OIDC subject (`sub` claim) of the ID token. */
  subject: string;
  email: string;
  name: string | null;
  role: ConsoleRole;
  /** Sign-in: the absolute expiry counts from here. */
  createdAt: string;
  /** The last request: the idle expiry counts from here. */
  lastSeenAt: string;
}

interface ConsoleSessionRow {
  id: string;
  subject: string;
  email: string;
  name: string | null;
  role: string;
  created_at: string;
  last_seen_at: string;
}

/**
 * The `console_sessions` table (migrations/20261130191000_console_auth.js), looked up by the session id the cookie
 * carries (hashed here, never stored as is). Expiry is the caller's decision (console/session.ts); every method
 * throws what the database driver throws.
 */
export class ConsoleSessionStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /** Records a session signed in now under `sessionId` (the random id the cookie will carry); resolves with it. */
  async create(sessionId: string, user: { subject: string; email: string; name: string | null; role: ConsoleRole }): Promise<ConsoleSession> {
    const at = this.now().toISOString();
    const row: ConsoleSessionRow = { id: hashOf(sessionId), subject: user.subject, email: user.email, name: user.name, role: user.role, created_at: at, last_seen_at: at };
    await this.db<ConsoleSessionRow>('console_sessions').insert(row);
    return toSession(row);
  }

  /** The session with this id, or null when there is none (never created, signed out, or pruned). */
  async find(sessionId: string): Promise<ConsoleSession | null> {
    const row = await this.db<ConsoleSessionRow>('console_sessions').where({ id: hashOf(sessionId) }).first();
    return row ? toSession(row) : null;
  }

  /** Marks the session seen now (its idle expiry starts again). */
  async touch(sessionId: string): Promise<void> {
    await this.db<ConsoleSessionRow>('console_sessions').where({ id: hashOf(sessionId) }).update({ last_seen_at: this.now().toISOString() });
  }

  /** Ends the session; resolves false when there was none. */
  async delete(sessionId: string): Promise<boolean> {
    return (await this.db<ConsoleSessionRow>('console_sessions').where({ id: hashOf(sessionId) }).delete()) > 0;
  }

  /** Every session, oldest sign-in first (ids are not returned: they are hashes, and would sign nobody in anyway). */
  async list(): Promise<ConsoleSession[]> {
    const rows = await this.db<ConsoleSessionRow>('console_sessions').orderBy('created_at', 'asc').orderBy('email', 'asc');
    return rows.map(toSession);
  }

  /**
   * Ends every session of `email` (compared case-insensitively), or every session when `email` is 'all';
   * resolves with the sessions ended.
   */
  async end(email: string | 'all'): Promise<ConsoleSession[]> {
    return writeTransaction(this.db, async (trx) => {
      const matching = (): Knex.QueryBuilder => {
        const table = trx('console_sessions');
        return email === 'all' ? table : table.whereRaw('lower(email) = ?', [email.toLowerCase()]);
      };
      const rows: ConsoleSessionRow[] = await matching().select('*');
      if (rows.length > 0) await matching().delete();
      return rows.map(toSession);
    });
  }

  /** Deletes the sessions last seen before `idleBefore` or created before `createdBefore` (both expired); how many. */
  async prune(q: { idleBefore: Date; createdBefore: Date }): Promise<number> {
    return this.db<ConsoleSessionRow>('console_sessions')
      .where('last_seen_at', '<', q.idleBefore.toISOString())
      .orWhere('created_at', '<', q.createdBefore.toISOString())
      .delete();
  }
}

function hashOf(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

function toSession(row: ConsoleSessionRow): ConsoleSession {
  return { subject: row.subject, email: row.email, name: row.name, role: row.role as ConsoleRole, createdAt: row.created_at, lastSeenAt: row.last_seen_at };
}
