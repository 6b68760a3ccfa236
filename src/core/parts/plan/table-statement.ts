import type { DialectName } from '../../model/dialect.ts';
import type { SqlToken } from './statement-text.ts';
import { isKeyword, readName, tableNameOf } from './statement-text.ts';

/**
 * A statement that changes one table in place: `ALTER TABLE`, `CREATE INDEX ... ON`, or
 * MySQL's `DROP INDEX ... ON`. What the risk rules and the MySQL algorithm probe need from
 * it: which table, where its name is written, and what it does.
 */
export interface TableStatement {
  readonly kind: 'alter-table' | 'create-index' | 'drop-index';
  /** The table as snapshots spell it. */
  readonly table: string;
  /** The name's character range in the statement, to point the statement at another table. */
  readonly nameStart: number;
  readonly nameEnd: number;
  /** ALTER TABLE: its comma-separated actions, each as tokens (parentheses kept whole). */
  readonly actions: readonly (readonly SqlToken[])[];
  /** CREATE INDEX CONCURRENTLY (Postgres). */
  readonly concurrently: boolean;
}

/** Reads a statement's tokens as a {@link TableStatement}; undefined for any other statement. */
export function readTableStatement(
  tokens: readonly SqlToken[],
  dialect: DialectName,
): TableStatement | undefined {
  if (isKeyword(tokens[0], 'alter')) return readAlterTable(tokens, dialect);
  if (isKeyword(tokens[0], 'create')) return readCreateIndex(tokens, dialect);
  if (isKeyword(tokens[0], 'drop') && dialect === 'mysql') return readDropIndex(tokens, dialect);
  return undefined;
}

function readAlterTable(tokens: readonly SqlToken[], dialect: DialectName): TableStatement | undefined {
  let at = 1;
  while (isKeyword(tokens[at], 'online', 'ignore')) at++;
  if (!isKeyword(tokens[at], 'table')) return undefined;
  at++;
  if (isKeyword(tokens[at], 'if') && isKeyword(tokens[at + 1], 'exists')) at += 2;
  if (isKeyword(tokens[at], 'only')) at++;
  const name = readName(tokens, at);
  if (name.parts.length === 0) return undefined;
  let rest = name.next;
  if (tokens[rest]?.text === '*') rest++;
  return {
    kind: 'alter-table',
    table: tableNameOf(name.parts, dialect),
    nameStart: tokens[at]!.start,
    nameEnd: tokens[name.next - 1]!.end,
    actions: splitTopLevel(tokens.slice(rest)),
    concurrently: false,
  };
}

function readCreateIndex(tokens: readonly SqlToken[], dialect: DialectName): TableStatement | undefined {
  let at = 1;
  while (isKeyword(tokens[at], 'unique', 'fulltext', 'spatial', 'or', 'replace', 'online', 'offline')) at++;
  if (!isKeyword(tokens[at], 'index')) return undefined;
  const concurrently = isKeyword(tokens[at + 1], 'concurrently');
  const on = tokens.findIndex((token, index) => index > at && isKeyword(token, 'on'));
  if (on === -1) return undefined;
  let nameAt = on + 1;
  if (isKeyword(tokens[nameAt], 'only')) nameAt++;
  const name = readName(tokens, nameAt);
  if (name.parts.length === 0) return undefined;
  return {
    kind: 'create-index',
    table: tableNameOf(name.parts, dialect),
    nameStart: tokens[nameAt]!.start,
    nameEnd: tokens[name.next - 1]!.end,
    actions: [],
    concurrently,
  };
}

function readDropIndex(tokens: readonly SqlToken[], dialect: DialectName): TableStatement | undefined {
  if (!isKeyword(tokens[1], 'index')) return undefined;
  const on = tokens.findIndex((token) => isKeyword(token, 'on'));
  if (on === -1) return undefined;
  const name = readName(tokens, on + 1);
  if (name.parts.length === 0) return undefined;
  return {
    kind: 'drop-index',
    table: tableNameOf(name.parts, dialect),
    nameStart: tokens[on + 1]!.start,
    nameEnd: tokens[name.next - 1]!.end,
    actions: [],
    concurrently: false,
  };
}

/** Splits tokens at commas outside parentheses. */
function splitTopLevel(tokens: readonly SqlToken[]): SqlToken[][] {
  const parts: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.text === '(') depth++;
    if (token.kind === 'symbol' && token.text === ')') depth--;
    if (depth === 0 && token.kind === 'symbol' && (token.text === ',' || token.text === ';')) parts.push([]);
    else parts.at(-1)!.push(token);
  }
  return parts.filter((part) => part.length > 0);
}
