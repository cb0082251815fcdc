// Initial schema. Portable SQL only (SQLite now, PostgreSQL later): no SQLite-only types or features.

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  // Okta user ↔ Dialpad user. origin says whether dialsync created the Dialpad user or adopted it by email:
  // only linked users are ever suspended or deleted.
  await knex.schema.createTable('links', (t) => {
    t.string('okta_user_id', 64).primary();
    t.string('dialpad_user_id', 32).notNullable().unique();
    t.string('origin', 16).notNullable();
    t.string('email', 320).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });

  await knex.schema.createTable('runs', (t) => {
    t.string('id', 36).primary();
    t.string('kind', 16).notNullable();
    t.boolean('apply').notNullable();
    t.string('started_at', 32).notNullable();
    t.string('finished_at', 32);
    t.string('outcome', 16).notNullable();
    t.integer('assignments');
    t.integer('planned_actions');
    t.integer('succeeded_actions');
    t.integer('failed_actions');
    t.integer('skipped_users');
    t.text('error');
    t.index(['started_at']);
  });

  // Every write to Dialpad or Okta: recorded as pending before it is sent, then done or failed.
  await knex.schema.createTable('journal', (t) => {
    t.increments('id').primary();
    t.string('run_id', 36).notNullable().references('id').inTable('runs');
    t.string('okta_user_id', 64);
    t.string('dialpad_user_id', 32);
    t.string('email', 320).notNullable();
    t.string('action', 24).notNullable();
    t.string('target', 16).notNullable();
    t.text('request').notNullable();
    t.string('status', 16).notNullable();
    t.text('result');
    t.text('error');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.index(['status']);
    t.index(['run_id']);
  });

  // The last error per user and how many runs in a row it has failed.
  await knex.schema.createTable('user_errors', (t) => {
    t.string('user_key', 80).primary();
    t.string('okta_user_id', 64);
    t.string('email', 320);
    t.string('run_id', 36).notNullable();
    t.string('action', 24).notNullable();
    t.text('message').notNullable();
    t.integer('consecutive_failures').notNullable();
    t.string('first_failed_at', 32).notNullable();
    t.string('last_failed_at', 32).notNullable();
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('user_errors');
  await knex.schema.dropTable('journal');
  await knex.schema.dropTable('runs');
  await knex.schema.dropTable('links');
}
