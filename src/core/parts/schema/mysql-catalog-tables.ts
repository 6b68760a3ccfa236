import { sql } from 'kysely';
import type { Catalog } from './mysql-catalog.ts';
import { nonEmpty, rows, text, textOr } from './mysql-catalog.ts';
import { createOptions } from './mysql-catalog-values.ts';
import type { NameFilter, ReadPlan } from './mysql-read-plan.ts';
import { isEmpty, nameIn } from './mysql-read-plan.ts';
import type { SchemaObject } from './snapshot.ts';

/** What the read of TABLES found, for the reads of what belongs to tables. */
export interface TableInfo {
  /** Whether TABLES was read whole, so that what it lacks does not exist. */
  readonly complete: boolean;
  /** Default collation of each base table, to tell explicit column collations apart. */
  readonly collations: ReadonlyMap<string, string | null>;
  readonly sequences: readonly { name: string; comment: string | null }[];
  /** Relations found that can own columns, indexes, constraints and triggers (not views). */
  readonly bound: readonly string[];
  readonly views: readonly string[];
}

/**
 * Tables from TABLES, with their partitioning; what else TABLES holds (views, sequences) is
 * returned for the reads that follow.
 */
export async function readTables(
  catalog: Catalog,
  plan: ReadPlan,
  objects: SchemaObject[],
): Promise<TableInfo> {
  const filter = plan.tables;
  const tableRows = isEmpty(filter)
    ? []
    : await rows(
        catalog,
        sql`select table_name as table_name, table_type as table_type, engine as engine,
                   table_collation as table_collation, table_comment as table_comment,
                   create_options as create_options
            from information_schema.tables
            where table_schema = database()${nameIn('table_name', filter)}
            order by table_name`,
      );
  const bound: string[] = [];
  const views: string[] = [];
  const partitioned: string[] = [];
  for (const row of tableRows) {
    const name = textOr(row['table_name'], '');
    if (catalog.excluded.has(name)) continue;
    if (textOr(row['table_type'], '') === 'VIEW') views.push(name);
    else bound.push(name);
    // CREATE_OPTIONS says `partitioned` on both flavors: other tables have no partitions to read.
    if (/\bpartitioned\b/i.test(textOr(row['create_options'], ''))) partitioned.push(name);
  }
  const complete = filter === 'all';
  const partitioning = await readPartitioning(catalog, plan.derive(complete, partitioned, 'table'));
  const collations = new Map<string, string | null>();
  const sequences: { name: string; comment: string | null }[] = [];
  for (const row of tableRows) {
    const name = textOr(row['table_name'], '');
    const type = textOr(row['table_type'], '');
    if (catalog.excluded.has(name)) continue;
    if (type === 'SEQUENCE') {
      sequences.push({ name, comment: nonEmpty(row['table_comment']) });
      continue;
    }
    // Views are read from VIEWS; session TEMPORARY tables are not part of the schema.
    if (type !== 'BASE TABLE' && type !== 'SYSTEM VERSIONED') continue;
    const collation = text(row['table_collation']);
    collations.set(name, collation);
    const options = createOptions(textOr(row['create_options'], ''));
    const partitions = partitioning.get(name);
    objects.push({
      kind: 'table',
      name,
      attributes: {
        engine: text(row['engine']),
        collation,
        comment: nonEmpty(row['table_comment']),
        rowFormat: options.rowFormat,
        createOptions: options.other,
        systemVersioned: type === 'SYSTEM VERSIONED',
        partitionBy: partitions?.by ?? null,
        partitions: partitions?.list ?? null,
      },
    });
  }
  return { complete, collations, sequences, bound, views };
}

async function readPartitioning(
  catalog: Catalog,
  filter: NameFilter,
): Promise<Map<string, { by: string; list: string }>> {
  if (isEmpty(filter)) return new Map();
  const partitionRows = await rows(
    catalog,
    sql`select table_name as table_name, partition_name as partition_name,
               subpartition_name as subpartition_name, partition_method as partition_method,
               subpartition_method as subpartition_method, partition_expression as partition_expression,
               subpartition_expression as subpartition_expression,
               partition_description as partition_description
        from information_schema.partitions
        where table_schema = database() and partition_name is not null${nameIn('table_name', filter)}
        order by table_name, partition_ordinal_position, subpartition_ordinal_position`,
  );
  const byTable = new Map<
    string,
    { by: string; parts: Map<string, { description: string | null; subs: string[] }> }
  >();
  for (const row of partitionRows) {
    const table = textOr(row['table_name'], '');
    let entry = byTable.get(table);
    if (entry === undefined) {
      const method = textOr(row['partition_method'], '');
      const subMethod = text(row['subpartition_method']);
      const by =
        `${method} (${textOr(catalog.strip(text(row['partition_expression'])), '')})` +
        (subMethod === null
          ? ''
          : ` SUBPARTITION BY ${subMethod} (${textOr(catalog.strip(text(row['subpartition_expression'])), '')})`);
      entry = { by, parts: new Map() };
      byTable.set(table, entry);
    }
    const partName = textOr(row['partition_name'], '');
    let part = entry.parts.get(partName);
    if (part === undefined) {
      part = { description: text(row['partition_description']), subs: [] };
      entry.parts.set(partName, part);
    }
    const sub = text(row['subpartition_name']);
    if (sub !== null) part.subs.push(sub);
  }
  const result = new Map<string, { by: string; list: string }>();
  for (const [table, entry] of byTable) {
    const list = [...entry.parts].map(([name, part]) => {
      const bounds = part.description === null ? '' : ` (${part.description})`;
      const subs = part.subs.length === 0 ? '' : ` [${part.subs.join(', ')}]`;
      return `${name}${bounds}${subs}`;
    });
    result.set(table, { by: entry.by, list: list.join(', ') });
  }
  return result;
}

/**
 * MariaDB sequences are tables of one row; their definition is read from that row, leaving
 * out the next value and cycle count, which every NEXTVAL changes.
 */
export async function readSequences(
  catalog: Catalog,
  sequences: TableInfo['sequences'],
  valueTypes: ReadonlyMap<string, string | null>,
  objects: SchemaObject[],
): Promise<void> {
  for (const sequence of sequences) {
    const [row] = await rows(
      catalog,
      sql`select start_value as start_value, minimum_value as minimum_value, maximum_value as maximum_value,
                 increment as increment, cache_size as cache_size, cycle_option as cycle_option
          from ${sql.id(sequence.name)}`,
    );
    objects.push({
      kind: 'sequence',
      name: sequence.name,
      attributes: {
        // As text: a bigint bound such as 9223372036854775806 is beyond a JS number.
        start: text(row?.['start_value']),
        minValue: text(row?.['minimum_value']),
        maxValue: text(row?.['maximum_value']),
        increment: text(row?.['increment']),
        cache: text(row?.['cache_size']),
        cycle: Number(row?.['cycle_option'] ?? 0) !== 0,
        // MariaDB 11.5+ accepts `AS <integer type>`, which shows only as the column types.
        valueType: valueTypes.get(sequence.name) ?? null,
        comment: sequence.comment,
      },
    });
  }
}
