// Columns whose values have no length bound, made unbounded text on PostgreSQL. SQLite never enforced the
// varchar(n) lengths of the earlier migrations, so a SQLite database is left exactly as it was (nothing runs there);
// PostgreSQL enforces them, and would refuse what SQLite always took:
// - user_errors.user_key is `dialpad:<email>` for a user with no Okta or Dialpad id (up to 328 characters, not 80);
// - systemic_failures.cause_key holds the API's explanation of a data error, of any length;
// - tenant_pins.dialpad_company_name is the company's name as Dialpad answers it.

/** The columns widened, as [table, column, type before]. */
const COLUMNS = [
  ['user_errors', 'user_key', 'varchar(80)'],
  ['systemic_failures', 'cause_key', 'varchar(1024)'],
  ['tenant_pins', 'dialpad_company_name', 'varchar(255)'],
];

/** @param {import('knex').Knex} knex */
export async function up(knex) {
  if (knex.client.config.client !== 'pg') return;
  // Raw ALTER ... TYPE: knex's alter() would also drop NOT NULL, which a primary key refuses.
  for (const [table, column] of COLUMNS) await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE text', [table, column]);
}

/** @param {import('knex').Knex} knex */
export async function down(knex) {
  if (knex.client.config.client !== 'pg') return;
  for (const [table, column, type] of COLUMNS) await knex.raw(`ALTER TABLE ?? ALTER COLUMN ?? TYPE ${type}`, [table, column]);
}
