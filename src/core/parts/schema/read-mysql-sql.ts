import { lexSql } from '../sql/sql-lexer.ts';
import { statementEnd } from './mysql-statement-boundaries.ts';
import { mysqlStatementEffect } from './mysql-statement-effect.ts';
import { isDelimiter } from './mysql-token-cursor.ts';
import type { MysqlStatementEffect, MysqlTouchedObject } from './mysql-touched-object.ts';
import { unknownEffect } from './mysql-touched-object.ts';

/** One statement of a text with what it may change. */
export interface MysqlStatementReading {
  /** The statement's text, for messages. */
  readonly sql: string;
  readonly effect: MysqlStatementEffect;
}

/**
 * What a text of one or more statements may change: the objects of all its statements, or
 * `unknown` as soon as one statement cannot be read with certainty. A text with backslashes
 * is read twice, with and without backslash escapes in strings, since the server's sql_mode
 * (NO_BACKSLASH_ESCAPES) decides where a string ends.
 */
export function readMysqlSql(text: string): MysqlStatementEffect {
  const readings = [readMysqlStatements(text)];
  if (text.includes('\\')) readings.push(readMysqlStatements(text, { backslashEscapes: false }));
  const objects: MysqlTouchedObject[] = [];
  for (const statements of readings) {
    for (const { sql: statement, effect } of statements) {
      if (effect.change === 'unknown')
        return { change: 'unknown', reason: `statement "${excerpt(statement)}": ${effect.reason}` };
      if (effect.change === 'objects') objects.push(...effect.objects);
    }
  }
  return objects.length === 0 ? { change: 'none' } : { change: 'objects', objects };
}

function excerpt(statement: string): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/** Options of {@link readMysqlStatements}. */
export interface ReadMysqlOptions {
  /**
   * Whether a backslash escapes the next character in strings (the default; off under
   * sql_mode NO_BACKSLASH_ESCAPES). Read without escapes, a text that breaks off in an
   * unterminated string is taken to run up to that statement only: the server stops a
   * multi-statement text at its first error.
   */
  readonly backslashEscapes?: boolean;
}

/** Splits a text sent to the server into statements and reads what each may change. */
export function readMysqlStatements(text: string, options: ReadMysqlOptions = {}): MysqlStatementReading[] {
  const escapes = options.backslashEscapes ?? true;
  const lexed = lexSql(text, { dialect: 'mysql', backslashEscapes: escapes });
  const error = lexed.unclosed === undefined ? undefined : `a ${lexed.unclosed.what} is not closed`;
  // The server runs what an executable comment holds: its marks are no part of a statement.
  const tokens = lexed.tokens.filter((token) => token.kind !== 'comment-mark');
  const readings: MysqlStatementReading[] = [];
  let index = 0;
  while (index < tokens.length) {
    if (isDelimiter(tokens[index])) {
      index++;
      continue;
    }
    const end = statementEnd(tokens, index);
    const statementTokens = tokens.slice(index, end.index);
    const last = statementTokens[statementTokens.length - 1]!;
    const sqlText = text.slice(tokens[index]!.start, last.end);
    // Without escapes a broken string means a syntax error: the server runs nothing from there on.
    if (error !== undefined && !escapes && end.index >= tokens.length) break;
    readings.push({
      sql: sqlText,
      effect: end.error === undefined ? mysqlStatementEffect(statementTokens) : unknownEffect(end.error),
    });
    if (end.error !== undefined) break;
    index = end.index + 1;
  }
  if (error !== undefined && escapes) {
    const start = tokens.length === 0 ? 0 : tokens[tokens.length - 1]!.start;
    readings.push({ sql: text.slice(start), effect: unknownEffect(error) });
  }
  return readings;
}
