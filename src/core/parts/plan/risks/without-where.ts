import { rowWrites } from './row-writes.ts';
import type { RiskInput, RiskRule } from './rule.ts';
import type { Finding } from './rule.ts';

/**
 * Statements that change every row of an existing table because nothing limits them. The
 * empty throwaway database cannot show how many rows that is, so they are found from the
 * statement: no WHERE outside a subquery (nor MySQL's LIMIT).
 */

/** `delete-without-where`: DELETE of every row of an existing table. Severity `error`: data loss. */
export const deleteWithoutWhere: RiskRule = {
  id: 'delete-without-where',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  why: 'every row of the table is deleted, and no down brings them back',
  instead:
    'say which rows go with a WHERE clause and delete them in batches after a backup; if the table must really be emptied, say so by acknowledging this risk',
  check: (input) => unlimited(input, 'delete'),
};

/**
 * `update-without-where`: UPDATE of every row of an existing table. Severity `warning`: a
 * backfill does this on purpose, but it overwrites every row's old value, writes the whole
 * table once more and holds every row's lock until the end.
 */
export const updateWithoutWhere: RiskRule = {
  id: 'update-without-where',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'every row is overwritten in one statement: old values are gone, every row stays locked until it ends, and the whole table is written again',
  instead:
    'limit it with a WHERE clause; a backfill of a big table goes in batches (WHERE id BETWEEN ...), outside the deploy',
  check: (input) => unlimited(input, 'update'),
};

function unlimited(input: RiskInput, kind: 'update' | 'delete'): Finding[] {
  return rowWrites(input)
    .filter((write) => write.kind === kind && !write.limited)
    .map(({ statement, table }) => ({
      what: `${kind === 'delete' ? 'deletes' : 'updates'} every row of ${table} (no WHERE)`,
      statement: statement.index,
      evidence: [
        `statement ${statement.index + 1} has no WHERE clause, and table ${table} existed before the up`,
      ],
    }));
}
