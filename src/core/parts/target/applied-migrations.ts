import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';

/** The table Kysely's Migrator records applied migrations in, unless configured otherwise. */
export const DEFAULT_MIGRATION_TABLE = 'kysely_migration';

/** A row of Kysely's migration table. */
export interface MigrationRow {
  readonly name: string;
  /** When it ran, as an ISO string: Kysely stores it as text. */
  readonly timestamp: string;
}

/**
 * The migrations Kysely's Migrator has applied on `db`, in the order it considers them applied:
 * by the time they ran, then by name (Kysely's own sort, see its issue #843). A database without
 * the table has applied none. Only reads.
 */
export async function readAppliedMigrations(
  db: Kysely<any>,
  dialect: DialectName,
  table: string = DEFAULT_MIGRATION_TABLE,
): Promise<string[]> {
  return (await readAppliedRows(db, dialect, table)).map((row) => row.name);
}

/** {@link readAppliedMigrations} with when each ran, as Kysely recorded it. */
export async function readAppliedRows(
  db: Kysely<any>,
  dialect: DialectName,
  table: string = DEFAULT_MIGRATION_TABLE,
): Promise<MigrationRow[]> {
  if (!(await tableExists(db, dialect, table))) return [];
  const { rows } = await sql<MigrationRow>`select name, timestamp from ${sql.table(table)}`.execute(db);
  return sortedAsKysely(rows);
}

/** The names of `rows` sorted exactly as Kysely's Migrator sorts its executed migrations. */
export function inKyselyOrder(rows: readonly MigrationRow[]): string[] {
  return sortedAsKysely(rows).map((row) => row.name);
}

function sortedAsKysely(rows: readonly MigrationRow[]): MigrationRow[] {
  return [...rows].sort((a, b) =>
    a.timestamp === b.timestamp
      ? a.name.localeCompare(b.name)
      : new Date(a.timestamp).getTime() - new Date(b.timestamp).getTime(),
  );
}

/** Whether the unqualified `table` resolves here, as Kysely's unqualified select would. */
async function tableExists(db: Kysely<any>, dialect: DialectName, table: string): Promise<boolean> {
  const query =
    dialect === 'postgres'
      ? sql<{
          found: number;
        }>`select count(*)::int as found where to_regclass(quote_ident(${table})) is not null`
      : sql<{ found: number }>`select count(*) as found from information_schema.tables
          where table_schema = database() and table_name = ${table}`;
  const { rows } = await query.execute(db);
  return Number(rows[0]?.found ?? 0) > 0;
}
