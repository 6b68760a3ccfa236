import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * MySQL: the row versions of every table of the current database, as InnoDB counts them
 * (information_schema.INNODB_TABLES.TOTAL_ROW_VERSIONS: the INSTANT ADD/DROP COLUMNs since the
 * table was last rebuilt), and the server's limit, from its version: MySQL 8.0 allows 64, 9.x
 * 255 (measured on 9.7: the 256th INSTANT change is refused with error 4092). A table whose
 * name InnoDB encodes (characters outside [A-Za-z0-9_]) is read under that encoded name, and
 * so is not found by its own: no count for it.
 */
export async function readRowVersions(
  db: Kysely<any>,
): Promise<{ readonly versions: ReadonlyMap<string, number>; readonly limit: number }> {
  const { rows } = await sql<{ table_name: string; versions: number | string; version: string }>`
    select substring_index(name, '/', -1) as table_name, total_row_versions as versions, version() as version
    from information_schema.innodb_tables
    where name like concat(database(), '/%')`.execute(db);
  const major = Number(/^(\d+)/.exec(rows[0]?.version ?? '')?.[1] ?? 0);
  return {
    versions: new Map(rows.map((row) => [row.table_name, Number(row.versions)])),
    limit: major >= 9 ? 255 : 64,
  };
}
