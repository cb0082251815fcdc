// Incremental sync state: named checkpoints (the System Log `next` cursor) and the uuids of Okta Event Hook
// events already handled. Portable SQL only (SQLite now, PostgreSQL later).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('checkpoints', (t) => {
    t.string('name', 64).primary();
    t.text('value').notNullable();
    t.string('updated_at', 32).notNullable();
  });

  // Okta delivers hook events at least once; a uuid seen before is not acted on again.
  await knex.schema.createTable('hook_events', (t) => {
    t.string('uuid', 64).primary();
    t.string('received_at', 32).notNullable();
    t.index(['received_at']);
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('hook_events');
  await knex.schema.dropTable('checkpoints');
}
