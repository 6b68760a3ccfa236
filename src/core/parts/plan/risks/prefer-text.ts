import { columnsTyped, typeFinding } from './column-types.ts';
import type { RiskRule } from './rule.ts';

/**
 * `prefer-text` (Postgres): a `varchar(n)` or `char(n)` column. Severity `notice`: Postgres
 * stores them like text, so the limit buys nothing but a later change: raising it is cheap,
 * lowering it rewrites the table, and char(n) pads with blanks. (On MySQL varchar(n) is the
 * usual type: text cannot be indexed whole, so the rule does not apply there.)
 */
export const preferText: RiskRule = {
  id: 'prefer-text',
  dialects: ['postgres'],
  severity: 'notice',
  why: 'a length limit in the type is stored no better than text, and changing it later can rewrite the table; char(n) pads values with blanks',
  instead: 'text, with a CHECK (length(column) <= n) constraint when the limit matters',
  check(input) {
    return columnsTyped(input, (type) => /^(varchar|char)\(\d+\)$/.test(type)).map((column) =>
      typeFinding(input, column, 'a length-limited character type'),
    );
  },
};
