// Runs asked for from the admin console ("Run now"): any replica writes the request, the leader takes it when it
// renews its lease and starts a full run, then records which run carried it out. Portable SQL only (SQLite and
// PostgreSQL).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('run_requests', (t) => {
    t.increments('id').primary();
    // What is asked for: `full` (a full run) is the only kind so far.
    t.string('kind', 16).notNullable();
    // The audit actor that asked (okta:<email>, token:<name>), and when (ISO 8601).
    t.text('requested_by').notNullable();
    t.string('requested_at', 32).notNullable();
    // The replica (leader) that took it, and when; null while it waits.
    t.string('taken_by', 255);
    t.string('taken_at', 32);
    // The run that carried it out; null until that run has ended.
    t.string('run_id', 36).references('id').inTable('runs');
    t.index(['run_id']);
    t.index(['requested_at']);
  });
  // One waiting request per kind: a second "Run now" while one waits finds the first (see RunRequestStore.request).
  await knex.raw('CREATE UNIQUE INDEX run_requests_one_waiting ON run_requests (kind) WHERE taken_by IS NULL');
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('run_requests');
}
