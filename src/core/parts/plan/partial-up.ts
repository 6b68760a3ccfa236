import type { CapturedStatement } from '../../model/captured-statement.ts';
import type { SqlStatement } from '../migrations/split-sql.ts';

/**
 * MySQL/MariaDB: the notes for an up that failed part-way. No transaction holds a migration's
 * statements there (each DDL statement commits, and commits what ran before it), so the
 * statements before the failing one stay applied: a database the migration fails on is left
 * half-migrated, which the report must name, statement by statement, beside those that never
 * ran (known for a SQL migration from its script). The failing statement itself left nothing
 * behind: a single DDL statement is atomic since MySQL 8.0 and MariaDB 10.6, a migration of
 * several is not. Empty when the up did not fail, or failed at its first statement.
 */
export function partialUpNotes(
  captured: readonly CapturedStatement[],
  script: readonly SqlStatement[] | undefined,
): string[] {
  const failedAt = captured.findIndex((statement) => statement.failed === true);
  if (failedAt < 1) return [];
  const ran = captured.slice(0, failedAt).filter((statement) => statement.failed !== true);
  const failed = captured[failedAt]!;
  // A SQL step sends its script in order, so what follows the failed statement never ran.
  const scriptAt = script?.findIndex((statement) => statement.line === failed.line) ?? -1;
  const notRun = failed.line === undefined || scriptAt === -1 ? [] : script!.slice(scriptAt + 1);
  return [
    `the up failed at statement ${failedAt + 1}${lineOf(failed)}, after ${ran.length} that stayed applied: on MySQL/MariaDB each statement commits as it runs (no transaction holds a migration), so a database this migration fails on is left half-migrated; the failing statement itself left nothing (a single DDL statement is atomic since MySQL 8.0 and MariaDB 10.6, a migration of several is not)`,
    `stayed applied: ${ran.map((statement) => `${captured.indexOf(statement) + 1}${lineOf(statement)} ${preview(statement.sql)}`).join('; ')}`,
    ...(notRun.length === 0
      ? []
      : [
          `never ran: ${notRun.map((statement, at) => `${failedAt + 2 + at}${lineOf(statement)} ${preview(statement.sql)}`).join('; ')}`,
        ]),
  ];
}

function lineOf(statement: { readonly line?: number }): string {
  return statement.line === undefined ? '' : ` (line ${statement.line})`;
}

/** A statement on one line, cut short: the note names it, the SQL section shows it whole. */
function preview(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
