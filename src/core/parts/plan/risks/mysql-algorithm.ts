import type { AlgorithmVerdict } from '../facts/observed-facts.ts';
import { isKeyword } from '../statement-text.ts';
import { algorithmEvidence } from './evidence.ts';
import { addedColumnsWithDefault, columnTypeChanges } from './rewrite-causes.ts';
import type { Finding, RiskInput, RiskRule } from './rule.ts';
import { tableStatementOf } from './schema-changes.ts';

/**
 * The MySQL/MariaDB algorithm rules, from the server itself: before the real run, each
 * ALTER of an existing table was tried on a copy of the table with ALGORITHM=INSTANT, then
 * NOCOPY (MariaDB), then INPLACE with LOCK=NONE, and so on (see mysql-algorithm-probe.ts).
 * Severity `error`: both block writes to the table for a whole rebuild or copy. A column type
 * change or a column default that forces the rebuild is reported by its own rule instead. An
 * enforced CHECK added (or turned ENFORCED) is said to be one: the server validates every
 * existing row while it copies the table (MySQL enforces CHECK since 8.0.16, MariaDB since
 * 10.2), and a row that breaks it fails the ALTER.
 */

/** `mysql-copy-algorithm`: the server accepted the statement only with ALGORITHM=COPY. */
export const mysqlCopyAlgorithm: RiskRule = {
  id: 'mysql-copy-algorithm',
  dialects: ['mysql'],
  severity: 'error',
  why: 'the server copies the whole table to do it, and writes wait until the copy is done',
  instead:
    'split the change into steps the server does INSTANT or INPLACE with LOCK=NONE, or run it with an online schema change tool (gh-ost, pt-online-schema-change)',
  check: (input) =>
    blockingStatements(input, 'copy', 'copies table').map((finding) =>
      addsEnforcedCheck(input, finding.statement) ? { ...finding, ...CHECK_CONSTRAINT } : finding,
    ),
};

/** What a copy that validates a CHECK constraint means, beside a plain copy. */
const CHECK_CONSTRAINT = {
  why: 'the server enforces CHECK constraints (MySQL since 8.0.16, MariaDB since 10.2): adding one validates every existing row while it copies the whole table (ALGORITHM=COPY), writes wait until the copy is done, and a row that breaks the check fails the migration',
  instead:
    'find and fix the rows that break the check first, then add it with an online schema change tool (gh-ost, pt-online-schema-change); on MySQL, NOT ENFORCED adds it instantly but the server does not check it',
} as const;

/** `ADD [CONSTRAINT [name]] CHECK (...)` not NOT ENFORCED, or MySQL's `ALTER CHECK name ENFORCED`. */
function addsEnforcedCheck(input: RiskInput, index: number | undefined): boolean {
  const statement = input.statements.find((read) => read.index === index);
  const read = statement === undefined ? undefined : tableStatementOf(input, statement);
  return (read?.actions ?? []).some((action) => {
    const words = action.filter((token) => token.kind === 'word').map((token) => token.text);
    const notEnforced = words.some((word, at) => word === 'not' && words[at + 1] === 'enforced');
    if (isKeyword(action[0], 'alter')) return isKeyword(action[1], 'check') && !notEnforced;
    return isKeyword(action[0], 'add') && words.slice(0, 4).includes('check') && !notEnforced;
  });
}

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
