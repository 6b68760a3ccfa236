import type { DialectName } from '../../model/dialect.ts';

/**
 * One token of a statement. Comments are left out and strings are opaque, so a name inside
 * a string literal or a comment never counts as a mention.
 */
export interface SqlToken {
  readonly kind: 'word' | 'quoted' | 'string' | 'symbol';
  /** A word in lower case; a quoted identifier's name as written (without quotes). */
  readonly text: string;
  /**
   * A name as the server resolves it: Postgres folds unquoted names to lower case, MySQL
   * keeps them as written; quoted ones stay as written on both.
   */
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const WORD_CHAR = /[\p{L}\p{N}_$]/u;

/**
 * Splits one statement into tokens: enough to tell what a statement does and which names it
 * mentions, not a parser. Postgres: `"name"`, `'...'`, `E'...'` and `$tag$...$tag$`;
 * MySQL: `` `name` ``, `'...'` and `"..."` strings with backslash escapes, `#` comments.
 */
export function tokenizeSql(sql: string, dialect: DialectName): SqlToken[] {
  const mysql = dialect === 'mysql';
  const tokens: SqlToken[] = [];
  let pos = 0;
  while (pos < sql.length) {
    const char = sql[pos]!;
    const next = sql[pos + 1] ?? '';
    if (/\s/.test(char)) {
      pos++;
    } else if ((char === '-' && next === '-') || (mysql && char === '#')) {
      const end = sql.indexOf('\n', pos);
      pos = end === -1 ? sql.length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', pos + 2);
      pos = end === -1 ? sql.length : end + 2;
    } else if (char === "'" || char === '"' || (char === '`' && mysql)) {
      const isString = char === "'" || (char === '"' && mysql);
      const escapes = mysql ? char !== '`' : char === "'" && /^[eE]$/.test(sql[pos - 1] ?? '');
      const end = quotedEnd(sql, pos, escapes);
      const text = sql.slice(pos + 1, end - 1).replaceAll(char + char, char);
      tokens.push({ kind: isString ? 'string' : 'quoted', text, name: text, start: pos, end });
      pos = end;
    } else if (char === '$' && !mysql && !WORD_CHAR.test(sql[pos - 1] ?? ' ')) {
      const tag = /^\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/u.exec(sql.slice(pos))?.[0];
      if (tag === undefined) {
        tokens.push({ kind: 'symbol', text: char, name: char, start: pos, end: pos + 1 });
        pos++;
      } else {
        const close = sql.indexOf(tag, pos + tag.length);
        const end = close === -1 ? sql.length : close + tag.length;
        const text = sql.slice(pos + tag.length, close);
        tokens.push({ kind: 'string', text, name: text, start: pos, end });
        pos = end;
      }
    } else if (WORD_CHAR.test(char)) {
      let end = pos + 1;
      while (end < sql.length && WORD_CHAR.test(sql[end]!)) end++;
      const word = sql.slice(pos, end);
      tokens.push({
        kind: 'word',
        text: word.toLowerCase(),
        name: mysql ? word : word.toLowerCase(),
        start: pos,
        end,
      });
      pos = end;
    } else {
      tokens.push({ kind: 'symbol', text: char, name: char, start: pos, end: pos + 1 });
      pos++;
    }
  }
  return tokens;
}

function quotedEnd(sql: string, start: number, backslashEscapes: boolean): number {
  const quote = sql[start]!;
  let pos = start + 1;
  while (pos < sql.length) {
    const char = sql[pos]!;
    if (backslashEscapes && char === '\\') pos += 2;
    else if (char === quote && sql[pos + 1] === quote) pos += 2;
    else if (char === quote) return pos + 1;
    else pos++;
  }
  return sql.length;
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
