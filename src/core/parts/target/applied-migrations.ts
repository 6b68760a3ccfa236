import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';

/** The table Kysely's Migrator records applied migrations in, unless configured otherwise. */
export const DEFAULT_MIGRATION_TABLE = 'kysely_migration';

/** A row of Kysely's migration table. */
export interface MigrationRow {
  readonly name: string;
  /** When it ran, as an ISO string: Kysely stores it as text. */
  readonly timestamp: string;
}

/**
 * The migrations applied on `db`, in the order their migrator considers them applied. Kysely's
 * Migrator's table (`name`, `timestamp`) is read in its order: by the time they ran, then by
 * name (Kysely's own sort, see its issue #843). Kysera's runner's (`name`, `executed_at`) is
 * read by `executed_at`, as that runner does, then by name. A database without the table has
 * applied none; a table of another shape is refused, naming its columns. Only reads.
 */
export async function readAppliedMigrations(
  db: Kysely<any>,
  dialect: DialectName,
  table: string = DEFAULT_MIGRATION_TABLE,
): Promise<string[]> {
  return (await readAppliedRows(db, dialect, table)).map((row) => row.name);
}

/** {@link readAppliedMigrations} with when each ran, as its migrator recorded it. */
export async function readAppliedRows(
  db: Kysely<any>,
  dialect: DialectName,
  table: string = DEFAULT_MIGRATION_TABLE,
): Promise<MigrationRow[]> {
  const kind = await migrationTableKind(db, dialect, table);
  if (kind === undefined) return [];
  if (kind === 'kysely') {
    const { rows } = await sql<MigrationRow>`select name, timestamp from ${sql.table(table)}`.execute(db);
    return sortedAsKysely(rows);
  }
  const { rows } = await sql<{
    name: string;
    executed_at: Date | string;
  }>`select ${sql.ref('name')}, ${sql.ref('executed_at')} from ${sql.table(table)}`.execute(db);
  return sortedAsKysely(
    rows.map((row) => ({ name: row.name, timestamp: new Date(row.executed_at).toISOString() })),
  );
}

/** Whose migration table it is: Kysely's Migrator's, or Kysera's runner's (`migrations(name, executed_at)`). */
export type MigrationTableKind = 'kysely' | 'kysera';

/**
 * Which migrator's table `table` is, by its columns; undefined when there is no such table. A
 * table of neither shape is a {@link UsageError} naming what was found.
 */
export async function migrationTableKind(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
): Promise<MigrationTableKind | undefined> {
  if (!(await tableExists(db, dialect, table))) return undefined;
  const columns = await columnsOf(db, dialect, table);
  if (columns.includes('name') && columns.includes('timestamp')) return 'kysely';
  if (columns.includes('name') && columns.includes('executed_at')) return 'kysera';
  throw new UsageError(
    `migration table ${table} has the columns ${columns.join(', ')}, which is neither Kysely's ` +
      "(name, timestamp) nor Kysera's runner's (name, executed_at): give --migration-table the " +
      'table your migrator records applied migrations in',
  );
}

/**
 * Refuses, before anything changes, a migration table this tool may read but not write:
 * Kysera's runner's, whose rows and lock Kysely's Migrator knows nothing of.
 */
export async function assertWritableMigrationTable(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
): Promise<void> {
  if ((await migrationTableKind(db, dialect, table)) !== 'kysera') return;
  throw new UsageError(
    `migration table ${table} is Kysera's runner's (name, executed_at): migration-gate reads it, ` +
      "but changes a target only through Kysely's table (name, timestamp), with Kysely's lock; " +
      "apply and roll back with Kysera's runner, or move the history to Kysely's table",
  );
}

async function columnsOf(db: Kysely<any>, dialect: DialectName, table: string): Promise<string[]> {
  // The table an unqualified name resolves to: the first schema of the search path that has it.
  const query =
    dialect === 'postgres'
      ? sql<{ column: string }>`select attname as column from pg_attribute
          where attrelid = to_regclass(quote_ident(${table})) and attnum > 0 and not attisdropped order by attnum`
      : sql<{ column: string }>`select column_name as ${sql.ref('column')} from information_schema.columns
          where table_schema = database() and table_name = ${table} order by ordinal_position`;
  const { rows } = await query.execute(db);
  return rows.map((row) => String(row.column).toLowerCase());
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
