import type { SqlLexeme } from '../sql/sql-lexer.ts';
import type { MysqlName } from './mysql-touched-object.ts';

/** Whether a token is this symbol. */
export function isSymbol(token: SqlLexeme | undefined, symbol: string): boolean {
  return token?.kind === 'symbol' && token.value === symbol;
}

/** Whether a token ends a statement (or, in a stored program's body, a statement of the body). */
export function isDelimiter(token: SqlLexeme | undefined): boolean {
  return token?.kind === 'delimiter';
}

/** Whether a token is one of `words` (upper case), ignoring case. */
export function isWord(token: SqlLexeme | undefined, ...words: readonly string[]): boolean {
  return token?.kind === 'word' && words.includes(token.value.toUpperCase());
}

/**
 * Whether a token may be a name: bare, `backticked`, or "double-quoted" (a name under
 * ANSI_QUOTES; as a string there it would be a syntax error, so reading it as a name is safe).
 */
export function isNameToken(token: SqlLexeme | undefined): token is SqlLexeme {
  return (
    token?.kind === 'word' ||
    token?.kind === 'identifier' ||
    (token?.kind === 'string' && token.quote === '"')
  );
}

/** Reads the tokens of a MySQL statement one by one; every method consumes only on a match. */
export class MysqlTokenCursor {
  readonly #tokens: readonly SqlLexeme[];
  #index = 0;

  constructor(tokens: readonly SqlLexeme[]) {
    this.#tokens = tokens;
  }

  /** Whether every token has been consumed. */
  get done(): boolean {
    return this.#index >= this.#tokens.length;
  }

  /** The token `offset` places ahead, without consuming it. */
  peek(offset = 0): SqlLexeme | undefined {
    return this.#tokens[this.#index + offset];
  }

  /** Consumes the next token when it is one of `words`, returning it in upper case. */
  keyword(...words: readonly string[]): string | undefined {
    const token = this.peek();
    if (!isWord(token, ...words)) return undefined;
    this.#index++;
    return token!.value.toUpperCase();
  }

  /** Consumes `words` when the next tokens are exactly these. */
  keywords(...words: readonly string[]): boolean {
    if (!words.every((word, offset) => isWord(this.peek(offset), word))) return false;
    this.#index += words.length;
    return true;
  }

  /** Consumes the next token when it is this symbol. */
  symbol(symbol: string): boolean {
    if (!isSymbol(this.peek(), symbol)) return false;
    this.#index++;
    return true;
  }

  /** Consumes any one token. */
  skip(): SqlLexeme | undefined {
    const token = this.peek();
    if (token !== undefined) this.#index++;
    return token;
  }

  /** A possibly qualified name (see {@link isNameToken}). */
  name(): MysqlName | undefined {
    const first = this.peek();
    if (!isNameToken(first)) return undefined;
    if (isSymbol(this.peek(1), '.') && isNameToken(this.peek(2))) {
      this.#index += 3;
      return { database: first.value, name: this.#tokens[this.#index - 1]!.value };
    }
    this.#index++;
    return { name: first.value };
  }

  /** Names separated by commas, at least one. */
  names(): MysqlName[] | undefined {
    const names: MysqlName[] = [];
    do {
      const name = this.name();
      if (name === undefined) return undefined;
      names.push(name);
    } while (this.symbol(','));
    return names;
  }

  /** IF EXISTS / IF NOT EXISTS, when present. */
  ifExists(): void {
    if (!this.keywords('IF', 'EXISTS')) this.keywords('IF', 'NOT', 'EXISTS');
  }

  /**
   * The clauses that may precede the object type: ALGORITHM = x, DEFINER = user,
   * SQL SECURITY x (views, routines, triggers, events). False when one cannot be read.
   */
  prefixes(): boolean {
    for (;;) {
      if (this.keyword('ALGORITHM')) {
        this.symbol('=');
        if (this.skip()?.kind !== 'word') return false;
      } else if (this.keyword('DEFINER')) {
        if (!this.symbol('=') || !this.#user()) return false;
      } else if (this.keywords('SQL', 'SECURITY')) {
        if (this.skip()?.kind !== 'word') return false;
      } else {
        return true;
      }
    }
  }

  /** `user`, `'user'@'host'`, user@host, CURRENT_USER[()], or a role. */
  #user(): boolean {
    const user = this.skip();
    if (user === undefined || ['symbol', 'delimiter', 'variable'].includes(user.kind)) return false;
    if (isWord(user, 'CURRENT_USER') && isSymbol(this.peek(), '(')) {
      this.skip();
      if (!this.symbol(')')) return false;
    }
    // The host: `@'host'`, `@host` and a bare `@` are each one variable token.
    if (this.peek()?.kind === 'variable') this.skip();
    return true;
  }

  /** The rest of the statement, from the current token. */
  rest(): readonly SqlLexeme[] {
    return this.#tokens.slice(this.#index);
  }
}
