import type { RiskRule } from './rule.ts';
import { addsWithDefault } from './sequences.ts';
import { addedObjects, alterAction, columnOf, existedBefore, saysNotNull } from './schema-changes.ts';

/**
 * `add-not-null-column-without-default`: a NOT NULL column without a default (nor identity,
 * generated value or AUTO_INCREMENT) added to an existing table. Severity `warning`: no data
 * is lost, but the empty throwaway database hides what rows do: Postgres refuses the change
 * on a table that has rows, MySQL fills them with the type's implicit default.
 */
export const addNotNullColumnWithoutDefault: RiskRule = {
  id: 'add-not-null-column-without-default',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'it fails on a table that has rows, which would hold NULL; the empty throwaway database cannot show it',
  instead: 'add the column with a DEFAULT, or nullable: backfill it, then make it NOT NULL',
  check(input) {
    return addedObjects(input, 'column').flatMap((column) => {
      const table = column.table!;
      const { nullable, default: value, identity, generated, autoIncrement } = column.attributes;
      if (!existedBefore(input, table) || nullable !== false || value != null) return [];
      if (identity != null || generated != null || autoIncrement === true) return [];
      // Added nullable and made NOT NULL by a later statement: that is `set-not-null`'s.
      const added = alterAction(input, table, columnOf(column), 'add');
      if (added !== undefined && !saysNotNull(added.tokens)) return [];
      // Added with a default that a later statement drops: the rows that existed got the default.
      if (added !== undefined && addsWithDefault(added.tokens)) return [];
      return [
        {
          what: `adds NOT NULL column ${column.name} without a default to existing table ${table}`,
          statement: added?.statement,
          evidence: [
            `table ${table} existed before the up; column ${column.name} is NOT NULL with no default`,
          ],
          ...(input.dialect === 'mysql'
            ? {
                why: "rows that exist silently get the type's implicit default (0, '', a zero date): the empty throwaway database cannot show it",
              }
            : {}),
        },
      ];
    });
  },
};
