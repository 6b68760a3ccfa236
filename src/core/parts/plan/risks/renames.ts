import { objectKey } from '../../schema/snapshot.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword, isName, readName, tableNameOf } from '../statement-text.ts';
import type { ReadStatement, RiskInput } from './rule.ts';
import { tableStatementOf } from './schema-changes.ts';

/** A table the up renamed. */
export interface TableRename {
  readonly from: string;
  readonly to: string;
  readonly statement: number;
}

/** A schema the up renamed (Postgres): its tables move with it. */
export interface SchemaRename {
  readonly from: string;
  readonly to: string;
  readonly statement: number;
}

/** A column the up renamed. */
export interface ColumnRename {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly statement: number;
}

/**
 * Table renames: a snapshot cannot tell a rename from a drop and a create, the statement can.
 * Each is confirmed by the diff (the old name gone, the new one there), so a rename that a
 * later statement undid is not one.
 */
export function tableRenames(input: RiskInput): TableRename[] {
  const found: TableRename[] = [];
  for (const statement of input.statements) {
    for (const [from, to] of renamedTables(input, statement)) {
      const gone = input.after.objects[objectKey({ kind: 'table', name: from })] === undefined;
      const there = input.after.objects[objectKey({ kind: 'table', name: to })] !== undefined;
      if (gone && there && input.before.objects[objectKey({ kind: 'table', name: from })] !== undefined)
        found.push({ from, to, statement: statement.index });
    }
  }
  return found;
}

/**
 * Schema renames (`ALTER SCHEMA a RENAME TO b`), confirmed by the diff like
 * {@link tableRenames}: the old schema gone, the new one there.
 */
export function schemaRenames(input: RiskInput): SchemaRename[] {
  return input.statements.flatMap((statement) => {
    const { tokens } = statement;
    if (!isKeyword(tokens[0], 'alter') || !isKeyword(tokens[1], 'schema')) return [];
    if (
      !isName(tokens[2]) ||
      !isKeyword(tokens[3], 'rename') ||
      !isKeyword(tokens[4], 'to') ||
      !isName(tokens[5])
    )
      return [];
    const [from, to] = [tokens[2].name, tokens[5].name];
    const key = (name: string) => objectKey({ kind: 'schema', name });
    const confirmed =
      input.before.objects[key(from)] !== undefined &&
      input.after.objects[key(from)] === undefined &&
      input.after.objects[key(to)] !== undefined;
    return confirmed ? [{ from, to, statement: statement.index }] : [];
  });
}

/** Whether a table that is gone after the up moved with its schema's rename (`a.t` is now `b.t`). */
export function movedWithSchema(input: RiskInput, table: string): boolean {
  return schemaRenames(input).some(
    ({ from, to }) =>
      table.startsWith(`${from}.`) &&
      input.after.objects[objectKey({ kind: 'table', name: `${to}${table.slice(from.length)}` })] !==
        undefined,
  );
}

/** Column renames, confirmed by the diff like {@link tableRenames}. */
export function columnRenames(input: RiskInput): ColumnRename[] {
  const found: ColumnRename[] = [];
  for (const statement of input.statements) {
    const read = tableStatementOf(input, statement);
    if (read?.kind !== 'alter-table') continue;
    for (const action of read.actions) {
      const renamed = renamedColumn(action);
      if (renamed === undefined) continue;
      const [from, to] = renamed;
      const key = (column: string) => objectKey({ kind: 'column', name: `${read.table}.${column}` });
      if (
        input.before.objects[key(from)] !== undefined &&
        input.after.objects[key(from)] === undefined &&
        input.after.objects[key(to)] !== undefined
      )
        found.push({ table: read.table, from, to, statement: statement.index });
    }
  }
  return found;
}

/** `RENAME [COLUMN] a TO b`, or MySQL's `CHANGE [COLUMN] a b <type>` with two different names. */
function renamedColumn(action: readonly SqlToken[]): [string, string] | undefined {
  let at = 0;
  if (isKeyword(action[at], 'rename')) {
    at++;
    if (isKeyword(action[at], 'to', 'as', 'constraint', 'index', 'key')) return undefined;
    if (isKeyword(action[at], 'column')) at++;
    if (isName(action[at]) && isKeyword(action[at + 1], 'to') && isName(action[at + 2]))
      return [action[at]!.name, action[at + 2]!.name];
    return undefined;
  }
  if (isKeyword(action[at], 'change')) {
    at++;
    if (isKeyword(action[at], 'column')) at++;
    if (isName(action[at]) && isName(action[at + 1]) && action[at]!.name !== action[at + 1]!.name)
      return [action[at]!.name, action[at + 1]!.name];
  }
  return undefined;
}

/**
 * `ALTER TABLE a RENAME [TO|AS] b`, Postgres's `ALTER TABLE a SET SCHEMA s`, and MySQL's
 * `RENAME TABLE a TO b[, c TO d]`.
 */
function renamedTables(input: RiskInput, statement: ReadStatement): [string, string][] {
  const tokens = statement.tokens;
  if (isKeyword(tokens[0], 'rename') && isKeyword(tokens[1], 'table')) {
    const pairs: [string, string][] = [];
    let at = 2;
    while (at < tokens.length) {
      const from = readName(tokens, at);
      if (from.parts.length === 0 || !isKeyword(tokens[from.next], 'to')) break;
      const to = readName(tokens, from.next + 1);
      pairs.push([tableNameOf(from.parts, input.dialect), tableNameOf(to.parts, input.dialect)]);
      at = to.next + 1;
    }
    return pairs;
  }
  const read = tableStatementOf(input, statement);
  if (read?.kind !== 'alter-table') return [];
  return read.actions.flatMap((action): [string, string][] => {
    // `SET SCHEMA s` moves the table: to the code that names it, a rename.
    if (isKeyword(action[0], 'set') && isKeyword(action[1], 'schema') && isName(action[2])) {
      const name = read.table.slice(read.table.lastIndexOf('.') + 1);
      return [[read.table, tableNameOf([action[2].name, name], input.dialect)]];
    }
    if (!isKeyword(action[0], 'rename')) return [];
    const at = isKeyword(action[1], 'to', 'as') ? 2 : 1;
    if (at === 1 && isKeyword(action[1], 'column', 'constraint', 'index', 'key')) return [];
    const to = readName(action, at);
    // `RENAME a TO b` is a column; `RENAME TO b` (or MySQL's `RENAME b`) the table.
    if (to.parts.length === 0 || isKeyword(action[to.next], 'to')) return [];
    // An unqualified new name stays in the table's schema.
    const schema = read.table.includes('.') ? read.table.slice(0, read.table.lastIndexOf('.')) : undefined;
    const target = to.parts.length === 1 && schema !== undefined ? `${schema}.${to.parts[0]}` : to.parts;
    return [[read.table, typeof target === 'string' ? target : tableNameOf(target, input.dialect)]];
  });
}
