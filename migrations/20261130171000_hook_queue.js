// Okta event hook deliveries queued durably: any replica accepts a delivery and writes its events here (in the
// transaction that claims their uuids in hook_events) before answering 200; the leader drains the queue and
// deletes a row only once a run that covers its users has finished. Portable SQL only (SQLite and PostgreSQL).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('hook_queue', (t) => {
    // The LogEvent uuid: one row per event, however often Okta delivers it.
    t.string('event_uuid', 64).primary();
    // JSON array of the Okta user ids (00u…) the event concerns.
    t.text('okta_user_ids').notNullable();
    // ISO 8601, by the receiving process's clock.
    t.string('received_at', 32).notNullable();
    // The receiving process: host name and pid.
    t.string('received_by', 255).notNullable();
    t.index(['received_at']);
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('hook_queue');
}
