// The Okta ↔ Dialpad links: which Dialpad user belongs to which Okta user, and whether dialsync created or adopted it.
import type { Knex } from 'knex';
import { emailKey } from '../identity/email-identity.js';
import type { Link } from '../plan/types.js';
import { backendOfHandle, writeTransaction } from './database.js';
import type { JournalRequest } from './journal.js';

interface LinkRow {
  okta_user_id: string;
  dialpad_user_id: string;
  origin: string;
  email: string;
  created_at: string;
  updated_at: string;
}

/** Links per query of all(). */
const LINK_PAGE = 5_000;
/** Rows per statement of saveMany: 6 values a row (3 in its delete) stays under SQLite's 32,766 bound parameters. */
const SAVE_CHUNK = 500;

/**
 * The `links` table (docs/rules.md#link): one row per Okta user, a Dialpad user in at most one row. Every method
 * throws what the database driver throws.
 */
export class LinkStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /**
   * Every link, read in keyset pages of the primary key: the sqlite3 driver builds a whole result in native memory
   * before handing it over, and 100,000 links in one result would stay in the process's resident memory.
   */
  async all(): Promise<Link[]> {
    const links: Link[] = [];
    let after: string | null = null;
    for (;;) {
      const query = this.db<LinkRow>('links').select('okta_user_id', 'dialpad_user_id', 'origin').orderBy('okta_user_id').limit(LINK_PAGE);
      const rows: Pick<LinkRow, 'okta_user_id' | 'dialpad_user_id' | 'origin'>[] = await (after === null ? query : query.where('okta_user_id', '>', after));
      for (const row of rows) links.push(toLink(row));
      const last = rows.at(-1);
      if (last === undefined || rows.length < LINK_PAGE) return links;
      after = last.okta_user_id;
    }
  }

  /** How many links there are (users dialsync manages). */
  async count(): Promise<number> {
    const row = await this.db('links').count<{ n: number | string }[]>({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  /**
   * The links whose email contains `fragment` (case-insensitively; `%` and `_` match themselves), by email, at most
   * `limit`: the console's user search.
   */
  async search(fragment: string, limit: number): Promise<(Link & { email: string })[]> {
    const pattern = `%${fragment.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db<LinkRow>('links')
      .select('okta_user_id', 'dialpad_user_id', 'origin', 'email')
      .whereRaw("lower(email) like ? escape '\\'", [pattern])
      .orderBy('email')
      .limit(limit);
    return rows.map((row) => ({ ...toLink(row), email: row.email }));
  }

  /** The link of Okta user `oktaUserId`, or null when it has none. */
  async byOktaUserId(oktaUserId: string): Promise<Link | null> {
    const row = await this.db<LinkRow>('links').where({ okta_user_id: oktaUserId }).first();
    return row ? toLink(row) : null;
  }

  /**
   * The link of the Okta user whose email this is, or null: the way to a user who is gone from Okta (`--user`).
   * Matched by emailKey, and as lower-cased text for links saved before emailKey was used.
   */
  async byEmail(email: string): Promise<Link | null> {
    const row = await this.db<LinkRow>('links')
      .whereIn('email', [...new Set([emailKey(email), email.trim().toLowerCase()])])
      .select('okta_user_id', 'dialpad_user_id', 'origin')
      .first();
    return row ? toLink(row) : null;
  }

  /** Records (or moves) the link of an Okta user. A Dialpad user belongs to at most one Okta user. */
  async save(link: Link, email: string): Promise<void> {
    const at = this.now().toISOString();
    await writeTransaction(this.db, async (trx) => {
      await lockLinks(trx);
      await trx('links').where({ dialpad_user_id: link.dialpadUserId }).whereNot({ okta_user_id: link.oktaUserId }).delete();
      await trx('links')
        .insert(toRow(link, email, at))
        .onConflict('okta_user_id')
        .merge(['dialpad_user_id', 'origin', 'email', 'updated_at']);
    });
  }

  /**
   * Records many links in one transaction (a first run adopting 100,000 users would otherwise commit 100,000
   * times). Same rule as save: a Dialpad user belongs to at most one Okta user, so earlier links to these Dialpad
   * users are dropped first. Each Okta user and each Dialpad user may appear once in the batch: otherwise throws a
   * RangeError and saves nothing.
   */
  async saveMany(entries: readonly { link: Link; email: string }[]): Promise<void> {
    if (new Set(entries.map((e) => e.link.dialpadUserId)).size !== entries.length || new Set(entries.map((e) => e.link.oktaUserId)).size !== entries.length) {
      throw new RangeError('saveMany: an Okta user or a Dialpad user appears twice in the batch');
    }
    const at = this.now().toISOString();
    await writeTransaction(this.db, async (trx) => {
      await lockLinks(trx);
      for (let i = 0; i < entries.length; i += SAVE_CHUNK) {
        const chunk = entries.slice(i, i + SAVE_CHUNK);
        // As in save: a link that already pairs the same two users stays (and keeps its created_at). The holders are
        // read and the others dropped by key: a NOT IN over 500 (Dialpad user, Okta user) pairs costs PostgreSQL
        // more to plan (about 12 ms) than to run, and a first run adopting everyone finds no holder to drop at all.
        const oktaUserFor = new Map(chunk.map((e) => [e.link.dialpadUserId, e.link.oktaUserId]));
        const holders: Pick<LinkRow, 'okta_user_id' | 'dialpad_user_id'>[] = await trx<LinkRow>('links')
          .whereIn('dialpad_user_id', [...oktaUserFor.keys()])
          .select('okta_user_id', 'dialpad_user_id');
        const stale = holders.filter((row) => oktaUserFor.get(row.dialpad_user_id) !== row.okta_user_id).map((row) => row.okta_user_id);
        if (stale.length > 0) await trx('links').whereIn('okta_user_id', stale).delete();
        await trx('links')
          .insert(chunk.map(({ link, email }) => toRow(link, email, at)))
          .onConflict('okta_user_id')
          .merge(['dialpad_user_id', 'origin', 'email', 'updated_at']);
      }
    });
  }

  /**
   * Passes the link of Dialpad user `move.dialpadUserId` from Okta user `move.from` to `move.to` (a re-hire), in
   * one transaction, keeping `move.origin` (so the Dialpad user stays managed). Done already (the link is `to`'s)
   * is fine: a run after a crash repeats it harmlessly. Any earlier link of `to` is replaced.
   * Throws LinkTransferError (code link_moved) when the Dialpad user is linked to a third Okta user by now.
   */
  async transfer(move: LinkTransfer, email: string): Promise<void> {
    const at = this.now().toISOString();
    await writeTransaction(this.db, async (trx) => {
      await lockLinks(trx);
      const holders: Pick<LinkRow, 'okta_user_id'>[] = await trx<LinkRow>('links').where({ dialpad_user_id: move.dialpadUserId }).select('okta_user_id');
      const third = holders.find((row) => row.okta_user_id !== move.from && row.okta_user_id !== move.to);
      if (third) throw new LinkTransferError(move.dialpadUserId, third.okta_user_id);
      await trx('links').where({ dialpad_user_id: move.dialpadUserId, okta_user_id: move.from }).delete();
      await trx('links')
        .insert(toRow({ oktaUserId: move.to, dialpadUserId: move.dialpadUserId, origin: move.origin }, email, at))
        .onConflict('okta_user_id')
        .merge(['dialpad_user_id', 'origin', 'email', 'updated_at']);
    });
  }

  /** Forgets the link of Okta user `oktaUserId` (its Dialpad user was deleted); nothing when it has none. */
  async remove(oktaUserId: string): Promise<void> {
    await this.db('links').where({ okta_user_id: oktaUserId }).delete();
  }
}

/** A re-hire's relink: the link of Dialpad user `dialpadUserId` passes from Okta user `from` to `to`. */
export interface LinkTransfer {
  dialpadUserId: string;
  from: string;
  to: string;
  /** Kept from the link as it was, so the Dialpad user stays managed. */
  origin: Link['origin'];
}

/**
 * The transfer as the action journal records it (target `store`): the only write to dialsync's own store that is
 * journaled like an API write, described here so the journal spells no table itself.
 */
export function transferRequest(move: LinkTransfer): JournalRequest {
  return { method: 'MOVE', path: `links/dialpad/${move.dialpadUserId}`, body: { from: move.from, to: move.to, origin: move.origin } };
}

/** The link's Dialpad user is linked to another Okta user than the transfer expected: nothing was changed. */
export class LinkTransferError extends Error {
  readonly code = 'link_moved';
  constructor(
    readonly dialpadUserId: string,
    readonly linkedTo: string,
  ) {
    super(`Dialpad user ${dialpadUserId} is linked to Okta user ${linkedTo} by now: the link was not moved (the next run plans again)`);
    this.name = 'LinkTransferError';
  }
}

/**
 * Makes the link writers of a transaction take turns, as SQLite makes every writer do. On PostgreSQL two
 * transactions saving the same Dialpad user to two Okta users would otherwise both find no holder to drop (READ
 * COMMITTED sees neither's uncommitted row) and the second would fail on the unique Dialpad user id; a transfer
 * would check a holder that changes before it writes. SHARE ROW EXCLUSIVE conflicts with itself and with every
 * write, not with reads; it is held to the end of the transaction. Nothing to do on SQLite.
 */
async function lockLinks(trx: Knex.Transaction): Promise<void> {
  if (backendOfHandle(trx) === 'postgres') await trx.raw('LOCK TABLE links IN SHARE ROW EXCLUSIVE MODE');
}

/** A new row; email is kept as its emailKey (looked up by --user). */
function toRow(link: Link, email: string, at: string): LinkRow {
  return {
    okta_user_id: link.oktaUserId,
    dialpad_user_id: link.dialpadUserId,
    origin: link.origin,
    email: emailKey(email),
    created_at: at,
    updated_at: at,
  };
}

function toLink(row: Pick<LinkRow, 'okta_user_id' | 'dialpad_user_id' | 'origin'>): Link {
  return {
    oktaUserId: row.okta_user_id,
    dialpadUserId: row.dialpad_user_id,
    origin: row.origin === 'created' ? 'created' : 'adopted',
  };
}
