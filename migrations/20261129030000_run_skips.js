// The users a run skipped, with why, kept with the run so `status` and audits can show them. Portable SQL only.

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.alterTable('runs', (t) => {
    // JSON array of {oktaUserId, email, code, reason}; null for runs from before this column, and for failed runs.
    t.text('skipped');
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.alterTable('runs', (t) => {
    t.dropColumn('skipped');
  });
}
