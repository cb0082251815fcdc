// Readiness per daemon replica: each replica records its verdict under its own name ("daemon@<host>:<pid>"), and a
// pod's host name is up to 63 characters, more than the 32 the readiness table allowed. SQLite never enforced the
// length, so nothing runs there; PostgreSQL gets an unbounded name.

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  if (knex.client.config.client !== 'pg') return;
  // Raw ALTER ... TYPE: knex's alter() would also drop NOT NULL, which a primary key refuses.
  await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE text', ['readiness', 'name']);
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE varchar(32)', ['readiness', 'name']);
}
