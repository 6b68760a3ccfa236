import type { CapturedStatement } from '../../model/captured-statement.ts';
import type { SqlStatement } from '../migrations/split-sql.ts';

/**
 * Puts each captured statement of a SQL migration on its line in the source file. A SQL step
 * sends its script's statements one by one, verbatim and in order, so the n-th captured
 * statement is the n-th of the script; the texts are compared all the same, and statements
 * that do not match keep no line.
 */
export function withSourceLines(
  captured: readonly CapturedStatement[],
  script: readonly SqlStatement[] | undefined,
): CapturedStatement[] {
  if (script === undefined) return [...captured];
  return captured.map((statement, index) => {
    const source = script[index];
    return source !== undefined && source.sql === statement.sql
      ? { ...statement, line: source.line }
      : statement;
  });
}
