// What a run found wrong with the listings it read (users left out although still there), kept with the run so
// `status` and audits can show that a listing was inconsistent even when the run went through. Portable SQL only.

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.alterTable('runs', (t) => {
    // JSON array of {oktaUserId, email, message}; null when the listings were consistent, and for older runs.
    t.text('listing_warnings');
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.alterTable('runs', (t) => {
    t.dropColumn('listing_warnings');
  });
}
