import type { DialectName } from '../../model/dialect.ts';
import { optional } from '../../model/optional.ts';

/**
 * One token of SQL text. Comments and whitespace are left out; every other character belongs
 * to exactly one token.
 */
export interface SqlLexeme {
  /**
   * `identifier` is a quoted name (Postgres `"x"`, MySQL `` `x` ``); `variable` a MySQL
   * `@x`, `@@x` or `@'x'`; `delimiter` what ends a statement (`;`, or what a `DELIMITER`
   * command chose); `comment-mark` the opening `/*!…` or closing `*\/` of a MySQL executable
   * comment, whose content is lexed as code.
   */
  readonly kind: 'word' | 'string' | 'identifier' | 'variable' | 'symbol' | 'delimiter' | 'comment-mark';
  /**
   * A word or variable as written; a quoted token's content with its escapes resolved (a
   * doubled quote, or a backslash, stands for the character after it); otherwise the text.
   */
  readonly value: string;
  /** How a string or identifier was quoted: `'`, `"`, `` ` ``, or a dollar tag such as `$$`. */
  readonly quote?: string;
  /** Offset of the first character in the text. */
  readonly start: number;
  /** Offset just after the last character. */
  readonly end: number;
  /** 1-based line of `start`. */
  readonly line: number;
}

/** A string, quoted name or comment that the text opens and never closes. */
export interface UnclosedConstruct {
  readonly what: 'string' | 'quoted name' | 'comment';
  readonly start: number;
  readonly line: number;
}

/** The tokens of a text, up to an unclosed construct if there is one. */
export interface SqlLexing {
  readonly tokens: readonly SqlLexeme[];
  /** Where lexing stopped: nothing from here on is a token. */
  readonly unclosed?: UnclosedConstruct;
}

/** How to read a text. */
export interface SqlLexOptions {
  readonly dialect: DialectName;
  /**
   * MySQL: whether a backslash escapes the next character in `'…'` and `"…"` strings (the
   * default; off under sql_mode NO_BACKSLASH_ESCAPES). Postgres honours them only in `E'…'`.
   */
  readonly backslashEscapes?: boolean;
  /**
   * MySQL: whether the text is a script for the mysql client, whose `DELIMITER x` command
   * (at the start of a line, between statements) changes what ends a statement. Off for text
   * sent to the server, where `DELIMITER` is just a word.
   */
  readonly delimiterCommands?: boolean;
}

/**
 * Splits SQL text into tokens as the server's lexer does, as far as telling statements,
 * names and literals apart needs. Both dialects: `'…'` strings with doubled quotes. Postgres:
 * `"…"` names, `E'…'` strings with backslash escapes, `$tag$…$tag$` bodies, `--` comments
 * and nested block comments. MySQL: `` `…` `` names, `"…"` strings (ANSI_QUOTES is not
 * assumed), backslash escapes, `#` comments, `--` comments only when whitespace or a control
 * character follows, block comments that do not nest, optimizer hints `/*+ … *\/` as
 * comments, and executable comments `/*! … *\/`, `/*!80000 … *\/` and MariaDB's `/*M! … *\/`
 * as code (the server is assumed recent enough to run them).
 */
export function lexSql(text: string, options: SqlLexOptions): SqlLexing {
  return new SqlLexer(text, options).lex();
}

/** Characters of a bare word; MySQL allows any of U+0080..U+FFFF in names, Postgres any non-ASCII. */
const WORD_CHAR = /[\p{L}\p{N}_$\u0080-\uffff]/u;
const DOLLAR_TAG = /\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/uy;
const DELIMITER_COMMAND = /delimiter[ \t]+(\S+)[^\n]*/iy;
const EXECUTABLE_COMMENT = /\/\*M?!\d*/y;
/** MySQL's `--` comment: `1--1` is arithmetic. */
const MYSQL_DASH_COMMENT = /--(?:[\s\p{Cc}]|$)/uy;

