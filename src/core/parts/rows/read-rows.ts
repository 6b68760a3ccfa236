import type { Kysely } from 'kysely';
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
  if (tables.length === 0) return read;
  const parts = tables.map((table, index) =>
    dialect === 'postgres'
      ? sql`select ${index} as t, coalesce(json_agg(x), '[]'::json)::text as r from ${sql.table(table.name)} x`
      : sql`select ${index} as t, (select json_arrayagg(json_object(${sql.join(
          table.columns.map((column) => sql`${column.name}, ${mysqlValue(column.name, column.type)}`),
        )})) from ${sql.table(table.name)}) as r`,
  );
  const result = await sql<{ t: number | string; r: unknown }>`${sql.join(parts, sql` union all `)}`.execute(
    db,
  );
  for (const row of result.rows) {
    const table = tables[Number(row.t)]!;
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

function mysqlValue(column: string, type: string) {
  return /blob|binary|^bit/.test(type) ? sql`hex(${sql.ref(column)})` : sql.ref(column);
}
