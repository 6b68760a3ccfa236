import { isKeyword, readName, tableNameOf, tokenizeSql } from '../statement-text.ts';
import { lockEvidence } from './evidence.ts';
import type { RiskInput, RiskRule } from './rule.ts';
import { addedObjects, altersTable, blame, existedBefore } from './schema-changes.ts';
import { addedNotValidThenValidated } from './sequences.ts';

/**
 * `add-constraint-without-not-valid` (Postgres): a foreign key or check constraint added, and
 * so validated against every row, on an existing table. Severity `warning`: the validation is
 * a scan, not a rewrite, but the lock it holds meanwhile blocks writes (a foreign key: on both
 * tables) or, for a check, reads too. Added NOT VALID and validated by a later statement of
 * a migration that runs outside a transaction, it is the safe pattern and not reported. MySQL has no NOT VALID; how it adds a constraint is the
 * MySQL algorithm rules' business.
 */
export const addConstraintWithoutNotValid: RiskRule = {
  id: 'add-constraint-without-not-valid',
  dialects: ['postgres'],
  severity: 'warning',
  why: 'every existing row is validated while a lock blocks writes to the table (for a check constraint, reads too)',
  instead:
    'add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration (or later in this one, run outside a transaction): validating takes a lock that lets reads and writes go on',
  check(input) {
    return addedObjects(input, 'constraint').flatMap((constraint) => {
      const table = constraint.table!;
      const type = constraint.attributes['type'];
      if (type !== 'foreign key' && type !== 'check') return [];
      if (constraint.attributes['validated'] !== true || !existedBefore(input, table)) return [];
      // NOT VALID, then VALIDATE in a later statement: outside a transaction each statement
      // released its lock, so the validation ran under the weak lock (the safe pattern). In
      // one transaction the ADD's lock is still held while VALIDATE scans.
      const sequence = addedNotValidThenValidated(input, table, constraint.name);
      if (sequence !== undefined && !input.transactional) return [];
      return [
        {
          what: `adds ${type} constraint ${constraint.name} to existing table ${table}, validating every row`,
          statement:
            blame(input, altersTable(input, table, [constraint.name])) ??
            blame(input, altersTable(input, table, [], type === 'check' ? ['check'] : ['references'])),
          evidence: [
            `constraint ${constraint.name} is validated after the up`,
            ...(sequence === undefined
              ? []
              : [
                  `added NOT VALID by statement ${sequence.added + 1} and validated by statement ${sequence.validated + 1}, in one transaction that holds the lock of the ADD until COMMIT`,
                ]),
            ...lockEvidence(input, table),
            ...referencedTables(input, String(constraint.attributes['definition'] ?? ''))
              .filter((referenced) => referenced !== table)
              .flatMap((referenced) => lockEvidence(input, referenced)),
          ],
        },
      ];
    });
  },
};

/** The table a foreign key definition references (`FOREIGN KEY (a) REFERENCES accounts(id)`). */
function referencedTables(input: RiskInput, definition: string): string[] {
  const tokens = tokenizeSql(definition, input.dialect);
  const at = tokens.findIndex((token) => isKeyword(token, 'references'));
  if (at === -1) return [];
  const name = readName(tokens, at + 1);
  return name.parts.length === 0 ? [] : [tableNameOf(name.parts, input.dialect)];
}
