import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { ROW_VARIANTS, USE_DEFAULT, columnValue } from './column-values.ts';
import type { Variant } from './column-values.ts';
import { fixedRandom } from './fixed-random.ts';
import type { ParentKey, TableShape } from './table-shapes.ts';

type Row = Record<string, unknown>;

/**
 * Fills `tables` (parents first, see tableShapes) with a few generated rows each, the same on
 * every run. One INSERT per table; when the engine refuses it, row by row, and a row still
 * refused is tried once with plain values, then dropped: the seed never fails a proof.
 * Returns how many rows went in, by table.
 */
export async function seedRows(
  db: Kysely<any>,
  dialect: DialectName,
  tables: readonly TableShape[],
): Promise<Map<string, number>> {
  const inserted = new Map<string, number>();
  const parentRows = new Map<string, unknown[][]>();
  for (const table of tables) {
    const random = fixedRandom(table.name);
    const parents = await parentTuples(db, table, parentRows);
    const rows = ROW_VARIANTS.map((variant, row) =>
      generateRow(table, dialect, variant, row, random, parents),
    );
    let count = 0;
    if (await insert(db, dialect, table.name, rows)) count = rows.length;
    else
      for (const [row, values] of rows.entries()) {
        if (await insert(db, dialect, table.name, [values])) count += 1;
        else if (
          await insert(db, dialect, table.name, [
            generateRow(table, dialect, 'typical', row, random, parents),
          ])
        )
          count += 1;
      }
    if (count > 0) inserted.set(table.name, count);
  }
  return inserted;
}

/** For each foreign key of `table`, the parent's key values to point at (read once per parent key). */
async function parentTuples(
  db: Kysely<any>,
  table: TableShape,
  cache: Map<string, unknown[][]>,
): Promise<Map<ParentKey, unknown[][]>> {
  const tuples = new Map<ParentKey, unknown[][]>();
  for (const key of table.parents) {
    const cacheKey = `${key.parent}(${key.parentColumns.join(',')})`;
    let rows = cache.get(cacheKey);
    if (rows === undefined) {
      rows = await db
        .selectFrom(key.parent)
        .select(key.parentColumns.map((column, index) => sql.ref(column).as(`k${index}`)))
        .limit(ROW_VARIANTS.length)
        .execute()
        .then(
          (found) => found.map((row: Row) => key.parentColumns.map((_, index) => row[`k${index}`])),
          () => [],
        );
      // Only parents already filled may be cached: a parent seeded later in this pass is not.
      if (rows.length > 0) cache.set(cacheKey, rows);
    }
    tuples.set(key, rows);
  }
  return tuples;
}

function generateRow(
  table: TableShape,
  dialect: DialectName,
  variant: Variant,
  row: number,
  random: () => number,
  parents: ReadonlyMap<ParentKey, unknown[][]>,
): Row {
  const uniqueColumns = new Set(table.uniques.flat());
  const values: Row = {};
  for (const column of table.columns) {
    if (column.engineFilled) continue;
    const value = columnValue(column, {
      dialect,
      variant,
      row,
      unique: uniqueColumns.has(column.name),
      random: random(),
    });
    if (value === USE_DEFAULT) continue;
    values[column.name] = value instanceof Uint8Array ? Buffer.from(value) : value;
  }
  for (const [key, tuples] of parents) {
    const nullable = key.columns.every((name) => table.columns.find((c) => c.name === name)?.nullable);
    const tuple =
      (variant === 'null' && nullable) || tuples.length === 0 ? undefined : tuples[row % tuples.length];
    key.columns.forEach((name, index) => {
      values[name] = tuple === undefined ? (nullable ? null : values[name]) : tuple[index];
    });
  }
  return values;
}

/** Inserts the rows in one statement; false when the engine refused it. */
async function insert(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
  rows: readonly Row[],
): Promise<boolean> {
  try {
    if (rows.every((row) => Object.keys(row).length === 0)) {
      const empty = dialect === 'postgres' ? sql`default values` : sql`() values ()`;
      for (let row = 0; row < rows.length; row += 1)
        await sql`insert into ${sql.table(table)} ${empty}`.execute(db);
    } else
      await db
        .insertInto(table)
        .values(rows as Row[])
        .execute();
    return true;
  } catch {
    return false;
  }
}
