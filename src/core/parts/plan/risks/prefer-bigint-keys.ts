import { columnsTyped, typeFinding } from './column-types.ts';
import { keyColumns } from './key-columns.ts';
import type { RiskRule } from './rule.ts';

/** 2- to 4-byte integer types, as Postgres and MySQL/MariaDB catalogs print them. */
const SMALL_INTEGER = /^(smallint|integer|int|mediumint|tinyint)(\(\d+\))?( unsigned)?( zerofill)?$/;

/**
 * `prefer-bigint-keys`: a primary or foreign key column of a 2- to 4-byte integer type.
 * Severity `notice`: nothing breaks today, but a busy table runs out of ids (2^31 on Postgres)
 * and widening a key later rewrites the table and every table referencing it.
 */
export const preferBigintKeys: RiskRule = {
  id: 'prefer-bigint-keys',
  dialects: ['postgres', 'mysql'],
  severity: 'notice',
  why: 'a busy table runs out of 4-byte ids, and widening a key later rewrites it and every table that references it',
  instead: 'bigint for primary keys and the columns that reference them',
  check(input) {
    return columnsTyped(input, (type) => SMALL_INTEGER.test(type))
      .filter((column) => keyColumns(input.after, column.table, input.dialect).has(column.column))
      .map((column) => typeFinding(input, column, 'a key column of a 4-byte (or smaller) integer type'));
  },
};
