// The tenants a store manages: which Dialpad company and which Okta org and app. Each pin is a row, the newest
// being the one in force, so the history of re-pins stays with the store. Portable SQL only.

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('tenant_pins', (t) => {
    t.increments('id').primary();
    // GET /api/v2/company `id` (int64, kept as a decimal string) and `name` (for messages only).
    t.string('dialpad_company_id', 32).notNullable();
    t.string('dialpad_company_name', 255);
    // The configured Okta org URL and the id of the Dialpad app in that org.
    t.string('okta_org_url', 255).notNullable();
    // GET /.well-known/okta-organization `id`, when the org told it: the same org at another URL is the same tenant.
    t.string('okta_org_id', 64);
    t.string('okta_app_id', 64).notNullable();
    // first_run (an empty store), existing_store (links from before pinning, proven in this company), repin.
    t.string('reason', 16).notNullable();
    // The run that pinned: a reconcile run, or the `repin` run recorded in runs.
    t.string('run_id', 36).references('id').inTable('runs');
    t.string('pinned_at', 32).notNullable();
  });
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('tenant_pins');
}
