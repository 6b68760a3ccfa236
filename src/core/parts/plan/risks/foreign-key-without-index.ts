import { foreignKeyColumns, indexedColumnLists, isForeignKey } from './key-columns.ts';
import type { RiskRule } from './rule.ts';
import { altersTable, blame, newObjects, startsWithAndMentions } from './schema-changes.ts';

/**
 * `foreign-key-without-index` (Postgres): a foreign key added without an index that starts
 * with its referencing columns, judged on the schema after the up (an index added by the same
 * migration counts). Severity `warning`: nothing blocks now, but each delete or key update on
 * the referenced table, and each join, scans the referencing table from then on, under locks
 * that grow with it. A table created in the same migration counts too: the cost lands on the
 * table it references. MySQL's InnoDB builds such an index itself, so it never applies there.
 */
export const foreignKeyWithoutIndex: RiskRule = {
  id: 'foreign-key-without-index',
  dialects: ['postgres'],
  severity: 'warning',
  why: 'every delete or key update on the referenced table, and every join, scans the referencing table: Postgres does not index the referencing columns by itself',
  instead:
    'create an index that starts with the referencing columns (CONCURRENTLY on an existing table), in this migration or the one before',
  check(input) {
    return newObjects(input, 'constraint').flatMap((constraint) => {
      if (!isForeignKey(constraint)) return [];
      const table = constraint.table!;
      const columns = foreignKeyColumns(constraint, input.dialect);
      if (columns.length === 0) return [];
      const covered = indexedColumnLists(input.after, table, input.dialect).some(
        (indexed) =>
          indexed.length >= columns.length &&
          columns.every((column) => indexed.slice(0, columns.length).includes(column)),
      );
      if (covered) return [];
      return [
        {
          what: `adds foreign key ${constraint.name} on ${table} (${columns.join(', ')}) with no index on those columns`,
          statement:
            blame(input, altersTable(input, table, [constraint.name])) ??
            blame(input, altersTable(input, table, [], ['references'])) ??
            blame(input, startsWithAndMentions(['create', 'table'], [table])),
          evidence: [`after the up, no index of ${table} starts with (${columns.join(', ')})`],
        },
      ];
    });
  },
};
