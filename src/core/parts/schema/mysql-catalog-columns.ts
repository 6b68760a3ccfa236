import { sql } from 'kysely';
import type { Catalog } from './mysql-catalog.ts';
import { nonEmpty, rows, text, textOr } from './mysql-catalog.ts';
import type { TableInfo } from './mysql-catalog-tables.ts';
import {
  normalizeColumnDefault,
  normalizeColumnType,
  normalizeMysqlExpression,
  parseColumnExtra,
} from './mysql-catalog-values.ts';
import type { NameFilter } from './mysql-read-plan.ts';
import { isEmpty, nameIn } from './mysql-read-plan.ts';
import type { SchemaObject } from './snapshot.ts';

/** Columns of base tables; returns the value type of each sequence, seen among its columns. */
export async function readColumns(
  catalog: Catalog,
  tables: TableInfo,
  filter: NameFilter,
  objects: SchemaObject[],
): Promise<Map<string, string | null>> {
  const tableCollations = tables.collations;
  const sequenceNames = new Set(tables.sequences.map((sequence) => sequence.name));
  const sequenceTypes = new Map<string, string | null>();
  if (isEmpty(filter)) return sequenceTypes;
  // MySQL 8 records a spatial column's SRID (a column without one takes any); MariaDB keeps it
  // elsewhere, and a snapshot there says null.
  const hasSrid = catalog.has('COLUMNS', 'SRS_ID');
  const columnRows = await rows(
    catalog,
    sql`select table_name as table_name, column_name as column_name, ordinal_position as ordinal_position,
               column_default as column_default, is_nullable as is_nullable, column_type as column_type,
               character_set_name as character_set_name, collation_name as collation_name,
               extra as extra, column_comment as column_comment,
               generation_expression as generation_expression,
               ${hasSrid ? sql`srs_id` : sql`null`} as srs_id
        from information_schema.columns
        where table_schema = database()${nameIn('table_name', filter)}
        order by table_name, ordinal_position`,
  );
  for (const row of columnRows) {
    const table = textOr(row['table_name'], '');
    const column = textOr(row['column_name'], '');
    if (sequenceNames.has(table) && column === 'minimum_value')
      sequenceTypes.set(table, text(row['column_type']));
    // Only base tables: view columns follow from the view's definition, sequence columns are fixed.
    if (!tableCollations.has(table)) continue;
    const rawExtra = textOr(row['extra'], '');
    const extra = parseColumnExtra(rawExtra);
    const collation = text(row['collation_name']);
    const explicitCollation = collation !== null && collation !== tableCollations.get(table);
    objects.push({
      kind: 'column',
      name: `${table}.${column}`,
      table,
      attributes: {
        type: normalizeColumnType(textOr(row['column_type'], '')),
        nullable: text(row['is_nullable']) === 'YES',
        default: catalog.strip(
          normalizeColumnDefault(
            catalog.flavor,
            text(row['column_default']),
            rawExtra,
            textOr(row['column_type'], ''),
          ),
        ),
        autoIncrement: extra.autoIncrement,
        onUpdate: extra.onUpdate,
        generated: extra.generated,
        generationExpression:
          extra.generated === null
            ? null
            : catalog.strip(normalizeMysqlExpression(catalog.flavor, nonEmpty(row['generation_expression']))),
        invisible: extra.invisible,
        srid: text(row['srs_id']),
        extra: extra.other,
        charset: explicitCollation ? text(row['character_set_name']) : null,
        collation: explicitCollation ? collation : null,
        comment: nonEmpty(row['column_comment']),
      },
      // Not part of the verdict: a down that re-adds a dropped column cannot always put it back.
      notes: { position: Number(row['ordinal_position']) },
    });
  }
  return sequenceTypes;
}
