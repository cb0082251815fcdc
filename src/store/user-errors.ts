// The last failure per user and how many runs in a row it has failed: `status` shows it, quarantine builds on it.
import type { Knex } from 'knex';
import { writeTransaction } from './database.js';

/** A user's last failure as stored, and how many runs in a row it has failed. */
export interface UserError {
  /** plan/user-key.ts userKeyOf: the Okta id, else the Dialpad id, else the email. */
  userKey: string;
  oktaUserId: string | null;
  email: string | null;
  /** The run of the last failure. */
  runId: string;
  /** The step that failed (create, update, write_back, ...). */
  action: string;
  /** Its error, redacted. */
  message: string;
  /** Failing runs in a row (a count); 0 once released, until it fails again. */
  consecutiveFailures: number;
  /** ISO 8601: the first failure of the current streak. */
  firstFailedAt: string;
  /** ISO 8601. */
  lastFailedAt: string;
  /** sha256 of the user's Okta data when it last failed (quarantine lifts when it changes); null when unknown. */
  oktaFingerprint: string | null;
  /** When `dialsync release` last reset the user's count. */
  releasedAt: string | null;
  /** The failure's cause code (plan/systemic-failure.ts FailureCause.code); null when recorded before it was kept. */
  cause: string | null;
}

interface UserErrorRow {
  user_key: string;
  okta_user_id: string | null;
  email: string | null;
  run_id: string;
  action: string;
  message: string;
  consecutive_failures: number;
  first_failed_at: string;
  last_failed_at: string;
  okta_fingerprint: string | null;
  released_at: string | null;
  cause?: string | null;
}

