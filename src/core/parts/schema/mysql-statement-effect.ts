import type { SqlLexeme } from '../sql/sql-lexer.ts';
import { isNameToken, isSymbol, isWord, MysqlTokenCursor } from './mysql-token-cursor.ts';
import type { MysqlName, MysqlStatementEffect, MysqlTouchedObject } from './mysql-touched-object.ts';
import { unknownEffect } from './mysql-touched-object.ts';

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

/** What one statement (its tokens, without the delimiter) may change in the schema. */
export function mysqlStatementEffect(tokens: readonly SqlLexeme[]): MysqlStatementEffect {
  const cursor = new MysqlTokenCursor(tokens);
  const first = cursor.peek();
  if (isSymbol(first, '(')) return { change: 'none' };
  if (first?.kind !== 'word') return unknownEffect('not a statement the tracker knows');
  const keyword = first.value.toUpperCase();
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
        : unknownEffect('a compound statement may change any object');
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
        : unknownEffect('cannot read the tables');
    default:
      return unknownEffect(RUNS_CODE[keyword] ?? `${keyword} is not a statement the tracker knows`);
  }
}

/** Data changes; writing to the `mysql` system database (e.g. mysql.proc) would change routines. */
function dataStatement(tokens: readonly SqlLexeme[]): MysqlStatementEffect {
  if (isWord(tokens[0], 'SELECT', 'WITH', 'VALUES', 'TABLE', 'DO')) return { change: 'none' };
  for (let index = 0; index + 1 < tokens.length; index++) {
    const token = tokens[index]!;
    if (isNameToken(token) && token.value.toLowerCase() === 'mysql' && isSymbol(tokens[index + 1], '.'))
      return unknownEffect('it writes to the mysql system database');
  }
  return { change: 'none' };
}

/** SET changes session state, except MariaDB's SET STATEMENT ... FOR <statement>, which runs one. */
function setStatement(cursor: MysqlTokenCursor): MysqlStatementEffect {
  if (!cursor.keyword('STATEMENT')) return { change: 'none' };
  const rest = cursor.rest();
  let depth = 0;
  for (let index = 0; index < rest.length; index++) {
    const token = rest[index]!;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    else if (depth === 0 && isWord(token, 'FOR')) return mysqlStatementEffect(rest.slice(index + 1));
  }
  return unknownEffect('cannot find the statement SET STATEMENT runs');
}

function relations(names: readonly MysqlName[] | undefined): MysqlStatementEffect {
  if (names === undefined) return unknownEffect('cannot read the name');
  return { change: 'objects', objects: names.map((name) => ({ kind: 'relation', name })) };
}

function routine(
  kind: 'function' | 'procedure' | 'event',
  name: MysqlName | undefined,
): MysqlStatementEffect {
  if (name === undefined) return unknownEffect('cannot read the name');
  return { change: 'objects', objects: [{ kind, name }] };
}

/** The object types CREATE and DROP know (DROP also takes TABLES). */
const OBJECT_TYPES = [
  'TABLE',
  'SEQUENCE',
  'VIEW',
  'INDEX',
  'TRIGGER',
  'PROCEDURE',
  'FUNCTION',
  'EVENT',
] as const;

function createStatement(cursor: MysqlTokenCursor): MysqlStatementEffect {
  cursor.keywords('OR', 'REPLACE');
  cursor.keyword('ONLINE', 'OFFLINE');
  cursor.keyword('TEMPORARY');
  if (!cursor.prefixes()) return unknownEffect('cannot read the clauses before the object type');
  cursor.keyword('UNIQUE', 'FULLTEXT', 'SPATIAL');
  cursor.keyword('AGGREGATE');
  const type = cursor.keyword(...OBJECT_TYPES);
  if (type === undefined) return unknownEffect('not an object type the tracker knows');
  cursor.ifExists();
  const name = cursor.name();
  switch (type) {
    case 'TABLE':
    case 'SEQUENCE':
    case 'VIEW':
      return relations(name === undefined ? undefined : [name]);
    case 'INDEX':
      return name === undefined ? unknownEffect('cannot read the name') : relations(tableAfterOn(cursor));
    case 'TRIGGER': {
      const table = tableAfterOn(cursor)?.[0];
      if (name === undefined || table === undefined)
        return unknownEffect('cannot read the trigger or its table');
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
function tableAfterOn(cursor: MysqlTokenCursor): MysqlName[] | undefined {
  // Index type and trigger timing/events come first: a few words, never a parenthesis.
  for (let offset = 0; offset < 8; offset++) {
    const token = cursor.peek(offset);
    if (token === undefined || token.kind !== 'word') return undefined;
    if (isWord(token, 'ON')) {
      for (let skipped = 0; skipped <= offset; skipped++) cursor.skip();
      const table = cursor.name();
      return table === undefined ? undefined : [table];
    }
  }
  return undefined;
}

function alterStatement(cursor: MysqlTokenCursor): MysqlStatementEffect {
  while (cursor.keyword('ONLINE', 'OFFLINE', 'IGNORE') !== undefined);
  if (!cursor.prefixes()) return unknownEffect('cannot read the clauses before the object type');
  const type = cursor.keyword('TABLE', 'SEQUENCE', 'VIEW', 'PROCEDURE', 'FUNCTION', 'EVENT');
  if (type === undefined) return unknownEffect('not an object type the tracker knows');
  cursor.ifExists();
  const name = cursor.name();
  if (name === undefined) return unknownEffect('cannot read the name');
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
function tablesNamedInAlter(tokens: readonly SqlLexeme[]): MysqlName[] {
  const names: MysqlName[] = [];
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (isSymbol(token, '(')) depth++;
    else if (isSymbol(token, ')')) depth--;
    if (depth !== 0 || token.kind !== 'word') continue;
    const cursor = new MysqlTokenCursor(tokens.slice(index + 1));
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
function renamedTo(tokens: readonly SqlLexeme[]): MysqlName[] {
  for (let index = 0; index < tokens.length; index++) {
    if (!isWord(tokens[index], 'RENAME') || !isWord(tokens[index + 1], 'TO')) continue;
    const name = new MysqlTokenCursor(tokens.slice(index + 2)).name();
    return name === undefined ? [] : [name];
  }
  return [];
}

function dropStatement(cursor: MysqlTokenCursor): MysqlStatementEffect {
  cursor.keyword('TEMPORARY');
  const type = cursor.keyword('TABLES', ...OBJECT_TYPES);
  if (type === undefined) return unknownEffect('not an object type the tracker knows');
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
      return table === undefined ? unknownEffect('cannot read the index or its table') : relations([table]);
    }
    case 'TRIGGER': {
      const name = cursor.name();
      return name === undefined
        ? unknownEffect('cannot read the name')
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
function renameStatement(cursor: MysqlTokenCursor): MysqlStatementEffect {
  if (!cursor.keyword('TABLE', 'TABLES')) return unknownEffect('not an object type the tracker knows');
  cursor.ifExists();
  const names: MysqlName[] = [];
  do {
    const from = cursor.name();
    if (cursor.keyword('WAIT')) cursor.skip();
    else cursor.keyword('NOWAIT');
    if (from === undefined || !cursor.keyword('TO')) return unknownEffect('cannot read the tables');
    const to = cursor.name();
    if (to === undefined) return unknownEffect('cannot read the tables');
    names.push(from, to);
  } while (cursor.symbol(','));
  return relations(names);
}
