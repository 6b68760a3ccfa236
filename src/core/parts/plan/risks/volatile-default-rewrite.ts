import type { DialectName } from '../../../model/dialect.ts';
import {
  algorithmEvidence,
  blocksWritesOnMysql,
  lockEvidence,
  rewriteEvidence,
  wasRewritten,
} from './evidence.ts';
import { addedColumnsWithDefault } from './rewrite-causes.ts';
import type { RiskRule } from './rule.ts';

/**
 * `volatile-default-rewrite`: a column added to an existing table with a default the server
 * cannot store once for all rows (Postgres: a volatile expression such as gen_random_uuid();
 * MySQL: an expression default), so the table is rewritten. Judged from what happened:
 * Postgres's relfilenode of the table changed, or the MySQL server refused to add the column
 * INSTANT or NOCOPY on a copy of the table; only when that could not be observed, from known
 * volatile functions in the default. Severity `error` when the rewrite blocks writes (always on
 * Postgres), `warning` for an online MySQL rebuild (INPLACE, LOCK=NONE).
 */
export const volatileDefaultRewrite: RiskRule = {
  id: 'volatile-default-rewrite',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  why: 'a default computed per row makes the server rewrite the whole table, under a lock that blocks reads and writes',
  instead:
    'add the column without a default (or with a constant one), backfill it in batches, then set the default for new rows',
  check(input) {
    return addedColumnsWithDefault(input).flatMap(({ table, column, defaultValue, statement }) => {
      const described = `adds column ${table}.${column} with default ${defaultValue}, rewriting existing table ${table}`;
      if (input.dialect === 'postgres') {
        const observed = input.facts.rewritten !== undefined;
        if (observed ? !wasRewritten(input, table) : !VOLATILE.postgres.test(defaultValue)) return [];
        const evidence = observed
          ? [...rewriteEvidence(input, table), ...lockEvidence(input, table)]
          : [...rewriteEvidence(input, table), `judged from the default: ${defaultValue} is volatile`];
        return [{ what: described, statement, evidence }];
      }
      const verdict = statement === undefined ? undefined : input.facts.algorithms?.get(statement);
      const rebuilt =
        verdict !== undefined && ['inplace', 'inplace-locked', 'copy'].includes(verdict.algorithm);
      if (verdict === undefined || verdict.algorithm === 'unknown') {
        if (!VOLATILE.mysql.test(defaultValue)) return [];
        return [
          {
            what: described,
            statement,
            evidence: [
              ...algorithmEvidence(input, statement),
              `judged from the default: ${defaultValue} is not a constant`,
            ],
          },
        ];
      }
      if (!rebuilt) return [];
      return [
        {
          what: described,
          statement,
          evidence: algorithmEvidence(input, statement),
          ...(blocksWritesOnMysql(input, statement)
            ? {}
            : {
                severity: 'warning' as const,
                why: 'the server rebuilds the whole table to add the column (writes go on meanwhile)',
              }),
        },
      ];
    });
  },
};

/** Functions whose value differs per row, the fallback when no rewrite could be observed. */
const VOLATILE: Readonly<Record<DialectName, RegExp>> = {
  postgres:
    /\b(?:random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|nextval|txid_current)\s*\(/i,
  mysql: /\b(?:uuid|uuid_short|rand|sysdate)\s*\(/i,
};
