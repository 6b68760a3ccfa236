import type { SqlToken } from '../statement-text.ts';
import { isKeyword, readName, tableNameOf } from '../statement-text.ts';
import type { ReadStatement, RiskInput } from './rule.ts';
import type { PostgresStatementTree } from '../postgres-parser.ts';
import { existedBefore } from './schema-changes.ts';

/** A statement of the up that writes rows of a table that existed before it. */
export interface RowWrite {
  readonly statement: ReadStatement;
  readonly kind: 'update' | 'delete' | 'insert' | 'merge';
  readonly table: string;
  /**
   * Whether it limits the rows it touches: a WHERE outside parentheses (a subquery's does not
   * count), or MySQL's LIMIT. An INSERT never touches existing rows, so it counts as limited.
   */
  readonly limited: boolean;
}

/**
 * The UPDATE, DELETE, INSERT and MERGE statements of the up on tables that existed before.
 * On Postgres the server's own parser reads them when it is installed (a `WITH ... DELETE`
 * is a DELETE; a WHERE is the statement's own, never a subquery's); otherwise the tokens.
 */
export function rowWrites(input: RiskInput): RowWrite[] {
  return input.statements.flatMap((statement) => {
    const write =
      statement.tree === undefined ? readRowWrite(statement.tokens, input) : treeRowWrite(statement.tree);
    return write !== undefined && existedBefore(input, write.table) ? [{ statement, ...write }] : [];
  });
}

const TREE_KINDS: Readonly<Record<string, RowWrite['kind']>> = {
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  InsertStmt: 'insert',
  MergeStmt: 'merge',
};

/** The parts of a parsed row write this reads. */
interface TreeRowWrite {
  readonly relation?: { readonly schemaname?: string; readonly relname?: string };
  readonly whereClause?: unknown;
}

function treeRowWrite(tree: PostgresStatementTree): Omit<RowWrite, 'statement'> | undefined {
  const [type, node] = Object.entries(tree)[0] ?? [];
  const kind = type === undefined ? undefined : TREE_KINDS[type];
  const { relation, whereClause } = (node ?? {}) as TreeRowWrite;
  if (kind === undefined || relation?.relname === undefined) return undefined;
  const parts =
    relation.schemaname === undefined ? [relation.relname] : [relation.schemaname, relation.relname];
  const limited = kind === 'insert' || kind === 'merge' || whereClause !== undefined;
  return { kind, table: tableNameOf(parts, 'postgres'), limited };
}

function readRowWrite(
  tokens: readonly SqlToken[],
  input: RiskInput,
): Omit<RowWrite, 'statement'> | undefined {
  let at: number;
  let kind: RowWrite['kind'];
  if (isKeyword(tokens[0], 'update')) [at, kind] = [1, 'update'];
  else if (isKeyword(tokens[0], 'delete') && isKeyword(tokens[1], 'from')) [at, kind] = [2, 'delete'];
  else if (isKeyword(tokens[0], 'insert') && isKeyword(tokens[1], 'into')) [at, kind] = [2, 'insert'];
  else if (isKeyword(tokens[0], 'merge') && isKeyword(tokens[1], 'into')) [at, kind] = [2, 'merge'];
  else return undefined;
  if (kind === 'update') while (isKeyword(tokens[at], 'low_priority', 'ignore')) at++;
  if (isKeyword(tokens[at], 'only')) at++;
  const name = readName(tokens, at);
  if (name.parts.length === 0) return undefined;
  const limited = kind === 'insert' || kind === 'merge' || topLevelKeyword(tokens, 'where', 'limit');
  return { kind, table: tableNameOf(name.parts, input.dialect), limited };
}

/** Whether one of the keywords appears outside parentheses. */
function topLevelKeyword(tokens: readonly SqlToken[], ...words: readonly string[]): boolean {
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.text === '(') depth++;
    else if (token.kind === 'symbol' && token.text === ')') depth--;
    else if (depth === 0 && isKeyword(token, ...words)) return true;
  }
  return false;
}
