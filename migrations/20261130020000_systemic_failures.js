// Systemic failures: the cause of each user's failure, and the causes a run found shared by its users (they count
// toward nobody's quarantine until a run sees them clear). Portable SQL only (SQLite now, PostgreSQL later).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.alterTable('user_errors', (t) => {
    // The failure's cause code (okta.E0000001, dialpad.bad_request, ...; see src/plan/systemic-failure.ts); null for
    // failures recorded before this column. `dialsync release --cause CODE` and a cleared systemic cause match on it.
    t.string('cause', 64);
  });
  await knex.schema.createTable('systemic_failures', (t) => {
    // The cause's code, plus for data errors the action and the API's explanation.
    t.string('cause_key', 1024).primary();
    t.string('code', 64).notNullable();
    t.string('class', 16).notNullable();
    t.string('service', 16).notNullable();
    // The action a data cause concerns; null for the other classes.
    t.string('kind', 24);
    t.text('summary').notNullable();
    t.text('hint').notNullable();
    t.string('first_seen_at', 32).notNullable();
    t.string('last_seen_at', 32).notNullable();
    t.string('last_run_id', 36).notNullable();
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('systemic_failures');
  await knex.schema.alterTable('user_errors', (t) => {
    t.dropColumn('cause');
  });
}
