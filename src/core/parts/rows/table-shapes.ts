import type { SchemaObject, SchemaSnapshot } from '../schema/snapshot.ts';

/** A column as the row generator sees it. */
export interface ColumnShape {
  readonly name: string;
  /** The column's type, lower case, as the snapshot spells it (`varchar(40)`, `int(11) unsigned`). */
  readonly type: string;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  /** Filled by the engine (generated, identity, serial, auto-increment): never given a value. */
  readonly engineFilled: boolean;
  /** The labels of an enum (or a MySQL SET), in order. */
  readonly labels?: readonly string[];
  /** A MySQL column whose CHECK is `json_valid(column)`: MariaDB's JSON. */
  readonly json?: boolean;
  /** MySQL's ON UPDATE CURRENT_TIMESTAMP: moves with every update, so no round trip restores it. */
  readonly movesOnUpdate?: boolean;
}

/** A foreign key, from the child's columns to the parent's. */
export interface ParentKey {
  readonly columns: readonly string[];
  readonly parent: string;
  readonly parentColumns: readonly string[];
}

/** A table as the row generator and the round-trip comparison see it. */
export interface TableShape {
  /** As the snapshot names it: `users`, or `audit.log` outside the default schema. */
  readonly name: string;
  readonly columns: readonly ColumnShape[];
  readonly primaryKey?: readonly string[];
  /** Column sets that must be unique (unique constraints and indexes, the primary key). */
  readonly uniques: readonly (readonly string[])[];
  readonly parents: readonly ParentKey[];
}

/**
 * The user tables of a snapshot (bookkeeping tables left out), parents before children so
 * rows can point at rows already there. Read from the snapshot the proof already has: no
 * query of its own.
 */
export function tableShapes(snapshot: SchemaSnapshot, excludeTables: readonly string[]): TableShape[] {
  const excluded = new Set(excludeTables);
  const byTable = new Map<string, SchemaObject[]>();
  const tables: SchemaObject[] = [];
  const enums = new Map<string, string[]>();
  for (const object of Object.values(snapshot.objects)) {
    if (object.kind === 'table' && isPlainTable(object) && !excluded.has(object.name)) tables.push(object);
    if (object.kind === 'type' && object.attributes['type'] === 'enum')
      enums.set(object.name, quotedLabels(String(object.attributes['labels'] ?? '')));
    if (object.table !== undefined) {
      const owned = byTable.get(object.table) ?? [];
      owned.push(object);
      byTable.set(object.table, owned);
    }
  }
  const shapes = tables.map((table) => shapeOf(table.name, byTable.get(table.name) ?? [], enums));
  return parentsFirst(shapes);
}

function isPlainTable(table: SchemaObject): boolean {
  const kind = table.attributes['kind'];
  // Postgres: partitions take their rows through the parent; MySQL tables have no `kind`.
  return (
    (kind === undefined || kind === 'table' || kind === 'partitioned table') &&
    !table.attributes['partitionOf']
  );
}

function shapeOf(
  table: string,
  owned: readonly SchemaObject[],
  enums: ReadonlyMap<string, string[]>,
): TableShape {
  const jsonChecked = new Set<string>();
  const uniques: string[][] = [];
  const parents: ParentKey[] = [];
  let primaryKey: string[] | undefined;
  for (const object of owned) {
    const a = object.attributes;
    if (object.kind === 'constraint') {
      const definition = String(a['definition'] ?? '');
      if (a['type'] === 'primary key') primaryKey = columnList(definition);
      else if (a['type'] === 'unique') uniques.push(columnList(definition));
      else if (a['type'] === 'foreign key') {
        const match = /^FOREIGN KEY \((.*?)\) REFERENCES (.+?)\((.*?)\)/.exec(definition);
        if (match !== null)
          parents.push({
            columns: identifiers(match[1]!),
            parent: unquote(match[2]!),
            parentColumns: identifiers(match[3]!),
          });
      } else if (a['type'] === 'FOREIGN KEY')
        parents.push({
          columns: identifiers(String(a['columns'])),
          parent: String(a['referencedTable']),
          parentColumns: identifiers(String(a['referencedColumns'])),
        });
      else if (a['type'] === 'CHECK') {
        const json = /^json_valid\(`(.+)`\)$/.exec(String(a['clause'] ?? ''));
        if (json !== null) jsonChecked.add(json[1]!);
      }
    } else if (object.kind === 'index' && a['unique'] === true) {
      const columns =
        a['columns'] === undefined
          ? columnList(String(a['definition'] ?? ''))
          : identifiers(String(a['columns']));
      if (a['primary'] === true) primaryKey = columns;
      else if (a['predicate'] === null || a['predicate'] === undefined) uniques.push(columns);
    }
  }
  const columns = owned
    .filter((object) => object.kind === 'column')
    .sort((x, y) => Number(x.notes?.['position'] ?? 0) - Number(y.notes?.['position'] ?? 0))
    .map((object) => columnShape(table, object, enums, jsonChecked));
  if (primaryKey !== undefined) uniques.push(primaryKey);
  return { name: table, columns, ...(primaryKey === undefined ? {} : { primaryKey }), uniques, parents };
}

