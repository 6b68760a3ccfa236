import type { SchemaObject } from '../../schema/snapshot.ts';
import type { Finding, RiskInput } from './rule.ts';
import {
  altersTable,
  blame,
  changedAttribute,
  columnOf,
  newObjects,
  startsWithAndMentions,
} from './schema-changes.ts';

/**
 * The type advice rules' common part: the columns the up added (to any table) or gave a new
 * type, with their type as the throwaway database's catalog shows it after the up, so a type
 * spelled any way (`int4`, `INTEGER`, a domain's base aside) is judged as the server stored it.
 */
export interface TypedColumn {
  readonly object: SchemaObject;
  readonly table: string;
  readonly column: string;
  readonly type: string;
}

/** Columns added or retyped by the up whose type passes `test` (lower case). */
export function columnsTyped(input: RiskInput, test: (type: string) => boolean): TypedColumn[] {
  const retyped = changedAttribute(input, 'column', 'type').map(({ after }) => after);
  return [...newObjects(input, 'column'), ...retyped].flatMap((object) => {
    const type = String(object.attributes['type'] ?? '').toLowerCase();
    return test(type) ? [{ object, table: object.table!, column: columnOf(object), type }] : [];
  });
}

/** A finding of type advice: the column, its type, blamed on the statement that made it. */
export function typeFinding(input: RiskInput, column: TypedColumn, advice: string): Finding {
  return {
    what: `column ${column.table}.${column.column} is ${column.type}: ${advice}`,
    statement:
      blame(input, altersTable(input, column.table, [column.column])) ??
      blame(input, startsWithAndMentions(['create', 'table'], [column.table])),
    evidence: [`the catalog shows column ${column.table}.${column.column} as ${column.type} after the up`],
  };
}
