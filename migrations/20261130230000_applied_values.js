// The last value dialsync applied to (or adopted from) each field of a Dialpad user, with Okta's value at that
// time: what the drift policies (drift.*) read to tell "Dialpad changed since dialsync wrote it" from "Okta
// changed". Portable SQL only (SQLite and PostgreSQL).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('applied_values', (t) => {
    t.string('dialpad_user_id', 32).notNullable();
    // first_name, last_name, job_title, office (the office id) or license.
    t.string('field', 16).notNullable();
    // The value Dialpad held after dialsync wrote or adopted it, and Okta's value then; null: empty.
    t.text('applied');
    t.text('okta');
    // When dialsync decided it (ISO 8601).
    t.string('decided_at', 32).notNullable();
    t.primary(['dialpad_user_id', 'field']);
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('applied_values');
}
