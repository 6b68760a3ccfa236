import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { RowDemand } from '../../model/row-demand.ts';

/** What one counting query returns: rows read, rows breaking the demand, duplicated values. */
export interface CountRow {
  readonly sampled: number | string | bigint | null;
  readonly violating: number | string | bigint | null;
  readonly duplicated?: number | string | bigint | null;
}

/** Where the rows are read from: the whole table, or a sample of it. */
export type RowSource =
  { readonly whole: true } | { readonly whole: false; readonly percent: number; readonly limit: number };

/** A table or column name as a snapshot spells it (`audit.log`), quoted for the engine. */
export function tableId(table: string): RawBuilder<unknown> {
  return sql.id(...table.split('.'));
}

/**
 * The one query counting the rows of `demand`'s table that break it, read from `source`
 * (Postgres samples pages with TABLESAMPLE SYSTEM, repeatable so a run reproduces; MySQL
 * reads the first `limit` rows). `castCheck`: Postgres 16's pg_input_is_valid, which knows
 * every type's input rules; without it a cast is judged by a regular expression.
 */
export function countQuery(
  demand: RowDemand,
  dialect: DialectName,
  source: RowSource,
  castCheck: boolean,
): RawBuilder<CountRow> {
  const from = rowsOf(demand.table, dialect, source);
  if (demand.kind === 'unique') {
    const columns = demand.columns.map((column) => sql.id('t', column));
    const present = sql.join(
      columns.map((column) => sql`${column} is not null`),
      sql` and `,
    );
    return sql<CountRow>`select coalesce(sum(d.n), 0) as violating, count(*) as duplicated, null as sampled from (select count(*) as n from ${from} where ${present} group by ${sql.join(columns)} having count(*) > 1) as d`;
  }
  const breaks = violation(demand, dialect, castCheck);
  return sql<CountRow>`select count(*) as sampled, coalesce(sum(case when ${breaks} then 1 else 0 end), 0) as violating from ${from}`;
}

/** The rows to count, as alias `t`. */
function rowsOf(table: string, dialect: DialectName, source: RowSource): RawBuilder<unknown> {
  if (source.whole) return sql`${tableId(table)} as t`;
  if (dialect === 'postgres')
    return sql`${tableId(table)} as t tablesample system (${sql.lit(source.percent)}) repeatable (0)`;
  return sql`(select * from ${tableId(table)} limit ${sql.lit(source.limit)}) as t`;
}

/** The condition a row of alias `t` meets when it breaks the demand (NULL counts as not). */
function violation(demand: RowDemand, dialect: DialectName, castCheck: boolean): RawBuilder<unknown> {
  switch (demand.kind) {
    case 'not-null':
      return sql`${sql.id('t', demand.column)} is null`;
    case 'foreign-key': {
      const present = demand.columns.map((column) => sql`${sql.id('t', column)} is not null`);
      const matches = demand.columns.map(
        (column, index) => sql`p.${sql.id(demand.referencedColumns[index]!)} = ${sql.id('t', column)}`,
      );
      return sql`${sql.join(present, sql` and `)} and not exists (select 1 from ${tableId(demand.referencedTable)} as p where ${sql.join(matches, sql` and `)})`;
    }
    case 'check':
      // The constraint's own text, as the target's catalog will hold it: it names the table's columns.
      return sql`not (${sql.raw(demand.expression)})`;
    case 'max-length':
      return sql`char_length(${sql.id('t', demand.column)}) > ${sql.lit(demand.length)}`;
    case 'cast':
      return castViolation(demand, dialect, castCheck);
    case 'enum-values': {
      const value =
        dialect === 'postgres' ? sql`${sql.id('t', demand.column)}::text` : sql.id('t', demand.column);
      return sql`${value} in (${sql.join(demand.removed.map((label) => sql`${label}`))})`;
    }
    case 'unique':
      throw new Error('a unique demand is counted by groups');
  }
}

const WHOLE_NUMBER = '^[[:space:]]*[-+]?[0-9]+[[:space:]]*$';
const DECIMAL = '^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$';

function castViolation(
  demand: Extract<RowDemand, { kind: 'cast' }>,
  dialect: DialectName,
  castCheck: boolean,
): RawBuilder<unknown> {
  const column = sql.id('t', demand.column);
  const { accepts } = demand;
  if (typeof accepts === 'object')
    // Digits built from the type's bit width, never from the database: safe as they are.
    return sql`(${column} < ${sql.raw(accepts.min)} or ${column} > ${sql.raw(accepts.max)})`;
  if (dialect === 'postgres' && castCheck) return sql`not pg_input_is_valid(${column}::text, ${demand.type})`;
  const pattern = accepts === 'integer' ? WHOLE_NUMBER : DECIMAL;
  return dialect === 'postgres' ? sql`${column}::text !~ ${pattern}` : sql`${column} not regexp ${pattern}`;
}
