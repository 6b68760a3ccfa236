import { sql } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { MigrationStep } from './migration.ts';
import { MigrationStatementError } from './migration-error.ts';
import type { SqlSection } from './sql-source.ts';
import { splitSqlStatements } from './split-sql.ts';
import type { SqlStatement } from './split-sql.ts';

/** A SQL section split into statements, with lines counted in its file. */
export interface SqlScript {
  readonly file: string;
  readonly statements: readonly SqlStatement[];
}

/**
 * drizzle-kit's separator between statements. On MySQL `-->` is no comment (`--` needs a space
 * after it), so it is turned into a statement end before splitting, as drizzle's migrator
 * splits at it.
 */
const STATEMENT_BREAKPOINT = /--> statement-breakpoint/g;

/** Splits a section once, at load time, so that emptiness is known before anything runs. */
export function sqlScript(section: SqlSection, dialect: DialectName): SqlScript {
  // Same length, so offsets and lines stay those of the file.
  const text = section.text.replace(STATEMENT_BREAKPOINT, (marker) => ';'.padEnd(marker.length));
  const statements = splitSqlStatements(text, dialect).map((statement) => ({
    sql: statement.sql,
    line: statement.line + section.firstLine - 1,
  }));
  return { file: section.file, statements };
}

/**
 * Runs a script's statements one by one (drivers reject several statements per query once
 * parameters or prepared statements are involved). A failure becomes a
 * {@link MigrationStatementError} pointing at the statement's line in the file.
 */
export function sqlStep(script: SqlScript): MigrationStep {
  return async (db) => {
    for (const statement of script.statements) {
      try {
        await sql.raw(statement.sql).execute(db);
      } catch (cause) {
        throw new MigrationStatementError({
          file: script.file,
          line: statement.line + linesBeforePosition(statement.sql, cause),
          statement: statement.sql,
          cause,
        });
      }
    }
  };
}

/**
 * Postgres reports where in the statement parsing failed as `position`, a 1-based character
 * offset; turning it into a line count moves the reported line onto the offending text.
 */
function linesBeforePosition(statement: string, error: unknown): number {
  const position = Number((error as { position?: unknown } | null)?.position);
  if (!Number.isInteger(position) || position < 1) return 0;
  const before = Array.from(statement).slice(0, position - 1);
  return before.filter((char) => char === '\n').length;
}
