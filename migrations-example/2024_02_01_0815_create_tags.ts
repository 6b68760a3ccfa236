import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Postgres by the adapter's feature flag, not `instanceof PostgresAdapter`, which fails when the
  // project's kysely is another copy than the one running the migration.
  const isPostgres = db.getExecutor().adapter.supportsReturning;
  await db.schema
    .createTable('tags')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (col) =>
      isPostgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('name', 'varchar(50)', (col) => col.notNull().unique())
    .execute();

  await db.schema
    .createTable('post_tags')
    .addColumn('post_id', 'integer', (col) => col.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (col) => col.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('post_tags_pkey', ['post_id', 'tag_id'])
    .execute();

  await db.schema.createIndex('post_tags_tag_id_idx').on('post_tags').column('tag_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('post_tags').execute();
  await db.schema.dropTable('tags').execute();
}
