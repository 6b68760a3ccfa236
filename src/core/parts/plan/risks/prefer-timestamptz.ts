import { columnsTyped, typeFinding } from './column-types.ts';
import type { RiskRule } from './rule.ts';

/**
 * `prefer-timestamptz` (Postgres): a `timestamp` (without time zone) column. Severity `notice`:
 * the value carries no zone, so each client reads and writes it in whatever zone its session
 * has, and instants drift when a server or a client moves. (MySQL's TIMESTAMP and DATETIME have
 * other trade-offs, so the rule does not apply there.)
 */
export const preferTimestamptz: RiskRule = {
  id: 'prefer-timestamptz',
  dialects: ['postgres'],
  severity: 'notice',
  why: 'a timestamp without time zone is read and written in whatever zone each session has, so instants shift between clients',
  instead: 'timestamptz, which stores an instant and shows it in the session zone',
  check(input) {
    return columnsTyped(input, (type) => /^timestamp(\(\d+\))?$/.test(type)).map((column) =>
      typeFinding(input, column, 'a timestamp without time zone'),
    );
  },
};
