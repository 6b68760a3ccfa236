import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Postgres by the adapter's feature flag, not `instanceof PostgresAdapter`, which fails when the
  // project's kysely is another copy than the one running the migration.
  const isPostgres = db.getExecutor().adapter.supportsReturning;
  await db.schema
    .createTable('users')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (col) =>
      isPostgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('email', 'varchar(255)', (col) => col.notNull().unique())
    .addColumn('display_name', 'varchar(100)')
    .addColumn('role', 'varchar(16)', (col) => col.notNull().defaultTo('member'))
    .addColumn('created_at', 'timestamp', (col) => col.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .addCheckConstraint('users_role_check', sql`role in ('member', 'editor', 'admin')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
