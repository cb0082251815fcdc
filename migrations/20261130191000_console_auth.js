// The admin console's sign-in: server-side sessions (the cookie carries only a signed random id; the row is found
// by that id's SHA-256, so a copy of the table lets nobody in) and API tokens for automation (only their SHA-256 is
// kept; a token is shown once, at creation). Portable SQL only (SQLite and PostgreSQL).

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  await knex.schema.createTable('console_sessions', (t) => {
    // SHA-256 (hex) of the random session id the cookie carries.
    t.string('id', 64).primary();
    // The OIDC subject (sub) of the ID token, the email and name shown, and the role the groups claim gave.
    t.string('subject', 255).notNullable();
    t.string('email', 320).notNullable();
    t.string('name', 255).nullable();
    t.string('role', 16).notNullable();
    // ISO 8601: sign-in (the absolute expiry counts from it) and the last request (the idle expiry does).
    t.string('created_at', 32).notNullable();
    t.string('last_seen_at', 32).notNullable();
    t.index(['last_seen_at']);
  });
  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id').primary();
    t.string('name', 100).notNullable();
    t.string('role', 16).notNullable();
    // SHA-256 (hex) of the whole token; the prefix (dsk_ and a few characters) is what lists show.
    t.string('token_hash', 64).notNullable().unique();
    t.string('prefix', 16).notNullable();
    t.string('created_at', 32).notNullable();
    // The audit actor that created it (cli:<user>@<host>, okta:<email>).
    t.string('created_by', 255).notNullable();
    t.string('last_used_at', 32).nullable();
    t.string('revoked_at', 32).nullable();
  });
  // A name names one active token; a revoked token's name may be used again.
  await knex.raw('CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL');
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  await knex.schema.dropTable('api_tokens');
  await knex.schema.dropTable('console_sessions');
}
