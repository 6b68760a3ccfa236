import type { DialectName } from '../../model/dialect.ts';
import { lexSql } from '../sql/sql-lexer.ts';

/** One statement of a SQL script, without its delimiter. */
export interface SqlStatement {
  readonly sql: string;
  /** 1-based line of the statement's first token in the script. */
  readonly line: number;
}

/**
 * Splits a SQL script into the statements a database driver accepts one at a time, as the
 * dialect's command-line client does (see lexSql for what is a string, a comment or a
 * delimiter; on MySQL that includes the client-side `DELIMITER //` command, needed for
 * procedure and trigger bodies). Leading comments are stripped so that `line` points at the
 * SQL itself; comment-only chunks are dropped. An unclosed string or comment runs to the end
 * of the script, where the server will report it.
 */
export function splitSqlStatements(text: string, dialect: DialectName): SqlStatement[] {
  const { tokens, unclosed } = lexSql(text, { dialect, delimiterCommands: true });
  const statements: SqlStatement[] = [];
  let first: { readonly start: number; readonly line: number } | undefined;
  const end = (at: number): void => {
    if (first !== undefined)
      statements.push({ sql: text.slice(first.start, at).trimEnd(), line: first.line });
    first = undefined;
  };
  for (const token of tokens) {
    if (token.kind === 'delimiter') end(token.start);
    else first ??= token;
  }
  if (unclosed !== undefined && unclosed.what !== 'comment') first ??= unclosed;
  end(text.length);
  return statements;
}
