import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';

import { CHECKSUM_TABLE } from '../migrations/bookkeeping-tables.ts';

// The side table beside Kysely's (CHECKSUM_TABLE): what each applied migration was when it ran.

/** One row of {@link CHECKSUM_TABLE}. */
export interface ChecksumRow {
  readonly name: string;
  /** sha256 of the migration's source when it was applied. */
  readonly sourceChecksum: string;
  /** sha256 of the SQL a TypeScript migration's up emitted on a throwaway; null for SQL files. */
  readonly sqlChecksum: string | null;
  /** ISO time. */
  readonly appliedAt: string;
  /** Who applied it: `apply`, `adopted`, a CI run id... */
  readonly appliedBy: string;
}

/**
 * Creates the side table when missing. Kysely's own tables are never altered: the tool's
 * bookkeeping lives only here.
 */
export async function ensureChecksumTable(db: Kysely<any>, dialect: DialectName): Promise<void> {
  try {
    await createChecksumTable(db);
  } catch (error) {
    // Postgres may refuse a concurrent `create table if not exists` (another run creating it
    // now): that is fine once the table is there.
    if (!(await checksumTableExists(db, dialect))) throw error;
  }
}

async function createChecksumTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(CHECKSUM_TABLE)
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
    .addColumn('source_checksum', 'varchar(64)', (col) => col.notNull())
    .addColumn('sql_checksum', 'varchar(64)')
    .addColumn('applied_at', 'varchar(64)', (col) => col.notNull())
    .addColumn('applied_by', 'varchar(255)', (col) => col.notNull())
    .execute();
}

/** The stored rows by name; none when the table does not exist (a target Kysely alone migrated). */
export async function readChecksums(
  db: Kysely<any>,
  dialect: DialectName,
): Promise<Map<string, ChecksumRow>> {
  if (!(await checksumTableExists(db, dialect))) return new Map();
  const rows = await db
    .selectFrom(CHECKSUM_TABLE)
    .select(['name', 'source_checksum', 'sql_checksum', 'applied_at', 'applied_by'])
    .execute();
  return new Map(
    rows.map((row) => [
      row.name as string,
      {
        name: row.name,
        sourceChecksum: row.source_checksum,
        sqlChecksum: row.sql_checksum ?? null,
        appliedAt: row.applied_at,
        appliedBy: row.applied_by,
      },
    ]),
  );
}

async function checksumTableExists(db: Kysely<any>, dialect: DialectName): Promise<boolean> {
  const exists =
    dialect === 'postgres'
      ? sql<{ found: number }>`select count(*)::int as found where to_regclass(${CHECKSUM_TABLE}) is not null`
      : sql<{ found: number }>`select count(*) as found from information_schema.tables
          where table_schema = database() and table_name = ${CHECKSUM_TABLE}`;
  return Number((await exists.execute(db)).rows[0]?.found ?? 0) > 0;
}

/** Records `row`, replacing an older row of the same name (a migration applied again after a rollback). */
export async function writeChecksum(db: Kysely<any>, row: ChecksumRow): Promise<void> {
  for (const statement of writeChecksumSql(row)) await statement.execute(db);
}

/** Forgets a migration that was rolled back. */
export async function deleteChecksum(db: Kysely<any>, name: string): Promise<void> {
  await deleteChecksumSql(name).execute(db);
}

/**
 * The statements of {@link writeChecksum}, literals only, so that Postgres can take them in
 * one message with the migration's own bookkeeping and its COMMIT.
 */
export function writeChecksumSql(row: ChecksumRow): RawBuilder<unknown>[] {
  const values = [row.name, row.sourceChecksum, row.sqlChecksum, row.appliedAt, row.appliedBy].map((value) =>
    value === null ? sql`null` : sql.lit(value),
  );
  return [
    deleteChecksumSql(row.name),
    sql`insert into ${sql.table(CHECKSUM_TABLE)}
      (name, source_checksum, sql_checksum, applied_at, applied_by) values (${sql.join(values)})`,
  ];
}

/** The statement of {@link deleteChecksum}, literals only. */
export function deleteChecksumSql(name: string): RawBuilder<unknown> {
  return sql`delete from ${sql.table(CHECKSUM_TABLE)} where name = ${sql.lit(name)}`;
}
