import type { SchemaSnapshot } from '../../schema/snapshot.ts';
import { algorithmEvidence, lockEvidence } from './evidence.ts';
import type { RiskRule } from './rule.ts';
import {
  addedObjects,
  alterAction,
  altersTable,
  blame,
  changedAttribute,
  columnOf,
  existedBefore,
  saysNotNull,
} from './schema-changes.ts';
import { checkedNotNullEarlier, notNullByDefinition, setsNotNull } from './sequences.ts';

/**
 * `set-not-null`: a nullable column of an existing table became NOT NULL, or a column the up
 * added to an existing table nullable (to backfill it) was then made NOT NULL. Severity `warning`:
 * the table is scanned (Postgres, under ACCESS EXCLUSIVE) or rebuilt (MySQL), not rewritten,
 * and rows holding NULL make the change fail in production although the empty throwaway
 * database took it. On Postgres a validated `CHECK (column IS NOT NULL)` spares the scan
 * (12+), so it is not reported then, whether the check was validated by an earlier migration
 * or by an earlier statement of this one. Serial, identity and AUTO_INCREMENT columns, and
 * primary keys, are NOT NULL by definition: adding one is not making a column NOT NULL. A MySQL rebuild that blocks writes is reported by the
 * MySQL algorithm rules.
 */
export const setNotNull: RiskRule = {
  id: 'set-not-null',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'every row is checked while the table is locked, and rows holding NULL make the change fail in production',
  instead:
    'add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (Postgres 12+ skips the scan) and drop the check',
  check(input) {
    const changed = changedAttribute(input, 'column', 'nullable').flatMap(({ before, change }) =>
      change.before === true && change.after === false
        ? [{ column: before, how: 'nullable became not null' }]
        : [],
    );
    const addedThenSet = addedObjects(input, 'column').flatMap((column) => {
      if (column.attributes['nullable'] !== false || !existedBefore(input, column.table!)) return [];
      const added = alterAction(input, column.table!, columnOf(column), 'add');
      return added === undefined || saysNotNull(added.tokens) || notNullByDefinition(column, added.tokens)
        ? []
        : [{ column, how: 'added nullable, then made NOT NULL' }];
    });
    return [...changed, ...addedThenSet].flatMap(({ column: object, how }) => {
      const table = object.table!;
      const column = columnOf(object);
      if (!existedBefore(input, table)) return [];
      if (input.dialect === 'postgres' && provenNotNull(input.before, table, column)) return [];
      const setAt = input.dialect === 'postgres' ? setsNotNull(input, table, column) : undefined;
      if (setAt !== undefined && checkedNotNullEarlier(input, table, column, setAt)) return [];
      const statement = setAt ?? blame(input, altersTable(input, table, [column], ['not']));
      return [
        {
          what: `makes column ${table}.${column} NOT NULL`,
          statement,
          evidence: [
            `column ${table}.${column}: ${how}`,
            ...(input.dialect === 'postgres'
              ? lockEvidence(input, table)
              : algorithmEvidence(input, statement)),
          ],
          ...(input.dialect === 'mysql'
            ? {
                why: 'rows holding NULL make the change fail in production (or silently get the implicit default of the type), and the table is rebuilt',
                instead:
                  'backfill the NULLs first, then make the change with ALGORITHM=INPLACE, LOCK=NONE or an online schema change tool',
              }
            : {}),
        },
      ];
    });
  },
};

/** Whether a validated CHECK constraint of the table already proves the column NOT NULL. */
function provenNotNull(before: SchemaSnapshot, table: string, column: string): boolean {
  const quoted = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^CHECK \\(\\(?"?${quoted}"? IS NOT NULL\\)?\\)$`, 'i');
  return Object.values(before.objects).some(
    (object) =>
      object.kind === 'constraint' &&
      object.table === table &&
      object.attributes['type'] === 'check' &&
      object.attributes['validated'] === true &&
      pattern.test(String(object.attributes['definition'])),
  );
}
