import type { DialectName } from '../../model/dialect.ts';

/** One statement of a SQL script, without its delimiter. */
export interface SqlStatement {
  readonly sql: string;
  /** 1-based line of the statement's first token in the script. */
  readonly line: number;
}

/**
 * Splits a SQL script into the statements a database driver accepts one at a time.
 *
 * Delimiters inside strings, quoted identifiers, comments and Postgres dollar-quoted bodies are
 * not statement ends. For MySQL, `#` comments, backslash escapes and the client-side
 * `DELIMITER //` command (needed for procedure and trigger bodies) are understood too.
 * Leading comments are stripped so that `line` points at the SQL itself; comment-only chunks
 * are dropped.
 */
export function splitSqlStatements(text: string, dialect: DialectName): SqlStatement[] {
  return new SqlSplitter(text, dialect).split();
}

const IDENTIFIER_CHAR = /[\p{L}\p{N}_$]/u;
const DOLLAR_TAG = /\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/uy;
const DELIMITER_COMMAND = /delimiter[ \t]+(\S+)[^\n]*/iy;

class SqlSplitter {
  readonly #text: string;
  readonly #mysql: boolean;
  readonly #statements: SqlStatement[] = [];
  #delimiter = ';';
  #pos = 0;
  #line = 1;
  /** Where the current statement's first token is, or undefined while only comments were seen. */
  #start: { pos: number; line: number } | undefined;

  constructor(text: string, dialect: DialectName) {
    this.#text = text;
    this.#mysql = dialect === 'mysql';
  }

  split(): SqlStatement[] {
    const text = this.#text;
    while (this.#pos < text.length) {
      if (this.#mysql && this.#start === undefined && this.#readDelimiterCommand()) continue;
      const char = text[this.#pos]!;
      if (char === '\n') {
        this.#line++;
        this.#pos++;
      } else if (/\s/.test(char)) {
        this.#pos++;
      } else if (this.#isLineComment()) {
        this.#skipUntil('\n', false);
      } else if (text.startsWith('/*', this.#pos)) {
        // MySQL runs `/*! ... */` and optimizer hints `/*+ ... */`: they are code, not comments.
        if (this.#mysql && /[!+]/.test(text[this.#pos + 2] ?? '')) this.#markStart();
        this.#skipBlockComment();
      } else if (text.startsWith(this.#delimiter, this.#pos)) {
        this.#endStatement(this.#pos);
        this.#pos += this.#delimiter.length;
      } else {
        this.#markStart();
        this.#skipToken(char);
      }
    }
    this.#endStatement(text.length);
    return this.#statements;
  }

  #isLineComment(): boolean {
    const text = this.#text;
    if (this.#mysql && text[this.#pos] === '#') return true;
    if (!text.startsWith('--', this.#pos)) return false;
    // MySQL only treats `--` as a comment when whitespace follows (so `1--1` is arithmetic).
    return !this.#mysql || !/\S/.test(text[this.#pos + 2] ?? ' ');
  }

  /** `DELIMITER` is a command of the mysql client, never sent to the server: consume it here. */
  #readDelimiterCommand(): boolean {
    if (!/[dD]/.test(this.#text[this.#pos]!) || !this.#atLineStart()) return false;
    DELIMITER_COMMAND.lastIndex = this.#pos;
    const match = DELIMITER_COMMAND.exec(this.#text);
    if (!match) return false;
    this.#delimiter = match[1]!;
    this.#pos += match[0].length;
    return true;
  }

  #atLineStart(): boolean {
    const lineStart = this.#text.lastIndexOf('\n', this.#pos - 1) + 1;
    return this.#text.slice(lineStart, this.#pos).trim() === '';
  }

  #markStart(): void {
    this.#start ??= { pos: this.#pos, line: this.#line };
  }

  #endStatement(end: number): void {
    if (this.#start !== undefined) {
      const sql = this.#text.slice(this.#start.pos, end).trimEnd();
      if (sql !== '') this.#statements.push({ sql, line: this.#start.line });
    }
    this.#start = undefined;
  }

  /** Skips one token of code, stepping over a whole quoted construct when one starts here. */
  #skipToken(char: string): void {
    const text = this.#text;
    if (char === "'") {
      this.#skipQuoted("'", this.#mysql || this.#isEscapeStringPrefix());
    } else if (char === '"') {
      // Without ANSI_QUOTES, MySQL reads "..." as a string, with backslash escapes.
      this.#skipQuoted('"', this.#mysql);
    } else if (char === '`' && this.#mysql) {
      this.#skipQuoted('`', false);
    } else if (char === '$' && !this.#mysql && !this.#followsIdentifier()) {
      DOLLAR_TAG.lastIndex = this.#pos;
      const tag = DOLLAR_TAG.exec(text)?.[0];
      if (tag === undefined) this.#pos++;
      else {
        this.#pos += tag.length;
        this.#skipUntil(tag, true);
      }
    } else {
      this.#pos++;
    }
  }

  /** Postgres `E'...'` strings honour backslash escapes; plain ones do not. */
  #isEscapeStringPrefix(): boolean {
    const prefix = this.#text[this.#pos - 1];
    if (prefix !== 'E' && prefix !== 'e') return false;
    return !IDENTIFIER_CHAR.test(this.#text[this.#pos - 2] ?? ' ');
  }

  /** `$` continues an identifier in Postgres (`a$b$`), so it only opens a quote after other text. */
  #followsIdentifier(): boolean {
    return IDENTIFIER_CHAR.test(this.#text[this.#pos - 1] ?? ' ');
  }

  /** Skips a quoted run starting at the opening quote; a doubled quote is an escaped quote. */
  #skipQuoted(quote: string, backslashEscapes: boolean): void {
    const text = this.#text;
    this.#pos++;
    while (this.#pos < text.length) {
      const char = text[this.#pos]!;
      if (backslashEscapes && char === '\\') {
        this.#advance(2);
      } else if (char === quote) {
        this.#pos++;
        if (text[this.#pos] !== quote) return;
        this.#pos++;
      } else {
        this.#advance(1);
      }
    }
  }

  #skipBlockComment(): void {
    const text = this.#text;
    // Postgres nests block comments; MySQL does not.
    let depth = 0;
    while (this.#pos < text.length) {
      if (text.startsWith('/*', this.#pos) && (depth === 0 || !this.#mysql)) {
        depth++;
        this.#pos += 2;
      } else if (text.startsWith('*/', this.#pos)) {
        depth--;
        this.#pos += 2;
        if (depth === 0) return;
      } else {
        this.#advance(1);
      }
    }
  }

  /** Moves past the next `terminator` (or to the end), keeping the line count. */
  #skipUntil(terminator: string, consume: boolean): void {
    const found = this.#text.indexOf(terminator, this.#pos);
    const end = found === -1 ? this.#text.length : found + (consume ? terminator.length : 0);
    this.#advance(end - this.#pos);
  }

  #advance(count: number): void {
    const end = Math.min(this.#pos + count, this.#text.length);
    for (let i = this.#pos; i < end; i++) if (this.#text[i] === '\n') this.#line++;
    this.#pos = end;
  }
}
