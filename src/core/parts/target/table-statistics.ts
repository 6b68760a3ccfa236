import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';

/** What the engine's statistics say of a table, without reading it. */
export interface TableStatistics {
  /** The estimated rows; absent when the engine has none (Postgres: never analyzed). */
  readonly rows?: number;
  /** Data and indexes, in bytes. */
  readonly bytes: number;
}

/**
 * Reads a table's estimated rows and size from the catalog, which costs nothing however large
 * the table: Postgres `pg_class.reltuples` and `pg_total_relation_size`, MySQL/MariaDB
 * `information_schema.TABLES` (TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH). Undefined when the
 * table is not there. `table` is named as snapshots name it (`audit.log` outside `public`).
 */
export async function readTableStatistics(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
): Promise<TableStatistics | undefined> {
  const parts = table.split('.');
  const name = parts.pop()!;
  const query =
    dialect === 'postgres'
      ? sql<{
          estimated: number | string | null;
          total: number | string;
        }>`select c.reltuples::float8 as estimated, pg_total_relation_size(c.oid)::float8 as total from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${parts[0] ?? 'public'} and c.relname = ${name}`
      : sql<{
          estimated: number | string | null;
          total: number | string;
        }>`select TABLE_ROWS as estimated, DATA_LENGTH + INDEX_LENGTH as total from information_schema.TABLES where TABLE_SCHEMA = database() and TABLE_NAME = ${name}`;
  const row = (await query.execute(db)).rows[0];
  if (row === undefined) return undefined;
  const estimated = row.estimated === null ? -1 : Number(row.estimated);
  // Postgres 14+ says -1 for a table never vacuumed or analyzed: no estimate, not an empty table.
  return { ...(estimated >= 0 ? { rows: Math.round(estimated) } : {}), bytes: Number(row.total) };
}
