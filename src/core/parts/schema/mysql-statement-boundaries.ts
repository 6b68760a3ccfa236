import type { SqlLexeme } from '../sql/sql-lexer.ts';
import { isDelimiter, isSymbol, isWord, MysqlTokenCursor } from './mysql-token-cursor.ts';

/**
 * Where the statement starting at `start` ends: at the next `;`, except in the body of a
 * stored program, whose `;` separate the statements of the body. The body's blocks are
 * counted to find its end; when the count does not come out even, the end is unknown.
 */
export function statementEnd(tokens: readonly SqlLexeme[], start: number): { index: number; error?: string } {
  if (!startsStoredProgram(tokens, start)) {
    let index = start;
    while (index < tokens.length && !isDelimiter(tokens[index])) index++;
    return { index };
  }
  let depth = 0;
  for (let index = start; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (depth === 0 && isDelimiter(token)) return { index };
    if (token.kind !== 'word') continue;
    const word = token.value.toUpperCase();
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

function startsBodyStatement(tokens: readonly SqlLexeme[], index: number): boolean {
  const previous = tokens[index - 1];
  if (previous === undefined) return true;
  if (isDelimiter(previous) || isSymbol(previous, ':')) return true;
  if (previous.kind === 'word' && BEFORE_BODY_STATEMENT.has(previous.value.toUpperCase())) return true;
  // CREATE TRIGGER ... FOR EACH ROW FOLLOWS other_trigger <body>
  return isWord(tokens[index - 2], 'FOLLOWS', 'PRECEDES');
}

/** Whether the statement is CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT or ALTER EVENT: a body may follow. */
function startsStoredProgram(tokens: readonly SqlLexeme[], start: number): boolean {
  const cursor = new MysqlTokenCursor(tokens.slice(start, start + 40));
  if (cursor.keyword('CREATE')) {
    cursor.keywords('OR', 'REPLACE');
    if (!cursor.prefixes()) return false;
    cursor.keyword('AGGREGATE');
    return cursor.keyword('PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT', 'PACKAGE') !== undefined;
  }
  if (cursor.keyword('ALTER')) return cursor.prefixes() && cursor.keyword('EVENT') !== undefined;
  return false;
}
