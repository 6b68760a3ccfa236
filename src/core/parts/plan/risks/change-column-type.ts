import {
  algorithmEvidence,
  blocksWritesOnMysql,
  lockEvidence,
  rewriteEvidence,
  wasRewritten,
} from './evidence.ts';
import { columnTypeChanges } from './rewrite-causes.ts';
import type { RiskRule } from './rule.ts';

/**
 * `change-column-type`: a column of an existing table has another type. Severity `error` when
 * the change was seen to rewrite the table while it is locked (Postgres: its relfilenode
 * changed; MySQL: the server could only copy it, or rebuild it under a lock), `warning`
 * otherwise (e.g. widening a varchar is metadata only): old code may still write values the
 * new type refuses.
 */
export const changeColumnType: RiskRule = {
  id: 'change-column-type',
  dialects: ['postgres', 'mysql'],
  severity: 'warning',
  why: 'the running application may read or write values the new type does not take',
  instead:
    'add a column of the new type, backfill it in batches, switch the code, then drop the old column; or choose a change the server does without a rewrite (e.g. widening a varchar)',
  check(input) {
    return columnTypeChanges(input).map(({ table, column, from, to, statement }) => {
      const blocking =
        input.dialect === 'postgres' ? wasRewritten(input, table) : blocksWritesOnMysql(input, statement);
      const observed =
        input.dialect === 'postgres'
          ? [
              ...(wasRewritten(input, table) || input.facts.rewritten === undefined
                ? rewriteEvidence(input, table)
                : [`no rewrite of ${table} (relfilenode unchanged)`]),
              ...lockEvidence(input, table),
            ]
          : algorithmEvidence(input, statement);
      return {
        what: `changes the type of column ${table}.${column} from ${from} to ${to}`,
        statement,
        evidence: [`column ${table}.${column}: ${from} became ${to}`, ...observed],
        ...(blocking
          ? {
              severity: 'error' as const,
              why: 'the table is rewritten while a lock blocks its writes (and on Postgres its reads) for the whole rewrite',
            }
          : {}),
      };
    });
  },
};
