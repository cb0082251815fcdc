// The last failure per user and how many runs in a row it has failed: `status` shows it, quarantine builds on it.
import type { Knex } from 'knex';

export interface UserError {
  userKey: string;
  oktaUserId: string | null;
  email: string | null;
  runId: string;
  action: string;
  message: string;
  consecutiveFailures: number;
  firstFailedAt: string;
  lastFailedAt: string;
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
}

export class UserErrorStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /** Counts one more failing run for the user (a second failure in the same run does not count twice). */
  async record(failure: { userKey: string; oktaUserId: string | null; email: string | null; runId: string; action: string; message: string }): Promise<void> {
    const at = this.now().toISOString();
    await this.db.transaction(async (trx) => {
      const existing = await trx<UserErrorRow>('user_errors').where({ user_key: failure.userKey }).first();
      if (!existing) {
        await trx('user_errors').insert({
          user_key: failure.userKey,
          okta_user_id: failure.oktaUserId,
          email: failure.email,
          run_id: failure.runId,
          action: failure.action,
          message: failure.message,
          consecutive_failures: 1,
          first_failed_at: at,
          last_failed_at: at,
        });
        return;
      }
      await trx('user_errors')
        .where({ user_key: failure.userKey })
        .update({
          run_id: failure.runId,
          action: failure.action,
          message: failure.message,
          email: failure.email ?? existing.email,
          consecutive_failures: existing.run_id === failure.runId ? existing.consecutive_failures : existing.consecutive_failures + 1,
          last_failed_at: at,
        });
    });
  }

  async clear(userKeys: string[]): Promise<void> {
    for (let i = 0; i < userKeys.length; i += 500) {
      await this.db('user_errors').whereIn('user_key', userKeys.slice(i, i + 500)).delete();
    }
  }

  async all(): Promise<UserError[]> {
    const rows = await this.db<UserErrorRow>('user_errors').orderBy('last_failed_at', 'desc');
    return rows.map((row) => ({
      userKey: row.user_key,
      oktaUserId: row.okta_user_id,
      email: row.email,
      runId: row.run_id,
      action: row.action,
      message: row.message,
      consecutiveFailures: row.consecutive_failures,
      firstFailedAt: row.first_failed_at,
      lastFailedAt: row.last_failed_at,
    }));
  }
}