class SqlLexer {
  readonly #text: string;
  readonly #mysql: boolean;
  readonly #backslashEscapes: boolean;
  readonly #delimiterCommands: boolean;
  readonly #tokens: SqlLexeme[] = [];
  #pos = 0;
  /** The line of `#lineCountedTo`: tokens come in order, so lines are counted once. */
  #line = 1;
  #lineCountedTo = 0;
  #delimiter = ';';
  /** Whether a token came since the last delimiter: a DELIMITER command only stands between statements. */
  #statementOpen = false;
  /** Inside a MySQL executable comment, whose `*\/` is a token. */
  #executable = false;

  constructor(text: string, options: SqlLexOptions) {
    this.#text = text;
    this.#mysql = options.dialect === 'mysql';
    this.#backslashEscapes = this.#mysql && (options.backslashEscapes ?? true);
    this.#delimiterCommands = this.#mysql && (options.delimiterCommands ?? false);
  }

  lex(): SqlLexing {
    while (this.#pos < this.#text.length) {
      const unclosed = this.#next();
      if (unclosed !== undefined) return { tokens: this.#tokens, unclosed };
    }
    return { tokens: this.#tokens };
  }

  /** Reads what starts at the current position: a token, a comment, whitespace or a command. */
  #next(): UnclosedConstruct | undefined {
    const text = this.#text;
    const pos = this.#pos;
    const char = text[pos]!;
    if (this.#readDelimiterCommand()) return undefined;
    if (/\s/.test(char)) {
      this.#pos++;
    } else if (this.#atLineComment()) {
      const end = text.indexOf('\n', pos);
      this.#pos = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', pos)) {
      return this.#blockComment();
    } else if (this.#executable && text.startsWith('*/', pos)) {
      this.#executable = false;
      this.#push('comment-mark', '*/', pos + 2);
    } else if (text.startsWith(this.#delimiter, pos)) {
      this.#push('delimiter', this.#delimiter, pos + this.#delimiter.length);
    } else if (char === "'" || char === '"' || (char === '`' && this.#mysql)) {
      return this.#quoted(pos, pos);
    } else if (char === '$' && !this.#mysql) {
      return this.#dollarQuoted();
    } else if (char === '@' && this.#mysql) {
      return this.#variable();
    } else if (WORD_CHAR.test(char)) {
      return this.#word();
    } else {
      const symbol = text.startsWith(':=', pos) ? ':=' : char;
      this.#push('symbol', symbol, pos + symbol.length);
    }
    return undefined;
  }

  /** `DELIMITER` is a command of the mysql client, never sent to the server: consumed here. */
  #readDelimiterCommand(): boolean {
    if (!this.#delimiterCommands || this.#statementOpen || !/[dD]/.test(this.#text[this.#pos]!)) return false;
    const lineStart = this.#text.lastIndexOf('\n', this.#pos - 1) + 1;
    if (this.#text.slice(lineStart, this.#pos).trim() !== '') return false;
    DELIMITER_COMMAND.lastIndex = this.#pos;
    const match = DELIMITER_COMMAND.exec(this.#text);
    if (match === null) return false;
    this.#delimiter = match[1]!;
    this.#pos += match[0].length;
    return true;
  }

  #atLineComment(): boolean {
    const text = this.#text;
    if (!this.#mysql) return text.startsWith('--', this.#pos);
    if (text[this.#pos] === '#') return true;
    MYSQL_DASH_COMMENT.lastIndex = this.#pos;
    return MYSQL_DASH_COMMENT.test(text);
  }

  /** A block comment, or the opening of a MySQL executable comment. Postgres nests them; MySQL does not. */
  #blockComment(): UnclosedConstruct | undefined {
    const text = this.#text;
    const start = this.#pos;
    if (this.#mysql && !this.#executable) {
      EXECUTABLE_COMMENT.lastIndex = start;
      const marker = EXECUTABLE_COMMENT.exec(text)?.[0];
      if (marker !== undefined) {
        this.#executable = true;
        this.#push('comment-mark', marker, start + marker.length);
        return undefined;
      }
    }
    let depth = 0;
    let at = start;
    while (at < text.length) {
      if (text.startsWith('/*', at) && (depth === 0 || !this.#mysql)) {
        depth++;
        at += 2;
      } else if (text.startsWith('*/', at)) {
        depth--;
        at += 2;
        if (depth === 0) {
          this.#pos = at;
          return undefined;
        }
      } else {
        at++;
      }
    }
    return this.#unclosed('comment', start);
  }

  /** A string or quoted name whose opening quote is at `quoteAt`; the token starts at `start` (before an `E`). */
  #quoted(start: number, quoteAt: number): UnclosedConstruct | undefined {
    const quote = this.#text[quoteAt]!;
    const name = quote === '`' || (quote === '"' && !this.#mysql);
    // E'...' is the only Postgres string with backslash escapes.
    const escapes = name ? false : this.#mysql ? this.#backslashEscapes : quoteAt > start;
    const run = readQuoted(this.#text, quoteAt, escapes);
    if (run === undefined) return this.#unclosed(name ? 'quoted name' : 'string', start);
    this.#push(name ? 'identifier' : 'string', run.value, run.end, quote);
    return undefined;
  }

  /** A Postgres `$tag$…$tag$` body; a `$` that opens none (as in `$1`) is a symbol. */
  #dollarQuoted(): UnclosedConstruct | undefined {
    const text = this.#text;
    const start = this.#pos;
    DOLLAR_TAG.lastIndex = start;
    const tag = DOLLAR_TAG.exec(text)?.[0];
    if (tag === undefined) {
      this.#push('symbol', '$', start + 1);
      return undefined;
    }
    const close = text.indexOf(tag, start + tag.length);
    if (close === -1) return this.#unclosed('string', start);
    this.#push('string', text.slice(start + tag.length, close), close + tag.length, tag);
    return undefined;
  }

  /** A user or system variable, or the `@host` of `user@host`: one token either way. */
  #variable(): UnclosedConstruct | undefined {
    const text = this.#text;
    const start = this.#pos;
    let end = start + (text[start + 1] === '@' ? 2 : 1);
    const quote = text[end];
    if (quote === "'" || quote === '"' || quote === '`') {
      const run = readQuoted(text, end, quote !== '`' && this.#backslashEscapes);
      if (run === undefined) return this.#unclosed('quoted name', start);
      end = run.end;
    } else {
      while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
    }
    this.#push('variable', text.slice(start, end), end);
    return undefined;
  }

  /** A bare word (keyword, name or number), or a Postgres `E'…'` string. */
  #word(): UnclosedConstruct | undefined {
    const text = this.#text;
    const start = this.#pos;
    let end = start + 1;
    while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
    const word = text.slice(start, end);
    if (!this.#mysql && (word === 'E' || word === 'e') && text[end] === "'") return this.#quoted(start, end);
    this.#push('word', word, end);
    return undefined;
  }

  #push(kind: SqlLexeme['kind'], value: string, end: number, quote?: string): void {
    const start = this.#pos;
    this.#tokens.push({ kind, value, ...optional('quote', quote), start, end, line: this.#lineAt(start) });
    this.#pos = end;
    this.#statementOpen = kind !== 'delimiter';
  }

  #unclosed(what: UnclosedConstruct['what'], start: number): UnclosedConstruct {
    return { what, start, line: this.#lineAt(start) };
  }

  #lineAt(pos: number): number {
    for (let at = this.#lineCountedTo; at < pos; at++) if (this.#text[at] === '\n') this.#line++;
    this.#lineCountedTo = pos;
    return this.#line;
  }
}

/** Reads a quoted run from its opening quote; a doubled quote stands for one. */
function readQuoted(
  text: string,
  start: number,
  backslashEscapes: boolean,
): { value: string; end: number } | undefined {
  const quote = text[start]!;
  let value = '';
  let pos = start + 1;
  while (pos < text.length) {
    const char = text[pos]!;
    if (backslashEscapes && char === '\\') {
      value += text[pos + 1] ?? '';
      pos += 2;
    } else if (char === quote) {
      if (text[pos + 1] !== quote) return { value, end: pos + 1 };
      value += quote;
      pos += 2;
    } else {
      value += char;
      pos++;
    }
  }
  return undefined;
}
