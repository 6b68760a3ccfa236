import { isKeyword } from '../statement-text.ts';
import { lockEvidence } from './evidence.ts';
import type { RiskInput, RiskRule } from './rule.ts';
import { addedObjects, existedBefore, removedObjects, tableStatementOf } from './schema-changes.ts';

/** The constraint types Postgres enforces with an index of their own. */
const INDEXED_TYPES = new Set(['primary key', 'unique', 'exclusion']);

/**
 * `constraint-builds-index` (Postgres): a primary key, unique or exclusion constraint added
 * to an existing table (by ADD CONSTRAINT, or with a column added as UNIQUE or PRIMARY KEY)
 * builds its index inside the ALTER TABLE, under an ACCESS EXCLUSIVE lock: reads and writes
 * wait for as long as the build reads the whole table. Severity `error`, like a blocking
 * CREATE INDEX. The safe path builds the index CONCURRENTLY first and hands it to the
 * constraint with `USING INDEX`. An index built by an earlier migration then shows in the diff
 * as removed (it became the constraint's); one built earlier in the same migration never shows,
 * so the statement's `USING INDEX` tells.
 */
export const constraintBuildsIndex: RiskRule = {
  id: 'constraint-builds-index',
  dialects: ['postgres'],
  severity: 'error',
  why: 'the constraint builds its index while an ACCESS EXCLUSIVE lock blocks reads and writes, for as long as it reads the whole table',
  instead:
    'CREATE UNIQUE INDEX CONCURRENTLY in a migration outside a transaction, then ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX, which only renames it',
  check(input) {
    const handedOver = new Set(removedObjects(input, 'index').map((index) => index.name));
    return addedObjects(input, 'constraint').flatMap((constraint) => {
      const table = constraint.table!;
      const type = String(constraint.attributes['type']);
      if (!INDEXED_TYPES.has(type) || !existedBefore(input, table)) return [];
      if (handedOver.has(constraint.name) || usesIndex(input, table, constraint.name)) return [];
      const statement = input.statements.find((candidate) => {
        const read = tableStatementOf(input, candidate);
        return read?.kind === 'alter-table' && read.table === table && mentionsKey(candidate.words, type);
      });
      return [
        {
          what: `adds ${type} constraint ${constraint.name} to existing table ${table}, building its index`,
          statement: statement?.index,
          evidence: [
            `constraint ${constraint.name} is there after the up with an index of its own, and no index was handed to it`,
            ...lockEvidence(input, table),
          ],
        },
      ];
    });
  },
};

/** Whether the words name the key: `unique`, `primary`, or `exclude`. */
function mentionsKey(words: ReadonlySet<string>, type: string): boolean {
  return words.has(type === 'primary key' ? 'primary' : type === 'unique' ? 'unique' : 'exclude');
}

/** Whether an ALTER TABLE of the table adds the constraint `USING INDEX`. */
function usesIndex(input: RiskInput, table: string, name: string): boolean {
  return input.statements.some((statement) => {
    const read = tableStatementOf(input, statement);
    if (read?.kind !== 'alter-table' || read.table !== table) return false;
    return read.actions.some(
      (action) =>
        action.some((token) => token.name === name) &&
        action.some((token, index) => isKeyword(token, 'using') && isKeyword(action[index + 1], 'index')),
    );
  });
}
