import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { PROGRESS_TABLE } from '../migrations/bookkeeping-tables.ts';
import type { Direction } from '../migrations/run-step.ts';

// The side table (PROGRESS_TABLE) of a migration running outside a transaction: its row is
// written before its first statement, rewritten after each one, and deleted with its
// bookkeeping when it finished. A row found later is a migration that stopped half-way.

/** One row of {@link PROGRESS_TABLE}: a migration running, or stopped half-way. */
export interface ProgressRow {
  readonly name: string;
  readonly direction: Direction;
  /** The statements it was expected to send (rehearsed on a throwaway); empty when unknown. */
  readonly planned: readonly string[];
  /** The statements that ran and stay, in order. */
  readonly ran: readonly string[];
  /**
   * The statement the target refused (empty when the migration's own code threw) and what
   * was said, when the run saw it fail; absent when the run was killed.
   */
  readonly failed?: { readonly sql: string; readonly error: string };
  /** ISO time it started. */
  readonly startedAt: string;
  /** Who ran it (as in the checksum table). */
  readonly runBy: string;
  /** The backup taken before the run, when one was. */
  readonly backup?: string;
}

/** Creates the table when missing, as the checksum table is. */
export async function ensureProgressTable(db: Kysely<any>, dialect: DialectName): Promise<void> {
  // SQL files can be long: MySQL's `text` holds 64 KB only.
  const long = dialect === 'postgres' ? sql`text` : sql`longtext`;
  try {
    await db.schema
      .createTable(PROGRESS_TABLE)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
      .addColumn('direction', 'varchar(8)', (col) => col.notNull())
      .addColumn('planned', long, (col) => col.notNull())
      .addColumn('ran', long, (col) => col.notNull())
      .addColumn('failed', long)
      .addColumn('started_at', 'varchar(64)', (col) => col.notNull())
      .addColumn('run_by', 'varchar(255)', (col) => col.notNull())
      .addColumn('backup', 'varchar(4096)')
      .execute();
  } catch (error) {
    // A concurrent `create table if not exists` may be refused on Postgres: fine once it exists.
    if (!(await progressTableExists(db, dialect))) throw error;
  }
}

/** Every row: the migrations that stopped half-way (none when the table does not exist). */
export async function readProgress(db: Kysely<any>, dialect: DialectName): Promise<ProgressRow[]> {
  if (!(await progressTableExists(db, dialect))) return [];
  const rows = await db
    .selectFrom(PROGRESS_TABLE)
    .select(['name', 'direction', 'planned', 'ran', 'failed', 'started_at', 'run_by', 'backup'])
    .orderBy('started_at')
    .execute();
  return rows.map((row) => ({
    name: row.name,
    direction: row.direction,
    planned: JSON.parse(row.planned) as string[],
    ran: JSON.parse(row.ran) as string[],
    ...(row.failed === null ? {} : { failed: JSON.parse(row.failed) as { sql: string; error: string } }),
    startedAt: row.started_at,
    runBy: row.run_by,
    ...(row.backup === null ? {} : { backup: row.backup }),
  }));
}

/** The statements that record `row` whole, replacing an older row of its migration. */
export function writeProgressSql(row: ProgressRow): RawBuilder<unknown>[] {
  const values = [
    row.name,
    row.direction,
    JSON.stringify(row.planned),
    JSON.stringify(row.ran),
    row.failed === undefined ? null : JSON.stringify(row.failed),
    row.startedAt,
    row.runBy,
    row.backup ?? null,
  ].map((value) => (value === null ? sql`null` : sql.lit(value)));
  return [
    deleteProgressSql(row.name),
    sql`insert into ${sql.table(PROGRESS_TABLE)}
      (name, direction, planned, ran, failed, started_at, run_by, backup) values (${sql.join(values)})`,
  ];
}

/** The statement that records the statements `name` ran so far. */
export function ranSoFarSql(name: string, ran: readonly string[]): RawBuilder<unknown> {
  return sql`update ${sql.table(PROGRESS_TABLE)} set ran = ${sql.lit(JSON.stringify(ran))}
    where name = ${sql.lit(name)}`;
}

/** The statement that forgets `name`'s progress: it finished, or was resolved. */
export function deleteProgressSql(name: string): RawBuilder<unknown> {
  return sql`delete from ${sql.table(PROGRESS_TABLE)} where name = ${sql.lit(name)}`;
}

async function progressTableExists(db: Kysely<any>, dialect: DialectName): Promise<boolean> {
  const exists =
    dialect === 'postgres'
      ? sql<{ found: number }>`select count(*)::int as found where to_regclass(${PROGRESS_TABLE}) is not null`
      : sql<{ found: number }>`select count(*) as found from information_schema.tables
          where table_schema = database() and table_name = ${PROGRESS_TABLE}`;
  return Number((await exists.execute(db)).rows[0]?.found ?? 0) > 0;
}
