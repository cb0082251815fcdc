// The daemon's readiness, as last checked: written on every check, which is what proves the store still takes
// writes (a read would pass on a read-only or vanished database), and read by `dialsync status` to say why the
// daemon is unready. Portable SQL only (SQLite now, PostgreSQL later).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('readiness', (t) => {
    // One row per process kind ("daemon").
    t.string('name', 32).primary();
    t.boolean('ready').notNullable();
    // JSON array of {reason, detail}; details are redacted like every error text stored.
    t.text('reasons').notNullable();
    t.string('checked_at', 32).notNullable();
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('readiness');
}
