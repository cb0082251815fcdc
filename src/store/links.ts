// The Okta ↔ Dialpad links: which Dialpad user belongs to which Okta user, and whether dialsync created or adopted it.
import type { Knex } from 'knex';
import type { Link } from '../plan/types.js';

interface LinkRow {
  okta_user_id: string;
  dialpad_user_id: string;
  origin: string;
  email: string;
  created_at: string;
  updated_at: string;
}

export class LinkStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  async all(): Promise<Link[]> {
    const rows = await this.db<LinkRow>('links').select('okta_user_id', 'dialpad_user_id', 'origin');
    return rows.map(toLink);
  }

  async byOktaUserId(oktaUserId: string): Promise<Link | null> {
    const row = await this.db<LinkRow>('links').where({ okta_user_id: oktaUserId }).first();
    return row ? toLink(row) : null;
  }

  /** Records (or moves) the link of an Okta user. A Dialpad user belongs to at most one Okta user. */
  async save(link: Link, email: string): Promise<void> {
    const at = this.now().toISOString();
    await this.db.transaction(async (trx) => {
      await trx('links').where({ dialpad_user_id: link.dialpadUserId }).whereNot({ okta_user_id: link.oktaUserId }).delete();
      await trx('links')
        .insert({
          okta_user_id: link.oktaUserId,
          dialpad_user_id: link.dialpadUserId,
          origin: link.origin,
          email: email.toLowerCase(),
          created_at: at,
          updated_at: at,
        })
        .onConflict('okta_user_id')
        .merge(['dialpad_user_id', 'origin', 'email', 'updated_at']);
    });
  }

  async remove(oktaUserId: string): Promise<void> {
    await this.db('links').where({ okta_user_id: oktaUserId }).delete();
  }
}

function toLink(row: Pick<LinkRow, 'okta_user_id' | 'dialpad_user_id' | 'origin'>): Link {
  return {
    oktaUserId: row.okta_user_id,
    dialpadUserId: row.dialpad_user_id,
    origin: row.origin === 'created' ? 'created' : 'adopted',
  };
}
