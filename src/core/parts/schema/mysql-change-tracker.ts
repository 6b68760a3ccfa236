import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ChangeScope, ChangeTracker } from './change-scope.ts';
import { ownerKey } from './change-scope.ts';
import type { SchemaSnapshot } from './snapshot.ts';

/** A name as a statement writes it: `t`, or `db`.`t` with the database it is qualified with. */
export interface MysqlName {
  readonly name: string;
  /** The qualifier as written; absent for an unqualified name (the current database). */
  readonly database?: string;
}

/** An object a statement creates, alters, renames or drops. */
export interface MysqlTouchedObject {
  /** `relation` stands for tables, views and sequences, which share one namespace. */
  readonly kind: 'relation' | 'function' | 'procedure' | 'event' | 'trigger';
  readonly name: MysqlName;
  /**
   * The table a created trigger belongs to. A dropped trigger names only itself: its table
   * is found in the snapshot from before the step.
   */
  readonly table?: MysqlName;
}

/** What a statement, or a whole text of statements, may change in the schema. */
export type MysqlStatementEffect =
  | { readonly change: 'none' }
  | { readonly change: 'objects'; readonly objects: readonly MysqlTouchedObject[] }
  | { readonly change: 'unknown'; readonly reason: string };

/** One statement of a text with what it may change. */
export interface MysqlStatementReading {
  /** The statement's text, for messages. */
  readonly sql: string;
  readonly effect: MysqlStatementEffect;
}

/**
 * Learns what a step changed from the statements it sent: MySQL and MariaDB have no DDL event
 * hook, but every statement passes Kysely's log hook (failed ones too, which matters since a
 * failed DDL may still have done part of its work). What the text cannot tell with certainty,
 * such as CALL or EXECUTE, makes the whole step `everything`.
 */
export class MysqlChangeTracker implements ChangeTracker {
  #observed: string[] = [];

  /** Nothing to install: the tracker only reads statement texts. */
  async install(_db: Kysely<any>): Promise<boolean> {
    return true;
  }

  /** Forgets the statements observed so far. */
  async start(_db: Kysely<any>): Promise<void> {
    this.#observed = [];
  }

  /** Records a statement text sent on the throwaway connection; it is read in {@link changes}. */
  observe(sql: string): void {
    this.#observed.push(sql);
  }

