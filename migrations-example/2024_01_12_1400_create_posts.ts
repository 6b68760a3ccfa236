import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Postgres by the adapter's feature flag, not `instanceof PostgresAdapter`, which fails when the
  // project's kysely is another copy than the one running the migration.
  const isPostgres = db.getExecutor().adapter.supportsReturning;
  await db.schema
    .createTable('posts')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (col) =>
      isPostgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'varchar(200)', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(16)', (col) => col.notNull().defaultTo('draft'))
    .addColumn('published_at', 'timestamp')
    .execute();

  await db.schema.createIndex('posts_author_id_idx').on('posts').column('author_id').execute();

  // The feed only ever reads published posts: on Postgres a partial index keeps it small.
  const published = db.schema.createIndex('posts_published_at_idx').on('posts').column('published_at');
  if (isPostgres) {
    await published.where(sql.ref('status'), '=', 'published').execute();
  } else {
    await published.execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('posts').execute();
}
