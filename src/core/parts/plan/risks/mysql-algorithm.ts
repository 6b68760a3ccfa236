import type { AlgorithmVerdict } from '../facts/observed-facts.ts';
import { algorithmEvidence } from './evidence.ts';
import { addedColumnsWithDefault, columnTypeChanges } from './rewrite-causes.ts';
import type { Finding, RiskInput, RiskRule } from './rule.ts';

/**
 * The MySQL/MariaDB algorithm rules, from the server itself: before the real run, each
 * ALTER of an existing table was tried on a copy of the table with ALGORITHM=INSTANT, then
 * NOCOPY (MariaDB), then INPLACE with LOCK=NONE, and so on (see mysql-algorithm-probe.ts).
 * Severity `error`: both block writes to the table for a whole rebuild or copy. A column type
 * change or a column default that forces the rebuild is reported by its own rule instead.
 */

/** `mysql-copy-algorithm`: the server accepted the statement only with ALGORITHM=COPY. */
export const mysqlCopyAlgorithm: RiskRule = {
  id: 'mysql-copy-algorithm',
  dialects: ['mysql'],
  severity: 'error',
  why: 'the server copies the whole table to do it, and writes wait until the copy is done',
  instead:
    'split the change into steps the server does INSTANT or INPLACE with LOCK=NONE, or run it with an online schema change tool (gh-ost, pt-online-schema-change)',
  check: (input) => blockingStatements(input, 'copy', 'copies table'),
};

/** `mysql-inplace-lock`: the server did it in place, but refused LOCK=NONE. */
export const mysqlInplaceLock: RiskRule = {
  id: 'mysql-inplace-lock',
  dialects: ['mysql'],
  severity: 'error',
  why: 'the server does it in place only while holding a lock that blocks writes, for the whole operation',
  instead:
    'find a form of the change the server accepts with LOCK=NONE, or run it with an online schema change tool (gh-ost, pt-online-schema-change)',
  check: (input) => blockingStatements(input, 'inplace-locked', 'locks table'),
};

function blockingStatements(
  input: RiskInput,
  algorithm: AlgorithmVerdict['algorithm'],
  verb: string,
): Finding[] {
  const explained = new Set([
    ...columnTypeChanges(input).map((change) => change.statement),
    ...addedColumnsWithDefault(input).map((added) => added.statement),
  ]);
  return [...(input.facts.algorithms ?? [])]
    .filter(([statement, verdict]) => verdict.algorithm === algorithm && !explained.has(statement))
    .map(([statement, verdict]) => ({
      what: `${verb} ${verdict.table} to run statement ${statement + 1}`,
      statement,
      evidence: algorithmEvidence(input, statement),
    }));
}
