import { columnsTyped, typeFinding } from './column-types.ts';
import type { RiskRule } from './rule.ts';

/**
 * `prefer-jsonb` (Postgres): a `json` column. Severity `notice`: json keeps the text as given
 * and re-parses it on every access, has no equality operator (DISTINCT, GROUP BY and UNION
 * fail on it) and cannot be indexed with GIN.
 */
export const preferJsonb: RiskRule = {
  id: 'prefer-jsonb',
  dialects: ['postgres'],
  severity: 'notice',
  why: 'json is re-parsed on every access, has no equality operator (DISTINCT and GROUP BY fail) and no GIN index',
  instead: 'jsonb',
  check(input) {
    return columnsTyped(input, (type) => type === 'json').map((column) =>
      typeFinding(input, column, 'json rather than jsonb'),
    );
  },
};
