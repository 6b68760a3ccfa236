import { mentions } from '../statement-text.ts';
import { wasRewritten } from './evidence.ts';
import { columnRenames, movedWithSchema, tableRenames } from './renames.ts';
import { truncatedTables } from './rewrite-causes.ts';
import type { RiskRule } from './rule.ts';
import { altersTable, blame, columnOf, removedObjects, startsWithAndMentions } from './schema-changes.ts';

/**
 * Rules for operations that lose data. Severity `error`: what they destroy no down brings
 * back. Found from the schema diff (a snapshot sees a drop whatever statement did it), except
 * TRUNCATE, which leaves the schema as it was and is found from the statement.
 */

/** `drop-table`: a table that existed before is gone (a rename, its own or its schema's, is not a drop). */
export const dropTable: RiskRule = {
  id: 'drop-table',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  why: 'every row of the table is lost for good: a down can recreate the table, not its data',
  instead:
    'stop using the table in a release first, back it up, then drop it in a later migration (or rename it away and drop it once nothing missed it)',
  check(input) {
    const renamed = new Set(tableRenames(input).map((rename) => rename.from));
    return removedObjects(input, 'table')
      .filter((table) => !renamed.has(table.name) && !movedWithSchema(input, table.name))
      .map((table) => ({
        what: `drops table ${table.name}`,
        statement:
          blame(input, startsWithAndMentions(['drop', 'table'], [table.name])) ??
          blame(input, (statement) => statement.words.has('drop') && mentions(statement.words, table.name)),
        evidence: [`table ${table.name} existed before the up and is gone after it`],
      }));
  },
};

/** `drop-column`: a column of a table that is still there is gone (a rename is not a drop). */
export const dropColumn: RiskRule = {
  id: 'drop-column',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  why: 'the values of the column are lost for good, and the running application still reads and writes it until its new version is out',
  instead:
    'stop using the column in a release first, then drop it in a later migration, after a backup (expand and contract)',
  check(input) {
    const renamed = new Set(columnRenames(input).map((rename) => `${rename.table}.${rename.from}`));
    return removedObjects(input, 'column')
      .filter((column) => !renamed.has(column.name))
      .map((column) => ({
        what: `drops column ${column.name}`,
        statement: blame(input, altersTable(input, column.table!, [columnOf(column)], ['drop'])),
        evidence: [`column ${column.name} existed before the up and is gone after it`],
      }));
  },
};

/** `truncate-table`: TRUNCATE of a table that existed before. */
export const truncateTable: RiskRule = {
  id: 'truncate-table',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  why: 'every row of the table is deleted, and no down brings them back',
  instead:
    'delete the rows that must go with a WHERE clause, in batches, after a backup; or leave data cleanup out of migrations',
  check(input) {
    return truncatedTables(input).map(({ table, statement }) => ({
      what: `empties table ${table} (TRUNCATE)`,
      statement,
      evidence: wasRewritten(input, table) ? [`emptied table ${table} (relfilenode changed)`] : [],
    }));
  },
};
