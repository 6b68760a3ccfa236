import { columnRenames, tableRenames } from './renames.ts';
import type { RiskRule } from './rule.ts';

/**
 * Renames. Severity `warning`: no data is lost and the statement is quick, but the application
 * version still running during the deploy uses the old name and fails until the new one is out.
 */

/** `rename-table`: a table that existed before now has another name. */
export const renameTable: RiskRule = {
  id: 'rename-table',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'the application version still running during the deploy uses the old name and fails until the new one is out',
  instead:
    'expand and contract: add the new name (a new table kept in sync, or a view under one of the names), move the code, then drop the old name in a later migration',
  check(input) {
    return tableRenames(input).map(({ from, to, statement }) => ({
      what: `renames table ${from} to ${to}`,
      statement,
      evidence: [`table ${from} is gone after the up and ${to} is there, with the statement renaming it`],
    }));
  },
};

/** `rename-column`: a column of an existing table now has another name. */
export const renameColumn: RiskRule = {
  id: 'rename-column',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'the application version still running during the deploy reads and writes the old name and fails until the new one is out',
  instead:
    'expand and contract: add the new column, write both, backfill, move the reads, then drop the old column in a later migration',
  check(input) {
    return columnRenames(input).map(({ table, from, to, statement }) => ({
      what: `renames column ${table}.${from} to ${to}`,
      statement,
      evidence: [
        `column ${table}.${from} is gone after the up and ${table}.${to} is there, with the statement renaming it`,
      ],
    }));
  },
};
