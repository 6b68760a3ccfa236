import { isKeyword, readName, tableNameOf } from '../statement-text.ts';
import type { RiskRule } from './rule.ts';
import { existedBefore } from './schema-changes.ts';

/**
 * `drop-table-without-if-exists`: `DROP TABLE` of a table that existed before, without `IF EXISTS`. Severity `notice`: the
 * migration fails when the table is already gone (a hand fix on one database, a half-applied
 * run without a transaction), where with IF EXISTS it would carry on. Whether dropping the
 * table loses data is `drop-table`'s business.
 */
export const dropTableWithoutIfExists: RiskRule = {
  id: 'drop-table-without-if-exists',
  dialects: ['postgres', 'mysql'],
  severity: 'notice',
  why: 'the migration fails on a database where the table is already gone, such as one fixed by hand or left half-migrated',
  instead: 'DROP TABLE IF EXISTS',
  check(input) {
    return input.statements.flatMap((statement) => {
      const { tokens } = statement;
      if (!isKeyword(tokens[0], 'drop') || !isKeyword(tokens[1], 'table')) return [];
      if (isKeyword(tokens[2], 'if')) return [];
      const table = tableNameOf(readName(tokens, 2).parts, input.dialect);
      if (!existedBefore(input, table)) return [];
      return [
        {
          what: `drops table ${table} without IF EXISTS`,
          statement: statement.index,
          evidence: [`statement ${statement.index + 1} is DROP TABLE without IF EXISTS`],
        },
      ];
    });
  },
};
