// What the admin console shows beyond the runs themselves: each run's actions with their outcomes (run_actions),
// the suspends and deletes a run-wide gate holds right now with an admin's decision on them (held_actions), and
// every admin action (audit_events). Plus per-run counts of 429 answers, unmanaged users and held actions.
// Portable SQL only (SQLite and PostgreSQL).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  // One row per action a run planned, carried out, held or withheld. `seq` orders a run's rows; `id` is the key
  // pages are read by (migrate --from).
  await knex.schema.createTable('run_actions', (t) => {
    t.increments('id').primary();
    t.string('run_id', 36).notNullable().references('id').inTable('runs');
    t.integer('seq').notNullable();
    // plan/user-key.ts userKeyOf: up to `dialpad:` and a 320-character email.
    t.text('user_key').notNullable();
    t.string('okta_user_id', 64);
    t.string('dialpad_user_id', 32);
    t.string('email', 320).notNullable();
    // An ActionKind (create, suspend, write_back, ...).
    t.string('kind', 24).notNullable();
    t.text('reason').notNullable();
    // done | failed | not_run | planned (a dry run) | held (a run-wide gate) | withheld (policy, caps, seats).
    t.string('outcome', 16).notNullable();
    t.text('error');
    // The run-wide gate that held it: mass-change | source-health | dialpad-health.
    t.string('gate', 24);
    // The audit actor of the approval that let it through.
    t.text('approved_by');
    t.unique(['run_id', 'seq']);
    t.index(['okta_user_id']);
    t.index(['email']);
  });

  // The suspends and deletes a run-wide gate holds right now, one row per user and kind, with the decision on them.
  await knex.schema.createTable('held_actions', (t) => {
    t.increments('id').primary();
    t.text('user_key').notNullable();
    t.string('okta_user_id', 64);
    t.string('dialpad_user_id', 32);
    t.string('email', 320).notNullable();
    // suspend | delete.
    t.string('kind', 16).notNullable();
    // mass-change | source-health | dialpad-health.
    t.string('gate', 24).notNullable();
    t.text('reason').notNullable();
    // The run that held it (last); ISO 8601 times.
    t.string('run_id', 36).notNullable().references('id').inTable('runs');
    t.string('held_at', 32).notNullable();
    // approved | dismissed; null while no one decided.
    t.string('decision', 16);
    // An audit actor (okta:<email>, token:<name>, cli:<user>@<host>).
    t.text('decided_by');
    t.string('decided_at', 32);
    // When an approval stops counting.
    t.string('expires_at', 32);
    t.unique(['user_key', 'kind']);
  });

  // Every admin action and what the service did with it: who (actor), what (action), on what (target), details.
  await knex.schema.createTable('audit_events', (t) => {
    t.increments('id').primary();
    t.string('at', 32).notNullable();
    t.text('actor').notNullable();
    t.string('action', 32).notNullable();
    t.text('target');
    // A JSON object.
    t.text('detail').notNullable();
    t.index(['at']);
  });

  await knex.schema.alterTable('runs', (t) => {
    // 429 answers from each API during the run; null for runs from before these columns.
    t.integer('dialpad_throttled');
    t.integer('okta_throttled');
    // Dialpad users dialsync neither created nor adopted, as the run's plan counted them.
    t.integer('unmanaged_users');
    // Suspends and deletes a run-wide gate held in the run.
    t.integer('held_actions');
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.alterTable('runs', (t) => {
    t.dropColumn('held_actions');
    t.dropColumn('unmanaged_users');
    t.dropColumn('okta_throttled');
    t.dropColumn('dialpad_throttled');
  });
  await knex.schema.dropTable('audit_events');
  await knex.schema.dropTable('held_actions');
  await knex.schema.dropTable('run_actions');
}