  /** The owners the statements observed since {@link start} touched, resolved against `before`. */
  async changes(db: Kysely<any>, before: SchemaSnapshot): Promise<ChangeScope> {
    // A copy: the queries below pass the same log hook.
    const texts = [...this.#observed];
    const touched: MysqlTouchedObject[] = [];
    for (const text of texts) {
      const effect = readMysqlSql(text);
      if (effect.change === 'unknown') return { everything: true, reason: effect.reason };
      if (effect.change === 'objects') touched.push(...effect.objects);
    }
    const hasEvents =
      touched.some((object) => object.kind === 'event') ||
      Object.values(before.objects).some((object) => object.kind === 'event');
    // A running scheduler executes event bodies, which may hold any DDL, whenever they are due.
    if (hasEvents && (await eventSchedulerRuns(db))) {
      return {
        everything: true,
        reason: 'the event scheduler is on: events may change the schema at any time',
      };
    }
    if (touched.length === 0) return { everything: false, owners: new Set() };
    const qualified = touched.some(
      (object) => object.name.database !== undefined || object.table?.database !== undefined,
    );
    const database = qualified ? await currentDatabase(db) : undefined;
    return { everything: false, owners: resolveOwners(touched, before, database) };
  }
}

async function currentDatabase(db: Kysely<any>): Promise<string | undefined> {
  const result = await sql<{ name: string | null }>`select database() as name`.execute(db);
  return result.rows[0]?.name ?? undefined;
}

async function eventSchedulerRuns(db: Kysely<any>): Promise<boolean> {
  const result = await sql<{ state: unknown }>`select @@global.event_scheduler as state`.execute(db);
  return String(result.rows[0]?.state ?? '').toUpperCase() === 'ON';
}

/**
 * A name as the server may compare it: routine and event names ignore case (and accents),
 * table and trigger names do on servers with lower_case_table_names. Matching loosely only
 * re-reads an extra owner, which is harmless; missing one would hide residue.
 */
function fold(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * What resolving names needs from `before`, by folded name: the owner keys of top-level
 * objects (under `relation:posts`, `function:slugify`, ...), the tables of triggers, and the
 * owners of the foreign keys that reference a table.
 */
function indexOwners(before: SchemaSnapshot): {
  owners: Map<string, Set<string>>;
  triggerTables: Map<string, Set<string>>;
  referrers: Map<string, Set<string>>;
} {
  const owners = new Map<string, Set<string>>();
  const triggerTables = new Map<string, Set<string>>();
  const referrers = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, value: string): void => {
    let set = map.get(key);
    if (set === undefined) map.set(key, (set = new Set()));
    set.add(value);
  };
  for (const object of Object.values(before.objects)) {
    if (object.table === undefined) {
      const key = ownerKey(object);
      const kind = key.slice(0, key.indexOf(':'));
      add(owners, `${kind}:${fold(object.name)}`, key);
    }
    if (object.kind === 'trigger' && object.table !== undefined)
      add(triggerTables, fold(object.name), object.table);
    const referenced = object.attributes['referencedTable'];
    if (object.kind === 'constraint' && object.table !== undefined && typeof referenced === 'string')
      add(referrers, fold(referenced), ownerKey(object));
  }
  return { owners, triggerTables, referrers };
}

function resolveOwners(
  touched: readonly MysqlTouchedObject[],
  before: SchemaSnapshot,
  database: string | undefined,
): ReadonlySet<string> {
  const index = indexOwners(before);
  const owners = new Set<string>();
  const relations = new Set<string>();
  /** Triggers created by the step, so that dropping one later in the step finds its table. */
  const created = new Map<string, MysqlName>();
  // Another database is outside the snapshot; the current one may be spelled in another case.
  const inScope = (name: MysqlName): boolean =>
    name.database === undefined || (database !== undefined && fold(name.database) === fold(database));
  const addOwner = (kind: string, name: string): void => {
    owners.add(`${kind}:${name}`);
    for (const key of index.owners.get(`${kind}:${fold(name)}`) ?? []) owners.add(key);
  };
  const addRelation = (name: MysqlName): void => {
    if (!inScope(name)) return;
    addOwner('relation', name.name);
    // With lower_case_table_names the server stores what `Posts` names as `posts`.
    owners.add(`relation:${name.name.toLowerCase()}`);
    relations.add(fold(name.name));
  };
  for (const object of touched) {
    if (!inScope(object.name)) continue;
    if (object.kind === 'relation') addRelation(object.name);
    else if (object.kind !== 'trigger') addOwner(object.kind, object.name.name);
    else if (object.table !== undefined) {
      addRelation(object.table);
      created.set(fold(object.name.name), object.table);
    } else {
      const table = created.get(fold(object.name.name));
      if (table !== undefined) addRelation(table);
      for (const name of index.triggerTables.get(fold(object.name.name)) ?? []) addRelation({ name });
    }
  }
  // Renaming a table or its columns rewrites the foreign keys that reference it, which
  // belong to the referencing tables.
  for (const relation of relations) for (const key of index.referrers.get(relation) ?? []) owners.add(key);
  return owners;
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
  const lexed = tokenize(text, escapes);
  const readings: MysqlStatementReading[] = [];
  const tokens = lexed.tokens;
  let index = 0;
  while (index < tokens.length) {
    if (isSymbol(tokens[index], ';')) {
      index++;
      continue;
    }
    const end = statementEnd(tokens, index);
    const statementTokens = tokens.slice(index, end.index);
    const last = statementTokens[statementTokens.length - 1]!;
    const sqlText = text.slice(tokens[index]!.start, last.end);
    // Without escapes a broken string means a syntax error: the server runs nothing from there on.
    if (lexed.error !== undefined && !escapes && end.index >= tokens.length) break;
    readings.push({
      sql: sqlText,
      effect: end.error === undefined ? readStatement(statementTokens) : unknown(end.error),
    });
    if (end.error !== undefined) break;
    index = end.index + 1;
  }
  if (lexed.error !== undefined && escapes) {
    const start = tokens.length === 0 ? 0 : tokens[tokens.length - 1]!.start;
    readings.push({ sql: text.slice(start), effect: unknown(lexed.error) });
  }
  return readings;
}

function unknown(reason: string): MysqlStatementEffect {
  return { change: 'unknown', reason };
}

// ---------------------------------------------------------------------------------------
// Tokens

interface Token {
  readonly type: 'word' | 'backticked' | 'double-quoted' | 'string' | 'variable' | 'symbol';
  /** The word, the unescaped content of a quoted token, or the symbol. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORD_CHAR = /[\p{L}\p{N}_$\u0080-\uffff]/u;

/**
 * Splits a text into tokens, leaving out comments. MySQL runs the content of `/*! ... *\/`
 * and MariaDB that of `/*M! ... *\/` (when the server is recent enough, which is assumed),
 * so those are read as code; `/*+ ... *\/` optimizer hints are comments here.
 */
function tokenize(text: string, backslashEscapes: boolean): { tokens: Token[]; error?: string } {
  const tokens: Token[] = [];
  let pos = 0;
  let executable = false;
  const fail = (error: string): { tokens: Token[]; error: string } => ({ tokens, error });
  while (pos < text.length) {
    const char = text[pos]!;
    const next = text[pos + 1] ?? '';
    if (/\s/.test(char)) {
      pos++;
    } else if (char === '#' || (char === '-' && next === '-' && /^[\s\p{Cc}]?$/u.test(text[pos + 2] ?? ''))) {
      const end = text.indexOf('\n', pos);
      pos = end === -1 ? text.length : end + 1;
    } else if (char === '/' && next === '*') {
      const marker = /^\/\*M?!\d*/.exec(text.slice(pos, pos + 12));
      if (marker !== null && !executable) {
        executable = true;
        pos += marker[0].length;
      } else {
        const end = text.indexOf('*/', pos + 2);
        if (end === -1) return fail('a comment is not closed');
        pos = end + 2;
      }
    } else if (char === '*' && next === '/' && executable) {
      executable = false;
      pos += 2;
    } else if (char === "'" || char === '"' || char === '`') {
      const quoted = readQuoted(text, pos, char !== '`' && backslashEscapes);
      if (quoted === undefined) return fail(`a ${char === '`' ? 'quoted name' : 'string'} is not closed`);
      const type = char === "'" ? 'string' : char === '"' ? 'double-quoted' : 'backticked';
      tokens.push({ type, text: quoted.value, start: pos, end: quoted.end });
      pos = quoted.end;
    } else if (char === '@') {
      // User variables and the host part of `user`@`host`: one token either way.
      let end = pos + (next === '@' ? 2 : 1);
      const quote = text[end];
      if (quote === "'" || quote === '"' || quote === '`') {
        const quoted = readQuoted(text, end, quote !== '`' && backslashEscapes);
        if (quoted === undefined) return fail('a quoted name is not closed');
        end = quoted.end;
      } else {
        while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
      }
      tokens.push({ type: 'variable', text: text.slice(pos, end), start: pos, end });
      pos = end;
    } else if (WORD_CHAR.test(char)) {
      let end = pos + 1;
      while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
      tokens.push({ type: 'word', text: text.slice(pos, end), start: pos, end });
      pos = end;
    } else if (char === ':' && next === '=') {
      tokens.push({ type: 'symbol', text: ':=', start: pos, end: pos + 2 });
      pos += 2;
    } else {
      tokens.push({ type: 'symbol', text: char, start: pos, end: pos + 1 });
      pos++;
    }
  }
  return { tokens };
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

function isSymbol(token: Token | undefined, symbol: string): boolean {
  return token?.type === 'symbol' && token.text === symbol;
}

function isWord(token: Token | undefined, ...words: readonly string[]): boolean {
  return token?.type === 'word' && words.includes(token.text.toUpperCase());
}

// ---------------------------------------------------------------------------------------
// Statement boundaries

/**
 * Where the statement starting at `start` ends: at the next `;`, except in the body of a
 * stored program, whose `;` separate the statements of the body. The body's blocks are
 * counted to find its end; when the count does not come out even, the end is unknown.
 */
function statementEnd(tokens: readonly Token[], start: number): { index: number; error?: string } {
  if (!startsStoredProgram(tokens, start)) {
    let index = start;
    while (index < tokens.length && !isSymbol(tokens[index], ';')) index++;
    return { index };
  }
  let depth = 0;
  for (let index = start; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (depth === 0 && isSymbol(token, ';')) return { index };
    if (token.type !== 'word') continue;
    const word = token.text.toUpperCase();
    if (word === 'END') {
      depth--;
      if (depth < 0) return { index: tokens.length, error: 'cannot tell where the body of the program ends' };
      // END IF, END LOOP, ...: the keyword closes, it opens nothing.
      if (isWord(tokens[index + 1], ...BLOCK_ENDINGS)) index++;
    } else if (ALWAYS_OPENS.has(word)) {
      depth++;
    } else if (OPENS_AS_STATEMENT.has(word) && startsBodyStatement(tokens, index)) {
      depth++;
    }
  }
  if (depth !== 0) return { index: tokens.length, error: 'cannot tell where the body of the program ends' };
  return { index: tokens.length };
}

/** Keywords that open a block wherever they stand (CASE also as an expression, closed by END). */
const ALWAYS_OPENS: ReadonlySet<string> = new Set(['BEGIN', 'CASE', 'LOOP', 'WHILE']);
/** Keywords that open a block only as a statement: IF(), REPEAT() and FOR UPDATE are no blocks. */
const OPENS_AS_STATEMENT: ReadonlySet<string> = new Set(['IF', 'REPEAT', 'FOR']);
const BLOCK_ENDINGS = ['IF', 'CASE', 'LOOP', 'WHILE', 'REPEAT', 'FOR'] as const;
/** Words after which a statement of a body starts. */
const BEFORE_BODY_STATEMENT: ReadonlySet<string> = new Set([
  'BEGIN',
  'THEN',
  'ELSE',
  'DO',
  'LOOP',
  'REPEAT',
  // CREATE TRIGGER ... FOR EACH ROW <body>
  'ROW',
]);

function startsBodyStatement(tokens: readonly Token[], index: number): boolean {
  const previous = tokens[index - 1];
  if (previous === undefined) return true;
  if (isSymbol(previous, ';') || isSymbol(previous, ':')) return true;
  if (previous.type === 'word' && BEFORE_BODY_STATEMENT.has(previous.text.toUpperCase())) return true;
  // CREATE TRIGGER ... FOR EACH ROW FOLLOWS other_trigger <body>
  return isWord(tokens[index - 2], 'FOLLOWS', 'PRECEDES');
}

/** Whether the statement is CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT or ALTER EVENT: a body may follow. */
function startsStoredProgram(tokens: readonly Token[], start: number): boolean {
  const cursor = new Cursor(tokens.slice(start, start + 40));
  if (cursor.keyword('CREATE')) {
    cursor.keywords('OR', 'REPLACE');
    if (!cursor.prefixes()) return false;
    cursor.keyword('AGGREGATE');
    return cursor.keyword('PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT', 'PACKAGE') !== undefined;
  }
  if (cursor.keyword('ALTER')) return cursor.prefixes() && cursor.keyword('EVENT') !== undefined;
  return false;
}

// ---------------------------------------------------------------------------------------
// Statements

/** Reads tokens one by one; every method consumes only on a match. */
class Cursor {
  readonly #tokens: readonly Token[];
  #index = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  get done(): boolean {
    return this.#index >= this.#tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.#tokens[this.#index + offset];
  }

  /** Consumes the next token when it is one of `words`, returning it in upper case. */
  keyword(...words: readonly string[]): string | undefined {
    const token = this.peek();
    if (!isWord(token, ...words)) return undefined;
    this.#index++;
    return token!.text.toUpperCase();
  }

  /** Consumes `words` when the next tokens are exactly these. */
  keywords(...words: readonly string[]): boolean {
    if (!words.every((word, offset) => isWord(this.peek(offset), word))) return false;
    this.#index += words.length;
    return true;
  }

  symbol(symbol: string): boolean {
    if (!isSymbol(this.peek(), symbol)) return false;
    this.#index++;
    return true;
  }

  /** Consumes any one token. */
  skip(): Token | undefined {
    const token = this.peek();
    if (token !== undefined) this.#index++;
    return token;
  }

  /**
   * A possibly qualified name: bare, `backticked`, or "double-quoted" (a name under
   * ANSI_QUOTES; as a string there it would be a syntax error, so reading it as a name is safe).
   */
  name(): MysqlName | undefined {
    const first = this.peek();
    if (!isNameToken(first)) return undefined;
    if (isSymbol(this.peek(1), '.') && isNameToken(this.peek(2))) {
      this.#index += 3;
      return { database: first!.text, name: this.#tokens[this.#index - 1]!.text };
    }
    this.#index++;
    return { name: first!.text };
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
        if (this.skip()?.type !== 'word') return false;
      } else if (this.keyword('DEFINER')) {
        if (!this.symbol('=') || !this.#user()) return false;
      } else if (this.keywords('SQL', 'SECURITY')) {
        if (this.skip()?.type !== 'word') return false;
      } else {
        return true;
      }
    }
  }

  /** `user`, `'user'@'host'`, user@host, CURRENT_USER[()], or a role. */
  #user(): boolean {
    const user = this.skip();
    if (user === undefined || user.type === 'symbol' || user.type === 'variable') return false;
    if (isWord(user, 'CURRENT_USER') && isSymbol(this.peek(), '(')) {
      this.skip();
      if (!this.symbol(')')) return false;
    }
    if (this.peek()?.type === 'variable' && this.peek()!.text.startsWith('@')) this.skip();
    else if (this.symbol('@') && this.skip() === undefined) return false;
    return true;
  }

  /** The rest of the statement, from the current token. */
  rest(): readonly Token[] {
    return this.#tokens.slice(this.#index);
  }
}

function isNameToken(token: Token | undefined): boolean {
  return token?.type === 'word' || token?.type === 'backticked' || token?.type === 'double-quoted';
}

/** Statements that change no schema object. */
const DATA_STATEMENTS: ReadonlySet<string> = new Set([
  'SELECT',
  'WITH',
  'VALUES',
  'TABLE',
  'INSERT',
  'UPDATE',
  'DELETE',
  'REPLACE',
  'LOAD',
  'DO',
  'TRUNCATE',
]);

/**
 * Statements about sessions, transactions and plans. SELECT and DO may call stored
 * functions and DML fires triggers, but MySQL forbids DDL in both (they may create only
 * TEMPORARY tables, which are no part of a snapshot).
 */
const QUIET_STATEMENTS: ReadonlySet<string> = new Set([
  'LOCK',
  'UNLOCK',
  'START',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'SHOW',
  'EXPLAIN',
  'DESCRIBE',
  'DESC',
  'ANALYZE',
  'CHECK',
  'CHECKSUM',
  'DEALLOCATE',
  'HELP',
]);

/** Why statements that may run arbitrary code make the whole step unknown. */
const RUNS_CODE: Readonly<Record<string, string>> = {
  CALL: 'a procedure may change any object',
  EXECUTE: 'a prepared statement may change any object',
  PREPARE: 'a prepared statement may change any object',
  USE: 'it switches the current database',
};

function readStatement(tokens: readonly Token[]): MysqlStatementEffect {
  const cursor = new Cursor(tokens);
  const first = cursor.peek();
  if (isSymbol(first, '(')) return { change: 'none' };
  if (first?.type !== 'word') return unknown('not a statement the tracker knows');
  const keyword = first.text.toUpperCase();
  if (DATA_STATEMENTS.has(keyword)) return dataStatement(tokens);
  if (QUIET_STATEMENTS.has(keyword)) return { change: 'none' };
  cursor.skip();
  switch (keyword) {
    case 'SET':
      return setStatement(cursor);
    case 'BEGIN':
      // BEGIN [WORK] starts a transaction; MariaDB's BEGIN NOT ATOMIC runs a compound statement.
      return cursor.done || (cursor.keyword('WORK') && cursor.done)
        ? { change: 'none' }
        : unknown('a compound statement may change any object');
    case 'CREATE':
      return createStatement(cursor);
    case 'ALTER':
      return alterStatement(cursor);
    case 'DROP':
      return dropStatement(cursor);
    case 'RENAME':
      return renameStatement(cursor);
    case 'OPTIMIZE':
    case 'REPAIR':
      // They rebuild tables; listing the tables keeps the read exact at no cost.
      cursor.keyword('NO_WRITE_TO_BINLOG', 'LOCAL');
      return cursor.keyword('TABLE', 'TABLES')
        ? relations(cursor.names())
        : unknown('cannot read the tables');
    default:
      return unknown(RUNS_CODE[keyword] ?? `${keyword} is not a statement the tracker knows`);
  }
}

/** Data changes; writing to the `mysql` system database (e.g. mysql.proc) would change routines. */
function dataStatement(tokens: readonly Token[]): MysqlStatementEffect {
  if (isWord(tokens[0], 'SELECT', 'WITH', 'VALUES', 'TABLE', 'DO')) return { change: 'none' };
  for (let index = 0; index + 1 < tokens.length; index++) {
    const token = tokens[index]!;
    if (isNameToken(token) && token.text.toLowerCase() === 'mysql' && isSymbol(tokens[index + 1], '.'))
      return unknown('it writes to the mysql system database');
  }
  return { change: 'none' };
}

/** SET changes session state, except MariaDB's SET STATEMENT ... FOR <statement>, which runs one. */
function setStatement(cursor: Cursor): MysqlStatementEffect {
  if (!cursor.keyword('STATEMENT')) return { change: 'none' };
  const rest = cursor.rest();
  let depth = 0;
  for (let index = 0; index < rest.length; index++) {
    const token = rest[index]!;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    else if (depth === 0 && isWord(token, 'FOR')) return readStatement(rest.slice(index + 1));
  }
  return unknown('cannot find the statement SET STATEMENT runs');
}

function relations(names: readonly MysqlName[] | undefined): MysqlStatementEffect {
  if (names === undefined) return unknown('cannot read the name');
  return { change: 'objects', objects: names.map((name) => ({ kind: 'relation', name })) };
}

function routine(
  kind: 'function' | 'procedure' | 'event',
  name: MysqlName | undefined,
): MysqlStatementEffect {
  if (name === undefined) return unknown('cannot read the name');
  return { change: 'objects', objects: [{ kind, name }] };
}

function createStatement(cursor: Cursor): MysqlStatementEffect {
  cursor.keywords('OR', 'REPLACE');
  cursor.keyword('ONLINE', 'OFFLINE');
  cursor.keyword('TEMPORARY');
  if (!cursor.prefixes()) return unknown('cannot read the clauses before the object type');
  cursor.keyword('UNIQUE', 'FULLTEXT', 'SPATIAL');
  cursor.keyword('AGGREGATE');
  const type = cursor.keyword(
    'TABLE',
    'SEQUENCE',
    'VIEW',
    'INDEX',
    'TRIGGER',
    'PROCEDURE',
    'FUNCTION',
    'EVENT',
  );
  if (type === undefined) return unknown('not an object type the tracker knows');
  cursor.ifExists();
  const name = cursor.name();
  switch (type) {
    case 'TABLE':
    case 'SEQUENCE':
    case 'VIEW':
      return relations(name === undefined ? undefined : [name]);
    case 'INDEX':
      return name === undefined ? unknown('cannot read the name') : relations(tableAfterOn(cursor));
    case 'TRIGGER': {
      const table = tableAfterOn(cursor)?.[0];
      if (name === undefined || table === undefined) return unknown('cannot read the trigger or its table');
      return { change: 'objects', objects: [{ kind: 'trigger', name, table }] };
    }
    case 'PROCEDURE':
      return routine('procedure', name);
    case 'FUNCTION':
      return routine('function', name);
    default:
      return routine('event', name);
  }
}

/** The table after the first ON of `... ON t` (CREATE INDEX i [USING x] ON t, CREATE TRIGGER). */
function tableAfterOn(cursor: Cursor): MysqlName[] | undefined {
  // Index type and trigger timing/events come first: a few words, never a parenthesis.
  for (let offset = 0; offset < 8; offset++) {
    const token = cursor.peek(offset);
    if (token === undefined || token.type !== 'word') return undefined;
    if (isWord(token, 'ON')) {
      for (let skipped = 0; skipped <= offset; skipped++) cursor.skip();
      const table = cursor.name();
      return table === undefined ? undefined : [table];
    }
  }
  return undefined;
}

function alterStatement(cursor: Cursor): MysqlStatementEffect {
  while (cursor.keyword('ONLINE', 'OFFLINE', 'IGNORE') !== undefined);
  if (!cursor.prefixes()) return unknown('cannot read the clauses before the object type');
  const type = cursor.keyword('TABLE', 'SEQUENCE', 'VIEW', 'PROCEDURE', 'FUNCTION', 'EVENT');
  if (type === undefined) return unknown('not an object type the tracker knows');
  cursor.ifExists();
  const name = cursor.name();
  if (name === undefined) return unknown('cannot read the name');
  switch (type) {
    case 'TABLE':
      return relations([name, ...tablesNamedInAlter(cursor.rest())]);
    case 'SEQUENCE':
    case 'VIEW':
      return relations([name]);
    case 'PROCEDURE':
      return routine('procedure', name);
    case 'FUNCTION':
      return routine('function', name);
    default: {
      const renamed = renamedTo(cursor.rest());
      const objects: MysqlTouchedObject[] = [name, ...renamed].map((event) => ({
        kind: 'event',
        name: event,
      }));
      return { change: 'objects', objects };
    }
  }
}

/**
 * The other tables an ALTER TABLE names: the new name of RENAME [TO|AS] (not RENAME COLUMN,
 * INDEX or KEY), and any `TABLE x` of partition moves (EXCHANGE PARTITION p WITH TABLE x,
 * CONVERT PARTITION p TO TABLE x, CONVERT TABLE x TO PARTITION p).
 */
function tablesNamedInAlter(tokens: readonly Token[]): MysqlName[] {
  const names: MysqlName[] = [];
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    if (depth !== 0 || token.type !== 'word') continue;
    const cursor = new Cursor(tokens.slice(index + 1));
    if (isWord(token, 'RENAME')) {
      if (cursor.keyword('COLUMN', 'INDEX', 'KEY', 'CONSTRAINT')) continue;
      cursor.keyword('TO', 'AS');
    } else if (!isWord(token, 'TABLE')) {
      continue;
    }
    const name = cursor.name();
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** The new name of ALTER EVENT ... RENAME TO e. */
function renamedTo(tokens: readonly Token[]): MysqlName[] {
  for (let index = 0; index < tokens.length; index++) {
    if (!isWord(tokens[index], 'RENAME') || !isWord(tokens[index + 1], 'TO')) continue;
    const name = new Cursor(tokens.slice(index + 2)).name();
    return name === undefined ? [] : [name];
  }
  return [];
}

function dropStatement(cursor: Cursor): MysqlStatementEffect {
  cursor.keyword('TEMPORARY');
  const type = cursor.keyword(
    'TABLE',
    'TABLES',
    'SEQUENCE',
    'VIEW',
    'INDEX',
    'TRIGGER',
    'PROCEDURE',
    'FUNCTION',
    'EVENT',
  );
  if (type === undefined) return unknown('not an object type the tracker knows');
  cursor.keyword('ONLINE', 'OFFLINE');
  cursor.ifExists();
  switch (type) {
    case 'TABLE':
    case 'TABLES':
    case 'SEQUENCE':
    case 'VIEW':
      return relations(cursor.names());
    case 'INDEX': {
      const table = cursor.name() !== undefined && cursor.keyword('ON') ? cursor.name() : undefined;
      return table === undefined ? unknown('cannot read the index or its table') : relations([table]);
    }
    case 'TRIGGER': {
      const name = cursor.name();
      return name === undefined
        ? unknown('cannot read the name')
        : { change: 'objects', objects: [{ kind: 'trigger', name }] };
    }
    case 'PROCEDURE':
      return routine('procedure', cursor.name());
    case 'FUNCTION':
      return routine('function', cursor.name());
    default:
      return routine('event', cursor.name());
  }
}

/** RENAME TABLE[S] [IF EXISTS] a [WAIT n | NOWAIT] TO b [, c TO d ...]. */
function renameStatement(cursor: Cursor): MysqlStatementEffect {
  if (!cursor.keyword('TABLE', 'TABLES')) return unknown('not an object type the tracker knows');
  cursor.ifExists();
  const names: MysqlName[] = [];
  do {
    const from = cursor.name();
    if (cursor.keyword('WAIT')) cursor.skip();
    else cursor.keyword('NOWAIT');
    if (from === undefined || !cursor.keyword('TO')) return unknown('cannot read the tables');
    const to = cursor.name();
    if (to === undefined) return unknown('cannot read the tables');
    names.push(from, to);
  } while (cursor.symbol(','));
  return relations(names);
}
