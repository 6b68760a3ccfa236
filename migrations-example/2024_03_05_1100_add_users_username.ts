import { sql, type Kysely } from 'kysely';

// A data migration: every existing user gets a username derived from their email before the
// column becomes required and unique.

// A risk taken on purpose, with the reason the PR comment shows. The other risks the gate finds
// here (SET NOT NULL, data change and DDL in one transaction) stay open as warnings.
export const acknowledge = {
  'create-index-blocking': 'users holds a few thousand rows: the unique index builds in well under a second',
};
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('username', 'varchar(64)').execute();

  await db
    .updateTable('users')
    .set({ username: sql`lower(substr(email, 1, position('@' in email) - 1))` })
    .execute();

  // Postgres by the adapter's feature flag (see 2024_01_10_0900_create_users for why).
  if (db.getExecutor().adapter.supportsReturning) {
    await db.schema
      .alterTable('users')
      .alterColumn('username', (col) => col.setNotNull())
      .execute();
  } else {
    // MySQL and MariaDB have no SET NOT NULL: they restate the whole column.
    await db.schema
      .alterTable('users')
      .modifyColumn('username', 'varchar(64)', (col) => col.notNull())
      .execute();
  }
  await db.schema.createIndex('users_username_key').on('users').column('username').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Postgres names indexes per schema; MySQL and MariaDB per table.
  const dropIndex = db.schema.dropIndex('users_username_key');
  await (db.getExecutor().adapter.supportsReturning ? dropIndex : dropIndex.on('users')).execute();
  await db.schema.alterTable('users').dropColumn('username').execute();
}
