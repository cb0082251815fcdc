// Quarantine and the source health gate. Portable SQL only (SQLite now, PostgreSQL later).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.alterTable('user_errors', (t) => {
    // sha256 (hex) of the user's Okta data when it last failed: a change lifts the quarantine.
    t.string('okta_fingerprint', 64);
    // When an admin last ran `dialsync release` for the user (its count of failing runs starts again from 0).
    t.string('released_at', 32);
  });
  await knex.schema.alterTable('runs', (t) => {
    // Assignments Okta listed in a full listing the source health gate accepted; null for targeted runs and
    // for runs the gate held back. The gate compares each full listing with the last of these.
    t.integer('listed_assignments');
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.alterTable('runs', (t) => {
    t.dropColumn('listed_assignments');
  });
  await knex.schema.alterTable('user_errors', (t) => {
    t.dropColumn('released_at');
    t.dropColumn('okta_fingerprint');
  });
}
