import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Direction } from '../migrations/run-step.ts';
import type { DialectName } from '../../model/dialect.ts';
import { inKyselyOrder } from './applied-migrations.ts';

// Kysely's migration table and lock table, kept exactly as Kysely 0.28's Migrator makes and
// writes them (migrator.js), so that a plain Migrator on the same database works unchanged.

/** The id of the lock table's one row. */
const MIGRATION_LOCK_ID = 'migration_lock';

/**
 * Creates Kysely's migration table and lock table (`<table>_lock`) and the lock row when
 * missing, with Kysely's schema; on Postgres in one message, so one commit. A Migrator running
 * now may create them too, outside any lock: like Kysely, a refused `create ... if not exists`
 * is fine once the table is there, so the second try is the one that counts.
 */
export async function ensureKyselyTables(
  connection: Kysely<any>,
  dialect: DialectName,
  table: string,
): Promise<void> {
  const lockTable = `${table}_lock`;
  const row = connection
    .insertInto(lockTable)
    .values({ id: sql.lit(MIGRATION_LOCK_ID), is_locked: sql.lit(0) });
  const statements = [
    connection.schema
      .createTable(table)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (col) => col.notNull()),
    connection.schema
      .createTable(lockTable)
      .ifNotExists()
      .addColumn('id', 'varchar(255)', (col) => col.notNull().primaryKey())
      .addColumn('is_locked', 'integer', (col) => col.notNull().defaultTo(0)),
    dialect === 'postgres' ? row.onConflict((oc) => oc.column('id').doNothing()) : row.ignore(),
  ];
  const create = async () => {
    if (dialect === 'postgres')
      await sql
        .join(
          statements.map((statement) => sql.raw(statement.compile().sql)),
          sql`; `,
        )
        .execute(connection);
    else for (const statement of statements) await statement.execute();
  };
  try {
    await create();
  } catch {
    await create();
  }
}

/** The executed migrations, in Kysely's order (by time, then name). */
export async function readExecuted(connection: Kysely<any>, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string; timestamp: string }>`select ${sql.ref('name')}, ${sql.ref(
    'timestamp',
  )} from ${sql.table(table)}`.execute(connection);
  return inKyselyOrder(rows);
}

/**
 * Kysely's own refusals (`#ensureNoMissingMigrations`, `#ensureMigrationsInOrder`), with its
 * messages: every executed migration must exist, and they must be the first ones by name.
 */
export function checkKyselyState(names: readonly string[], executed: readonly string[]): void {
  const sorted = [...names].sort();
  const known = new Set(sorted);
  for (const name of executed) {
    if (!known.has(name))
      throw new Error(`corrupted migrations: previously executed migration ${name} is missing`);
  }
  executed.forEach((name, i) => {
    if (sorted[i] !== name)
      throw new Error(
        `corrupted migrations: expected previously executed migration ${name} to be at index ${i} but ${sorted[i]} was found in its place. New migrations must always have a name that comes alphabetically after the last executed migration.`,
      );
  });
}

/**
 * Kysely's row for a migration run `direction`: inserted going up (stamped like Kysely, with
 * the ISO time), deleted going down. Values are literals, so that Postgres can take it in one
 * message with the statements around it.
 */
export function kyselyRowSql(table: string, direction: Direction, name: string): RawBuilder<unknown> {
  return direction === 'up'
    ? sql`insert into ${sql.table(table)} (${sql.ref('name')}, ${sql.ref('timestamp')})
        values (${sql.lit(name)}, ${sql.lit(new Date().toISOString())})`
    : sql`delete from ${sql.table(table)} where ${sql.ref('name')} = ${sql.lit(name)}`;
}
