import { objectKey } from '../../schema/snapshot.ts';
import { mentions } from '../statement-text.ts';
import { lockEvidence, rewriteEvidence } from './evidence.ts';
import { addedColumnsWithDefault, columnTypeChanges, truncatedTables } from './rewrite-causes.ts';
import type { RiskRule } from './rule.ts';
import { blame } from './schema-changes.ts';

/**
 * `table-rewrite` (Postgres): the up rewrote an existing table (its relfilenode changed) for a
 * reason no more specific rule names: SET LOGGED, a stored generated column, SET ACCESS
 * METHOD, CLUSTER, VACUUM FULL, REFRESH MATERIALIZED VIEW, an enum swapped under a column...
 * Severity `error`: a rewrite holds ACCESS EXCLUSIVE, so reads and writes wait for all of it.
 * Rewrites by a column type change, a volatile default or TRUNCATE are left to their rules.
 */
export const tableRewrite: RiskRule = {
  id: 'table-rewrite',
  dialects: ['postgres'],
  severity: 'error',
  why: 'the table is rewritten under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite',
  instead:
    'do it online (a new table kept in sync and swapped, pg_repack) or in a maintenance window; REFRESH MATERIALIZED VIEW CONCURRENTLY for a materialized view',
  check(input) {
    const explained = new Set([
      ...columnTypeChanges(input).map((change) => change.table),
      ...addedColumnsWithDefault(input).map((added) => added.table),
      ...truncatedTables(input).map((truncated) => truncated.table),
    ]);
    return [...(input.facts.rewritten ?? [])]
      .filter((name) => !explained.has(name))
      .map((name) => {
        const kind =
          input.before.objects[objectKey({ kind: 'table', name })] === undefined
            ? 'materialized view'
            : 'table';
        return {
          what: `rewrites ${kind} ${name}`,
          statement: blame(
            input,
            (statement) =>
              mentions(statement.words, name) &&
              ['alter', 'cluster', 'vacuum', 'refresh'].includes(statement.tokens[0]?.text ?? ''),
          ),
          evidence: [...rewriteEvidence(input, name), ...lockEvidence(input, name)],
        };
      });
  },
};
