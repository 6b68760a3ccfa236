import type { AttributeChange, SchemaChange } from '../../schema/diff.ts';
import type { AttributeValue, SchemaObject, SchemaObjectKind } from '../../schema/snapshot.ts';
import { objectKey } from '../../schema/snapshot.ts';
import type { ReadStatement, RiskInput } from './rule.ts';
import { readTableStatement } from '../table-statement.ts';
import type { TableStatement } from '../table-statement.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword, mentions } from '../statement-text.ts';

/**
 * Whether a table existed before the migration: only then is it "existing" for the rules
 * (an index on a table created by the same migration blocks nobody).
 */
export function existedBefore(input: RiskInput, table: string): boolean {
  return input.before.objects[objectKey({ kind: 'table', name: table })] !== undefined;
}

/** Objects of a kind the up added. */
export function addedObjects(input: RiskInput, kind: SchemaObjectKind): SchemaObject[] {
  return objectsOf(input, 'added', kind);
}

/**
 * Objects of a kind that are new after the up, those of tables it created too (the diff
 * reports a new table, not its columns and constraints one by one).
 */
export function newObjects(input: RiskInput, kind: SchemaObjectKind): SchemaObject[] {
  const newTables = new Set(addedObjects(input, 'table').map((table) => table.name));
  const ofNewTables = Object.values(input.after.objects).filter(
    (object) => object.kind === kind && object.table !== undefined && newTables.has(object.table),
  );
  return [...addedObjects(input, kind), ...ofNewTables];
}

/** Objects of a kind the up removed. */
export function removedObjects(input: RiskInput, kind: SchemaObjectKind): SchemaObject[] {
  return objectsOf(input, 'removed', kind);
}

function objectsOf(input: RiskInput, type: 'added' | 'removed', kind: SchemaObjectKind): SchemaObject[] {
  return input.diff.changes.flatMap((change) =>
    change.type === type && change.object.kind === kind ? [change.object] : [],
  );
}

/** An object the up changed, with the attribute asked for. */
export interface ChangedAttribute {
  readonly before: SchemaObject;
  readonly after: SchemaObject;
  readonly change: AttributeChange;
}

/** Objects of a kind whose `attribute` the up changed. */
export function changedAttribute(
  input: RiskInput,
  kind: SchemaObjectKind,
  attribute: string,
): ChangedAttribute[] {
  return input.diff.changes.flatMap((change: SchemaChange) => {
    if (change.type !== 'changed' || change.before.kind !== kind) return [];
    const found = change.attributes.find((candidate) => candidate.attribute === attribute);
    return found === undefined ? [] : [{ before: change.before, after: change.after, change: found }];
  });
}

/** A column's own name: `email` for `users.email`. */
export function columnOf(column: SchemaObject): string {
  return column.table === undefined ? column.name : column.name.slice(column.table.length + 1);
}

/** An attribute value as SQL shows it. */
export function shown(value: AttributeValue | undefined): string {
  return value === null || value === undefined ? 'none' : String(value);
}

/** The first statement that passes `test`: what a risk is blamed on. */
export function blame(input: RiskInput, test: (statement: ReadStatement) => boolean): number | undefined {
  return input.statements.find(test)?.index;
}

/** A statement that changes `table` in place, when it is one (see table-statement.ts). */
export function tableStatementOf(input: RiskInput, statement: ReadStatement): TableStatement | undefined {
  return readTableStatement(statement.tokens, input.dialect);
}

/** A test for {@link blame}: an ALTER TABLE of `table` mentioning every name and one of the keywords. */
export function altersTable(
  input: RiskInput,
  table: string,
  names: readonly string[],
  keywords: readonly string[] = [],
): (statement: ReadStatement) => boolean {
  return (statement) => {
    const read = tableStatementOf(input, statement);
    if (read?.kind !== 'alter-table' || read.table.toLowerCase() !== table.toLowerCase()) return false;
    if (!names.every((name) => mentions(statement.words, name))) return false;
    return keywords.length === 0 || keywords.some((keyword) => statement.words.has(keyword));
  };
}

/** A test for {@link blame}: a statement starting with these keywords and mentioning every name. */
export function startsWithAndMentions(
  keywords: readonly string[],
  names: readonly string[],
): (statement: ReadStatement) => boolean {
  return (statement) =>
    keywords.every((keyword, index) => statement.tokens[index]?.text === keyword) &&
    names.every((name) => mentions(statement.words, name));
}

/** The first action of an ALTER TABLE of `table` that starts with `keyword` and mentions `column`. */
export function alterAction(
  input: RiskInput,
  table: string,
  column: string,
  keyword: string,
): { statement: number; tokens: readonly SqlToken[] } | undefined {
  for (const statement of input.statements) {
    const read = tableStatementOf(input, statement);
    if (read?.kind !== 'alter-table' || read.table.toLowerCase() !== table.toLowerCase()) continue;
    const action = read.actions.find(
      (tokens) =>
        tokens[0]?.text === keyword &&
        tokens.some((token) => token.text.toLowerCase() === column.toLowerCase()),
    );
    if (action !== undefined) return { statement: statement.index, tokens: action };
  }
  return undefined;
}

/** Whether tokens say NOT NULL. */
export function saysNotNull(tokens: readonly SqlToken[]): boolean {
  return tokens.some((token, index) => isKeyword(token, 'not') && isKeyword(tokens[index + 1], 'null'));
}
