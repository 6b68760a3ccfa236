import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { TableShape } from './table-shapes.ts';

/** Rows of one table, each column's value as JSON text, so values compare exactly. */
export type TableRows = readonly Readonly<Record<string, string>>[];

/**
 * The rows of `tables`, in one round trip: one SELECT with a UNION ALL of each table's rows
 * aggregated to JSON. Binary values are read as hex, which JSON cannot hold.
 */
export async function readRows(
  db: Kysely<any>,
  dialect: DialectName,
  tables: readonly TableShape[],
): Promise<Map<string, TableRows>> {
  const read = new Map<string, TableRows>();
  const rows = await perTable<{ r: unknown }>(db, tables, (table, index) =>
    dialect === 'postgres'
      ? sql`select ${index} as t, coalesce(json_agg(x), '[]'::json)::text as r from ${sql.table(table.name)} x`
      : sql`select ${index} as t, (select json_arrayagg(json_object(${sql.join(
          table.columns.map((column) => sql`${column.name}, ${mysqlValue(column.name, column.type)}`),
        )})) from ${sql.table(table.name)}) as r`,
  );
  for (const [table, row] of rows) {
    const value = row.r;
    const parsed = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as Record<
      string,
      unknown
    >[];
    read.set(
      table.name,
      parsed.map((entry) =>
        Object.fromEntries(Object.entries(entry).map(([column, value]) => [column, JSON.stringify(value)])),
      ),
    );
  }
  return read;
}

/**
 * A fingerprint of each table's rows, in one round trip: the row count and the sum of a 60-bit
 * hash of each row (MD5 on Postgres; SHA-256 on MySQL/MariaDB, since MySQL 9 has no MD5). A
 * sum, not a XOR, so duplicate rows never cancel out; no ordering and no length limit, so a
 * large seed is fingerprinted whole. Two reads of a table with the same fingerprint hold the
 * same rows; the proof reads whole rows only of the tables whose fingerprint changed, which
 * keeps its cost per step from growing with the number of tables.
 */
export async function readFingerprints(
  db: Kysely<any>,
  dialect: DialectName,
  tables: readonly TableShape[],
): Promise<Map<string, string>> {
  const rows = await perTable<{ f: unknown }>(db, tables, (table, index) =>
    dialect === 'postgres'
      ? sql`select ${index} as t, count(*) || ':' || coalesce(sum(('x' || substr(md5(x::text), 1, 15))::bit(60)::bigint::numeric), 0) as f
          from ${sql.table(table.name)} x`
      : sql`select ${index} as t, concat(count(*), ':', coalesce(sum(cast(conv(substr(sha2(json_array(${sql.join(
          table.columns.map((column) => mysqlValue(column.name, column.type)),
        )}), 256), 1, 15), 16, 10) as unsigned)), 0)) as f from ${sql.table(table.name)}`,
  );
  return new Map(rows.map(([table, row]) => [table.name, String(row.f)]));
}

/**
 * One row per table from one statement: a UNION ALL of `part` for each table, each selecting
 * its index as `t`, so every table costs one branch, not one round trip.
 */
async function perTable<Row>(
  db: Kysely<any>,
  tables: readonly TableShape[],
  part: (table: TableShape, index: number) => RawBuilder<unknown>,
): Promise<(readonly [TableShape, Row])[]> {
  if (tables.length === 0) return [];
  const parts = tables.map((table, index) => part(table, index));
  const result = await sql<Row & { t: number | string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return result.rows.map((row) => [tables[Number(row.t)]!, row] as const);
}

function mysqlValue(column: string, type: string) {
  return /blob|binary|^bit/.test(type) ? sql`hex(${sql.ref(column)})` : sql.ref(column);
}