/** The `user_errors` table: one row per user key. Every method throws what the database driver throws. */
export class UserErrorStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    /** Blanks secrets out of error text before it is stored (see log/redactor.ts). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  /**
   * Counts one more failing run for the user (a second failure in the same run does not count twice). One atomic
   * upsert whose counting is done by the database (INSERT ... ON CONFLICT DO UPDATE, on both engines), not a read
   * then a write: two processes recording failures of one user at once on PostgreSQL each count theirs.
   */
  async record(failure: {
    userKey: string;
    oktaUserId: string | null;
    email: string | null;
    runId: string;
    action: string;
    message: string;
    /** sha256 of the user's Okta data in this run (quarantine). */
    oktaFingerprint?: string | null;
    /** The failure's cause code. */
    cause?: string | null;
  }): Promise<void> {
    const at = this.now().toISOString();
    const fromNew = (column: string): Knex.Raw => this.db.raw('??', [`excluded.${column}`]);
    await this.db('user_errors')
      .insert({
        user_key: failure.userKey,
        okta_user_id: failure.oktaUserId,
        email: failure.email,
        run_id: failure.runId,
        action: failure.action,
        message: this.redact(failure.message),
        consecutive_failures: 1,
        first_failed_at: at,
        last_failed_at: at,
        okta_fingerprint: failure.oktaFingerprint ?? null,
        cause: failure.cause ?? null,
      })
      .onConflict('user_key')
      .merge({
        run_id: fromNew('run_id'),
        action: fromNew('action'),
        message: fromNew('message'),
        email: this.db.raw('coalesce(excluded.email, user_errors.email)'),
        consecutive_failures: this.db.raw(
          'case when user_errors.run_id = excluded.run_id then user_errors.consecutive_failures else user_errors.consecutive_failures + 1 end',
        ),
        // A released user (count 0) that fails again starts a new streak: "since" is now.
        first_failed_at: this.db.raw('case when user_errors.consecutive_failures = 0 then excluded.first_failed_at else user_errors.first_failed_at end'),
        last_failed_at: fromNew('last_failed_at'),
        okta_fingerprint: fromNew('okta_fingerprint'),
        cause: fromNew('cause'),
      });
  }

  /** Forgets the failures of these users (their actions all went through); nothing for unknown keys. */
  async clear(userKeys: string[]): Promise<void> {
    if (userKeys.length === 0) return;
    for (let i = 0; i < userKeys.length; i += 500) {
      await this.db('user_errors').whereIn('user_key', userKeys.slice(i, i + 500)).delete();
    }
  }

  /** The keys of every user with a recorded failure (few: a healthy org has none). */
  async recordedKeys(): Promise<Set<string>> {
    const rows = await this.db<UserErrorRow>('user_errors').select('user_key');
    return new Set(rows.map((row) => row.user_key));
  }

  /**
   * Users whose failing runs are still counted, newest failure first: a released user (count 0) is left out until
   * it fails again, as the next run tries it afresh.
   */
  async failing(): Promise<UserError[]> {
    const rows = await this.db<UserErrorRow>('user_errors').where('consecutive_failures', '>', 0).orderBy('last_failed_at', 'desc');
    return rows.map(toUserError);
  }

  /** Every recorded failure, released users included, newest failure first. */
  async all(): Promise<UserError[]> {
    const rows = await this.db<UserErrorRow>('user_errors').orderBy('last_failed_at', 'desc');
    return rows.map(toUserError);
  }

  // ---- quarantine ----

  /** Users that failed in at least `threshold` runs in a row (quarantined unless their Okta data changed since). */
  async quarantined(threshold: number): Promise<UserError[]> {
    if (threshold <= 0) return [];
    const rows = await this.db<UserErrorRow>('user_errors').where('consecutive_failures', '>=', threshold).orderBy('email');
    return rows.map(toUserError);
  }

  /**
   * `dialsync release EMAIL`: the user's count of failing runs starts again from 0, so the next run tries it.
   * Matches the email case-insensitively; returns the users released (none when no failure is recorded for it).
   */
  async release(email: string): Promise<UserError[]> {
    const wanted = email.trim().toLowerCase();
    return this.releaseWhere((query) => query.whereRaw('lower(email) = ?', [wanted]));
  }

  /** `dialsync release --all`: every user with a failing run counted starts again from 0; returns them. */
  async releaseAll(): Promise<UserError[]> {
    return this.releaseWhere((query) => query.where('consecutive_failures', '>', 0));
  }

  /**
   * `dialsync release --cause CODE`, and a systemic cause seen clear: every user whose last failure had this cause
   * code (and a failing run counted) starts again from 0; returns them.
   */
  async releaseCause(code: string): Promise<UserError[]> {
    return this.releaseWhere((query) => query.where({ cause: code }).andWhere('consecutive_failures', '>', 0));
  }

  /** The console's "release selected": these users (by user key, with a failing run counted) start again from 0; returns them. */
  async releaseKeys(userKeys: readonly string[]): Promise<UserError[]> {
    if (userKeys.length === 0) return [];
    return this.releaseWhere((query) => query.whereIn('user_key', userKeys.slice(0, 10_000)).andWhere('consecutive_failures', '>', 0));
  }

  private releaseWhere(filter: (query: Knex.QueryBuilder<UserErrorRow, UserErrorRow[]>) => Knex.QueryBuilder<UserErrorRow, UserErrorRow[]>): Promise<UserError[]> {
    return writeTransaction(this.db, async (trx) => {
      const rows = await filter(trx<UserErrorRow>('user_errors')).orderBy('email');
      if (rows.length === 0) return [];
      const at = this.now().toISOString();
      const keys = rows.map((row) => row.user_key);
      for (let i = 0; i < keys.length; i += 500) {
        await trx('user_errors').whereIn('user_key', keys.slice(i, i + 500)).update({ consecutive_failures: 0, released_at: at });
      }
      return rows.map((row) => toUserError({ ...row, consecutive_failures: 0, released_at: at }));
    });
  }
}

function toUserError(row: UserErrorRow): UserError {
  return {
    userKey: row.user_key,
    oktaUserId: row.okta_user_id,
    email: row.email,
    runId: row.run_id,
    action: row.action,
    message: row.message,
    consecutiveFailures: row.consecutive_failures,
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    oktaFingerprint: row.okta_fingerprint ?? null,
    releasedAt: row.released_at ?? null,
    cause: row.cause ?? null,
  };
}
