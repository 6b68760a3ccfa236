import type { SchemaObject, SchemaSnapshot } from '../../schema/snapshot.ts';
import type { DialectName } from '../../../model/dialect.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword, isName, tokenizeSql } from '../statement-text.ts';

/**
 * The columns of keys and indexes as snapshots record them: Postgres keeps each index's and
 * constraint's definition (`FOREIGN KEY (a, b) REFERENCES ...`, `CREATE INDEX ... USING btree
 * (a, b)`), MySQL a `columns` list (`a, b(20), c DESC`). An expression has no column name, so
 * a list holding one is cut there: only its plain leading columns count.
 */

/** The leading plain columns of every index (and key constraint) of `table` that covers all rows. */
export function indexedColumnLists(
  snapshot: SchemaSnapshot,
  table: string,
  dialect: DialectName,
): string[][] {
  return Object.values(snapshot.objects).flatMap((object) => {
    if (object.table !== table) return [];
    if (object.kind === 'index') {
      // A partial index serves only the rows of its predicate.
      if (object.attributes['predicate'] != null) return [];
      return [
        dialect === 'mysql'
          ? listedColumns(object, dialect)
          : definitionColumns(object, dialect, 'using', 'on'),
      ];
    }
    const type = String(object.attributes['type'] ?? '').toLowerCase();
    if (object.kind === 'constraint' && (type === 'primary key' || type === 'unique'))
      return [definitionColumns(object, dialect)];
    return [];
  });
}

/** The referencing columns of a foreign key constraint. */
export function foreignKeyColumns(constraint: SchemaObject, dialect: DialectName): string[] {
  return dialect === 'mysql' ? listedColumns(constraint, dialect) : definitionColumns(constraint, dialect);
}

/** Whether a constraint is a foreign key, in either dialect's spelling. */
export function isForeignKey(object: SchemaObject): boolean {
  return object.kind === 'constraint' && String(object.attributes['type']).toLowerCase() === 'foreign key';
}

/** Columns of `table` that are part of its primary key or of a foreign key. */
export function keyColumns(snapshot: SchemaSnapshot, table: string, dialect: DialectName): Set<string> {
  const columns = new Set<string>();
  for (const object of Object.values(snapshot.objects)) {
    if (object.table !== table) continue;
    const type = String(object.attributes['type'] ?? '').toLowerCase();
    const primary =
      (object.kind === 'constraint' && type === 'primary key') ||
      (object.kind === 'index' && object.attributes['primary'] === true);
    if (primary)
      for (const column of dialect === 'mysql'
        ? listedColumns(object, dialect)
        : definitionColumns(object, dialect))
        columns.add(column);
    if (isForeignKey(object)) for (const column of foreignKeyColumns(object, dialect)) columns.add(column);
  }
  return columns;
}

/** The plain columns of the first parenthesised list of a definition, after `after` when given. */
function definitionColumns(
  object: SchemaObject,
  dialect: DialectName,
  ...after: readonly string[]
): string[] {
  const tokens = tokenizeSql(String(object.attributes['definition'] ?? ''), dialect);
  let at = 0;
  for (const keyword of after) {
    const found = tokens.findIndex((token, index) => index >= at && isKeyword(token, keyword));
    if (found !== -1) at = found + 1;
  }
  const open = tokens.findIndex((token, index) => index >= at && token.text === '(');
  return open === -1 ? [] : leadingColumns(tokens, open + 1);
}

/** MySQL's `columns` attribute: `a, b(20), c DESC`. */
function listedColumns(object: SchemaObject, dialect: DialectName): string[] {
  return leadingColumns(tokenizeSql(String(object.attributes['columns'] ?? ''), dialect), 0);
}

/** The leading elements of a comma list that are plain columns, up to the first that is not. */
function leadingColumns(tokens: readonly SqlToken[], start: number): string[] {
  const columns: string[] = [];
  for (const element of listElements(tokens, start)) {
    const [first, second] = element;
    // `lower(email)` or `(a + b)` is an expression, not a column; MySQL's `title(20)` is a prefix of one.
    const prefix = second?.text === '(' && /^\d+$/.test(element[2]?.text ?? '');
    if (!isName(first) || (second?.text === '(' && !prefix)) break;
    columns.push(first.name);
  }
  return columns;
}

/** The elements of a comma list from `start` to its closing parenthesis (or the end). */
function listElements(tokens: readonly SqlToken[], start: number): SqlToken[][] {
  const elements: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of tokens.slice(start)) {
    if (depth === 0 && token.text === ')') break;
    if (depth === 0 && token.text === ',') {
      elements.push([]);
      continue;
    }
    if (token.text === '(') depth++;
    if (token.text === ')') depth--;
    elements.at(-1)!.push(token);
  }
  return elements.filter((element) => element.length > 0);
}
