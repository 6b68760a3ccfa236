import type { DialectName } from '../../model/dialect.ts';
import type { SqlLexeme } from '../sql/sql-lexer.ts';
import { lexSql } from '../sql/sql-lexer.ts';

/**
 * One token of a statement. Comments are left out and strings are opaque, so a name inside
 * a string literal or a comment never counts as a mention.
 */
export interface SqlToken {
  /** `variable` is a MySQL `@x`, `@@x` or `@'x'`. */
  readonly kind: 'word' | 'quoted' | 'string' | 'variable' | 'symbol';
  /** A word in lower case; a quoted identifier's or string's content; otherwise the text. */
  readonly text: string;
  /**
   * A name as the server resolves it: Postgres folds unquoted names to lower case, MySQL
   * keeps them as written; quoted ones stay as written on both.
   */
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits one statement into tokens (see lexSql for the rules of each dialect): enough to
 * tell what a statement does and which names it mentions, not a parser. The code of MySQL
 * executable comments counts, their marks do not; delimiters are symbols.
 */
export function tokenizeSql(sql: string, dialect: DialectName): SqlToken[] {
  return lexSql(sql, { dialect }).tokens.flatMap((lexeme) => statementToken(lexeme, dialect));
}

function statementToken(lexeme: SqlLexeme, dialect: DialectName): SqlToken[] {
  const { value, start, end } = lexeme;
  switch (lexeme.kind) {
    case 'comment-mark':
      return [];
    case 'word': {
      const text = value.toLowerCase();
      return [{ kind: 'word', text, name: dialect === 'mysql' ? value : text, start, end }];
    }
    case 'identifier':
      return [{ kind: 'quoted', text: value, name: value, start, end }];
    case 'string':
    case 'variable':
      return [{ kind: lexeme.kind, text: value, name: value, start, end }];
    default:
      return [{ kind: 'symbol', text: value, name: value, start, end }];
  }
}

/** Whether a token is one of these keywords (lower case). */
export function isKeyword(token: SqlToken | undefined, ...words: readonly string[]): boolean {
  return token?.kind === 'word' && words.includes(token.text);
}

/** Whether a token is a name: a word or a quoted identifier. */
export function isName(token: SqlToken | undefined): token is SqlToken {
  return token?.kind === 'word' || token?.kind === 'quoted';
}

/** A possibly qualified name read at `index`: its parts and the index after it. */
export function readName(tokens: readonly SqlToken[], index: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let at = index;
  while (isName(tokens[at])) {
    parts.push(tokens[at]!.name);
    if (tokens[at + 1]?.kind !== 'symbol' || tokens[at + 1]!.text !== '.') return { parts, next: at + 1 };
    at += 2;
  }
  return { parts, next: at };
}

/**
 * A table name as snapshots spell it: Postgres leaves out `public`, MySQL the database (the
 * scratch database's name changes every run).
 */
export function tableNameOf(parts: readonly string[], dialect: DialectName): string {
  if (dialect === 'mysql' || parts.length < 2) return parts.at(-1) ?? '';
  return parts[0] === 'public' ? parts.slice(1).join('.') : parts.join('.');
}

/** The lower-case names and keywords of a statement, for "does it mention ..." questions. */
export function wordsOf(tokens: readonly SqlToken[]): Set<string> {
  return new Set(tokens.filter(isName).map((token) => token.text.toLowerCase()));
}

/** Whether a statement mentions a name, qualified ones (`audit.log`) part by part. */
export function mentions(words: ReadonlySet<string>, name: string): boolean {
  return name
    .toLowerCase()
    .split('.')
    .every((part) => words.has(part));
}
