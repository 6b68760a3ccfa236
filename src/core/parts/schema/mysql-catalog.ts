import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { MysqlFlavor } from './mysql-catalog-values.ts';

/** A row of a catalog query, by column name. */
export type Row = Readonly<Record<string, unknown>>;

/** The database a take reads, and what it knows about its server. */
export interface Catalog {
  readonly db: Kysely<any>;
  readonly database: string;
  readonly flavor: MysqlFlavor;
  /** Tables left out of the snapshot, with everything that belongs to them. */
  readonly excluded: ReadonlySet<string>;
  /** Whether information_schema.<table> has <column> on this server (both upper case). */
  has(table: string, column: string): boolean;
  /** The text without the current database's qualifier (see `stripDatabaseQualifier`). */
  strip(text: string | null): string | null;
}

/** The rows of a catalog query. */
export async function rows(
  catalog: Pick<Catalog, 'db'>,
  query: ReturnType<typeof sql>,
): Promise<readonly Row[]> {
  const result = await query.execute(catalog.db);
  return result.rows as readonly Row[];
}

/**
 * A catalog value as text. MySQL 8 serves some information_schema columns as binary
 * strings, which the driver hands over as Buffers.
 */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** A catalog value as text, `fallback` when it is NULL. */
export function textOr(value: unknown, fallback: string): string {
  return text(value) ?? fallback;
}

/** Empty strings mean "not set" in information_schema (comments, expressions). */
export function nonEmpty(value: unknown): string | null {
  const result = text(value);
  return result === null || result === '' ? null : result;
}

/**
 * Optional catalog columns are probed rather than inferred from version numbers, so a
 * server release that adds or lacks one still gets a query it can answer.
 */
export async function probeOptionalColumns(db: Kysely<any>): Promise<ReadonlySet<string>> {
  const probed = await rows(
    { db },
    sql`select upper(table_name) as table_name, upper(column_name) as column_name
        from information_schema.columns
        where table_schema = 'information_schema'
          and upper(table_name) in ('COLUMNS', 'STATISTICS', 'CHECK_CONSTRAINTS', 'TABLE_CONSTRAINTS', 'VIEWS')`,
  );
  return new Set(probed.map((row) => `${textOr(row['table_name'], '')}.${textOr(row['column_name'], '')}`));
}