function columnShape(
  table: string,
  column: SchemaObject,
  enums: ReadonlyMap<string, string[]>,
  jsonChecked: ReadonlySet<string>,
): ColumnShape {
  const a = column.attributes;
  const name = column.name.slice(table.length + 1);
  const type = String(a['type'] ?? '').toLowerCase();
  const defaultValue = a['default'];
  const engineFilled =
    (a['generated'] ?? null) !== null ||
    (a['identity'] ?? null) !== null ||
    a['autoIncrement'] === true ||
    (typeof defaultValue === 'string' && defaultValue.startsWith('nextval('));
  const inline = /^(?:enum|set)\((.*)\)$/.exec(type);
  const labels = inline === null ? enums.get(String(a['type'])) : quotedLabels(inline[1]!);
  return {
    name,
    type,
    nullable: a['nullable'] === true,
    hasDefault: defaultValue !== null && defaultValue !== undefined,
    engineFilled,
    ...(labels === undefined ? {} : { labels }),
    ...(jsonChecked.has(name) ? { json: true } : {}),
    ...((a['onUpdate'] ?? null) === null ? {} : { movesOnUpdate: true }),
  };
}

/** The columns in the first parenthesised list of a definition: `UNIQUE (a, b)`, `... USING btree (lower(a))`. */
function columnList(definition: string): string[] {
  const open = definition.indexOf('(');
  if (open < 0) return [];
  let depth = 0;
  for (let at = open; at < definition.length; at += 1) {
    if (definition[at] === '(') depth += 1;
    if (definition[at] === ')' && --depth === 0) return identifiers(definition.slice(open + 1, at));
  }
  return [];
}

/** Plain column names of a list; an expression yields the names it mentions, a prefix length is dropped. */
function identifiers(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim().replace(/\s+(ASC|DESC)$/i, ''))
    .map((part) => {
      const plain = /^[`"]?([^`"()]+?)[`"]?(?:\(\d+\))?$/.exec(part);
      if (plain !== null) return plain[1]!;
      const inner = /\(+[`"]?([A-Za-z_][\w$]*)/.exec(part);
      return inner === null ? part : inner[1]!;
    });
}

function unquote(name: string): string {
  return name
    .split('.')
    .map((part) => part.replace(/^"(.*)"$/, '$1'))
    .filter((part, index, parts) => !(index === 0 && parts.length > 1 && part === 'public'))
    .join('.');
}

function quotedLabels(list: string): string[] {
  return [...list.matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1]!.replaceAll("''", "'"));
}

/** Parents before children; a cycle (or a self reference) keeps the snapshot's order. */
function parentsFirst(shapes: readonly TableShape[]): TableShape[] {
  const byName = new Map(shapes.map((shape) => [shape.name, shape]));
  const ordered: TableShape[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (shape: TableShape) => {
    if (state.has(shape.name)) return;
    state.set(shape.name, 'visiting');
    for (const key of shape.parents) {
      const parent = byName.get(key.parent);
      if (parent !== undefined && parent !== shape) visit(parent);
    }
    state.set(shape.name, 'done');
    ordered.push(shape);
  };
  for (const shape of shapes) visit(shape);
  return ordered;
}
