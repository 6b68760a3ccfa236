import { displayName } from './postgres-names.ts';
import type { PartRow } from './postgres-catalog-query.ts';
import type { Part } from './postgres-catalog-parts.ts';
import {
  columnObject,
  constraintObject,
  eventTriggerObject,
  extensionObject,
  functionObject,
  indexObject,
  relationObjects,
  schemaObject,
  triggerObject,
  typeObject,
} from './postgres-catalog-objects.ts';
import type {
  ColumnRow,
  ConstraintRow,
  EventTriggerRow,
  FunctionRow,
  IndexRow,
  Relation,
  RelationRow,
  TriggerRow,
  TypeRow,
} from './postgres-catalog-rows.ts';
import type { ReadScope } from './postgres-snapshot-scope.ts';
import { wantsObject } from './postgres-snapshot-scope.ts';
import type { SchemaObject } from './snapshot.ts';

/**
 * The objects of a take from the catalog query's rows: those of the included relations (see
 * `includedRelations`), and of a scoped take only those its scope wants.
 */
export function assemble(
  rows: readonly PartRow[],
  scope: ReadScope,
  excludeTables: readonly string[],
): SchemaObject[] {
  const byPart = new Map<Part, unknown[]>();
  for (const row of rows) {
    const list = byPart.get(row.part) ?? [];
    list.push(row.data);
    byPart.set(row.part, list);
  }
  const of = <R>(part: Part): R[] => (byPart.get(part) ?? []) as R[];
  const included = includedRelations(of<RelationRow>('relation'), excludeTables);
  const tableOf = (relation: string): string | undefined => included.get(relation)?.display;
  const objects: SchemaObject[] = [
    ...of<{ name: string; comment: string | null }>('schema').map(schemaObject),
    ...of<{ name: string; version: string; schema: string }>('extension').map(extensionObject),
    ...relationObjects(included.values()),
    ...ownedObjects(of<ColumnRow>('column'), tableOf, columnObject),
    ...ownedObjects(of<ConstraintRow>('constraint'), tableOf, constraintObject),
    ...ownedObjects(of<IndexRow>('index'), tableOf, indexObject),
    ...of<TypeRow>('type').map(typeObject),
    ...of<FunctionRow>('function').map(functionObject),
    ...ownedObjects(of<TriggerRow>('trigger'), tableOf, triggerObject),
    ...of<EventTriggerRow>('event').map(eventTriggerObject),
  ];
  // A relation read for another kind's sake (say its index), or because some relation-owned kind
  // was wanted whole, must not bring its other objects along.
  if (scope.full) return objects;
  return objects.filter((object) => wantsObject(scope, object.kind, object.table ?? object.name));
}

/**
 * The relations whose objects are recorded: not an extension's, not excluded, and for a
 * sequence not owned by a table that is left out.
 */
function includedRelations(
  relations: readonly RelationRow[],
  excludeTables: readonly string[],
): Map<string, Relation> {
  const excluded = new Set(excludeTables);
  const isExcluded = (schema: string, name: string, inExtension: boolean): boolean =>
    inExtension || excluded.has(displayName(schema, name)) || excluded.has(`${schema}.${name}`);
  const included = new Map<string, Relation>();
  for (const relation of relations) {
    if (isExcluded(relation.schema, relation.name, relation.in_extension)) continue;
    if (relation.owner_relation !== null) {
      if (relation.owner_found !== true || relation.owner_schema === null || relation.owner_name === null)
        continue;
      if (isExcluded(relation.owner_schema, relation.owner_name, relation.owner_in_extension === true))
        continue;
    }
    included.set(relation.oid, { ...relation, display: displayName(relation.schema, relation.name) });
  }
  return included;
}

/** Objects that belong to a relation, for the included relations only. */
function ownedObjects<R extends { relation: string }>(
  rows: readonly R[],
  tableOf: (relation: string) => string | undefined,
  toObject: (row: R, table: string) => SchemaObject,
): SchemaObject[] {
  const objects: SchemaObject[] = [];
  for (const row of rows) {
    const table = tableOf(row.relation);
    if (table !== undefined) objects.push(toObject(row, table));
  }
  return objects;
}
