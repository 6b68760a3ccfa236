import { columnsTyped, typeFinding } from './column-types.ts';
import type { RiskRule } from './rule.ts';

/**
 * `prefer-identity` (Postgres): a column numbered by a sequence default (`serial`,
 * `bigserial`). Severity `notice`: it works, but the sequence is a separate object with its own
 * grants and ownership, which copies, dumps and `CREATE TABLE ... LIKE` handle apart from the
 * column; an identity column keeps them together (the SQL standard's way).
 */
export const preferIdentity: RiskRule = {
  id: 'prefer-identity',
  dialects: ['postgres'],
  severity: 'notice',
  why: "a serial column's sequence is a separate object with its own grants and ownership, easy to lose in copies and dumps",
  instead: 'GENERATED ALWAYS AS IDENTITY (or BY DEFAULT), on bigint',
  check(input) {
    return columnsTyped(input, () => true)
      .filter((column) => /^nextval\(/i.test(String(column.object.attributes['default'] ?? '')))
      .map((column) => typeFinding(input, column, 'numbered by a sequence default (serial)'));
  },
};
