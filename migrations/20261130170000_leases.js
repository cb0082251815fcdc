// Leases: the database-wide run lock that lets one process at a time apply (a leading daemon, or a one-shot
// `reconcile --apply`), with a fencing token that grows on every hand-over. Times are milliseconds since the epoch
// on the database's clock, so replicas on hosts whose clocks differ agree on expiry. Portable SQL only.

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('leases', (t) => {
    // The lease's name ("run-lock").
    t.string('name', 64).primary();
    // A random id per process (or per lease attempt): who holds it now, or held it last.
    t.string('holder_id', 64).notNullable();
    // For people reading `status`: where the holder runs and what it is (daemon, reconcile).
    t.string('holder_host', 255).notNullable();
    t.integer('holder_pid').notNullable();
    t.string('holder_kind', 16).notNullable();
    // The fencing token: one more on every acquisition, so a write checked against it fails once another took over.
    t.bigInteger('token').notNullable();
    t.bigInteger('acquired_at_ms').notNullable();
    t.bigInteger('renewed_at_ms').notNullable();
    // Free once the database's clock passes it (a release sets it to 0).
    t.bigInteger('expires_at_ms').notNullable();
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('leases');
}
