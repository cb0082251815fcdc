// API tokens for automation against the console's /api: each is shown once, when created; the table keeps its
// SHA-256 and a short prefix to tell tokens apart in a list. Revoked tokens stay listed (with when) and sign
// nobody in; a name names one active token.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { ConsoleRole } from './console-sessions.js';
import { writeTransaction } from './database.js';

/** An API token as listed (never the token itself). Times are ISO 8601. */
export interface ApiToken {
  id: number;
  name: string;
  role: ConsoleRole;
  /** The token's first characters (`dsk_` and a few more), to recognise it. */
  prefix: string;
  createdAt: string;
  /** The audit actor that created it. */
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiTokenRow {
  id: number;
  name: string;
  role: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Characters of the token kept as its prefix. */
const PREFIX_LENGTH = 10;

/** An active token already has the name asked for (code `token_name_taken`): revoke it first, or pick another. */
export class TokenNameTakenError extends Error {
  readonly code = 'token_name_taken';
  constructor(readonly tokenName: string) {
    super(`an active API token is already named "${tokenName}": revoke it first (dialsync token revoke ${tokenName}) or choose another name`);
    this.name = 'TokenNameTakenError';
  }
}

/** The `api_tokens` table (migrations/20261130191000_console_auth.js). Every method throws what the driver throws. */
export class ApiTokenStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /**
   * Records `token` (minted by the caller; only its hash and prefix are kept) as `name` with `role`.
   * @throws TokenNameTakenError when an active token has the name.
   */
  async create(q: { name: string; role: ConsoleRole; token: string; createdBy: string }): Promise<ApiToken> {
    return writeTransaction(this.db, async (trx) => {
      const taken = await trx<ApiTokenRow>('api_tokens').where({ name: q.name }).whereNull('revoked_at').first();
      if (taken) throw new TokenNameTakenError(q.name);
      const row: Omit<ApiTokenRow, 'id'> = {
        name: q.name,
        role: q.role,
        token_hash: hashOf(q.token),
        prefix: q.token.slice(0, PREFIX_LENGTH),
        created_at: this.now().toISOString(),
        created_by: q.createdBy,
        last_used_at: null,
        revoked_at: null,
      };
      // The unique index on active names refuses a second create racing past the check above.
      const [inserted]: unknown[] = await trx('api_tokens').insert(row).returning('id');
      // PostgreSQL answers { id }, SQLite the bare id.
      const id = typeof inserted === 'object' && inserted !== null ? (inserted as { id: number }).id : inserted;
      return toToken({ ...row, id: Number(id) });
    });
  }

  /** Every token, active and revoked, oldest first. */
  async list(): Promise<ApiToken[]> {
    return (await this.db<ApiTokenRow>('api_tokens').orderBy('id')).map(toToken);
  }

  /** The active (not revoked) token `token` is, or null. */
  async findActive(token: string): Promise<ApiToken | null> {
    const row = await this.db<ApiTokenRow>('api_tokens').where({ token_hash: hashOf(token) }).whereNull('revoked_at').first();
    return row ? toToken(row) : null;
  }

  /** Records that the token was used now. */
  async markUsed(id: number): Promise<void> {
    await this.db<ApiTokenRow>('api_tokens').where({ id }).update({ last_used_at: this.now().toISOString() });
  }

  /** Revokes the active token named `name`; resolves with it, or null when no active token has that name. */
  async revoke(name: string): Promise<ApiToken | null> {
    return writeTransaction(this.db, async (trx) => {
      const row = await trx<ApiTokenRow>('api_tokens').where({ name }).whereNull('revoked_at').first();
      if (!row) return null;
      const revokedAt = this.now().toISOString();
      await trx<ApiTokenRow>('api_tokens').where({ id: row.id }).update({ revoked_at: revokedAt });
      return toToken({ ...row, revoked_at: revokedAt });
    });
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toToken(row: ApiTokenRow): ApiToken {
  return {
    id: Number(row.id),
    name: row.name,
    role: row.role as ConsoleRole,
    prefix: row.prefix,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
