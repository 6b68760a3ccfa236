import type { RowDemand } from '../../model/row-demand.ts';
import type { SchemaObject, SchemaSnapshot } from './snapshot.ts';
import { objectKey } from './snapshot.ts';

/**
 * What an up asks of the rows already in tables that existed before it: the NOT NULL, UNIQUE,
 * FOREIGN KEY and CHECK constraints it adds (or validates), the unique indexes it builds, the
 * narrower types it gives existing columns (shorter varchar, text to a number, a smaller
 * integer, an enum without some of its values). Read from the snapshots before and after the
 * up, so it holds whatever wrote the DDL. Constraints added NOT VALID ask nothing of existing
 * rows and are left out until validated; new tables hold no rows and are left out.
 */
export function rowDemandsOf(before: SchemaSnapshot, after: SchemaSnapshot): RowDemand[] {
  const demands = new Map<string, RowDemand>();
  const add = (demand: RowDemand | undefined) => {
    if (demand !== undefined) demands.set(JSON.stringify(demand), demand);
  };
  for (const [key, now] of Object.entries(after.objects)) {
    const old = before.objects[key];
    if (now.table === undefined || !hasTable(before, now.table)) continue;
    if (now.kind === 'column' && old !== undefined) {
      const column = now.name.slice(now.table.length + 1);
      if (old.attributes['nullable'] === true && now.attributes['nullable'] === false)
        add({ kind: 'not-null', table: now.table, column });
      add(
        typeDemand(
          now.table,
          column,
          before,
          String(old.attributes['type']),
          after,
          String(now.attributes['type']),
        ),
      );
    }
    if (now.kind === 'constraint' && newlyEnforced(old, now)) add(constraintDemand(now));
    if (now.kind === 'index' && old === undefined) add(uniqueIndexDemand(now));
  }
  return [...demands.values()];
}

function hasTable(snapshot: SchemaSnapshot, table: string): boolean {
  return snapshot.objects[objectKey({ kind: 'table', name: table })] !== undefined;
}

/** Added, or changed into something existing rows must now satisfy (validated, redefined). */
function newlyEnforced(old: SchemaObject | undefined, now: SchemaObject): boolean {
  if (now.attributes['validated'] === false || now.attributes['enforced'] === false) return false;
  if (old === undefined) return true;
  return (
    old.attributes['validated'] === false ||
    old.attributes['enforced'] === false ||
    old.attributes['definition'] !== now.attributes['definition'] ||
    old.attributes['clause'] !== now.attributes['clause']
  );
}

/** Postgres keeps a constraint's definition as SQL; MySQL its parts. */
function constraintDemand(constraint: SchemaObject): RowDemand | undefined {
  const table = constraint.table!;
  const type = String(constraint.attributes['type']).toLowerCase();
  const definition = constraint.attributes['definition'];
  if (typeof definition === 'string') {
    const unique = /^(?:UNIQUE(?: NULLS NOT DISTINCT)?|PRIMARY KEY) \(([^()]+)\)/.exec(definition);
    if (unique !== null) return { kind: 'unique', table, columns: columnList(unique[1]!) };
    const foreign = /^FOREIGN KEY \(([^()]+)\) REFERENCES (.+?)\(([^()]+)\)/.exec(definition);
    if (foreign !== null)
      return {
        kind: 'foreign-key',
        table,
        columns: columnList(foreign[1]!),
        referencedTable: unquoteName(foreign[2]!),
        referencedColumns: columnList(foreign[3]!),
      };
    const check = /^CHECK \((.*)\)(?: NOT VALID)?$/s.exec(definition);
    if (check !== null) return { kind: 'check', table, name: constraint.name, expression: check[1]! };
    return undefined;
  }
  if (type === 'foreign key')
    return {
      kind: 'foreign-key',
      table,
      columns: columnList(String(constraint.attributes['columns'])),
      referencedTable: String(constraint.attributes['referencedTable']),
      referencedColumns: columnList(String(constraint.attributes['referencedColumns'])),
    };
  if (type === 'check')
    return {
      kind: 'check',
      table,
      name: constraint.name,
      expression: runnableClause(String(constraint.attributes['clause'])),
    };
  return undefined;
}

/**
 * MySQL's CHECK_CLAUSE escapes its string literals as if the whole clause were quoted
 * (`_utf8mb4\'x\'`); MariaDB's is SQL as written. A clause whose every quote is escaped is
 * MySQL's, and unescaped to run.
 */
function runnableClause(clause: string): string {
  const escaped = /\\'/.test(clause) && !/(^|[^\\])'/.test(clause);
  return escaped ? clause.replace(/\\(.)/g, '$1') : clause;
}

/** A new unique index over plain columns; partial and expression indexes are not counted. */
function uniqueIndexDemand(index: SchemaObject): RowDemand | undefined {
  if (index.attributes['unique'] !== true || index.attributes['predicate'] != null) return undefined;
  const listed = index.attributes['columns'];
  const definition = index.attributes['definition'];
  const text =
    typeof listed === 'string'
      ? listed
      : typeof definition === 'string'
        ? /USING \w+ \(([^()]+)\)$/.exec(definition)?.[1]
        : undefined;
  if (text === undefined) return undefined;
  const columns = columnList(text);
  if (!columns.every((column) => /^[\p{L}_][\p{L}\p{N}_$]*$/u.test(column))) return undefined;
  return { kind: 'unique', table: index.table!, columns };
}

function columnList(text: string): string[] {
  return text.split(',').map((column) => unquoteName(column.trim()));
}

function unquoteName(name: string): string {
  return name.replace(/"((?:[^"]|"")*)"/g, (_, inner: string) => inner.replace(/""/g, '"'));
}

const TEXT_TYPE =
  /^(?:text|tinytext|mediumtext|longtext|citext|varchar|character varying|char|character|bpchar)\b/i;
const LENGTH_TYPE = /^(?:varchar|character varying|char|character)\((\d+)\)/i;
const INTEGER_TYPE = /^(tinyint|smallint|mediumint|integer|int|bigint)(?:\(\d+\))?( unsigned)?$/i;
const DECIMAL_TYPE = /^(?:numeric|decimal|real|double precision|double|float)\b/i;

/** The narrowing a column's new type asks of its values, if any. */
function typeDemand(
  table: string,
  column: string,
  before: SchemaSnapshot,
  oldType: string,
  after: SchemaSnapshot,
  newType: string,
): RowDemand | undefined {
  const oldLabels = enumLabels(before, oldType);
  const newLabels = enumLabels(after, newType);
  if (oldLabels !== undefined && newLabels !== undefined) {
    const removed = oldLabels.filter((label) => !newLabels.includes(label));
    return removed.length === 0 ? undefined : { kind: 'enum-values', table, column, removed };
  }
  if (oldType === newType) return undefined;
  const newLength = LENGTH_TYPE.exec(newType)?.[1];
  if (newLength !== undefined && TEXT_TYPE.test(oldType)) {
    const oldLength = LENGTH_TYPE.exec(oldType)?.[1];
    const length = Number(newLength);
    return oldLength === undefined || Number(oldLength) > length
      ? { kind: 'max-length', table, column, length }
      : undefined;
  }
  if (TEXT_TYPE.test(oldType) && INTEGER_TYPE.test(newType))
    return { kind: 'cast', table, column, type: newType, accepts: 'integer' };
  if (TEXT_TYPE.test(oldType) && DECIMAL_TYPE.test(newType))
    return { kind: 'cast', table, column, type: newType, accepts: 'decimal' };
  const oldRange = integerRange(oldType);
  const newRange = integerRange(newType);
  if (oldRange !== undefined && newRange !== undefined) {
    const narrower =
      BigInt(oldRange.min) < BigInt(newRange.min) || BigInt(oldRange.max) > BigInt(newRange.max);
    return narrower ? { kind: 'cast', table, column, type: newType, accepts: newRange } : undefined;
  }
  return undefined;
}

const SIGNED_BITS: Readonly<Record<string, number>> = {
  tinyint: 8,
  smallint: 16,
  mediumint: 24,
  integer: 32,
  int: 32,
  bigint: 64,
};

function integerRange(type: string): { min: string; max: string } | undefined {
  const match = INTEGER_TYPE.exec(type);
  if (match === null) return undefined;
  const bits = BigInt(SIGNED_BITS[match[1]!.toLowerCase()]!);
  if (match[2] !== undefined) return { min: '0', max: String(2n ** bits - 1n) };
  return { min: String(-(2n ** (bits - 1n))), max: String(2n ** (bits - 1n) - 1n) };
}

/** A Postgres enum type's labels (a type object of the snapshot), or a MySQL `enum(...)`'s. */
function enumLabels(snapshot: SchemaSnapshot, type: string): string[] | undefined {
  const inline = /^enum\((.*)\)$/is.exec(type)?.[1];
  const object = snapshot.objects[objectKey({ kind: 'type', name: type })];
  const labels =
    inline ?? (object?.attributes['type'] === 'enum' ? String(object.attributes['labels']) : undefined);
  if (labels === undefined) return undefined;
  return [...labels.matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1]!.replace(/''/g, "'"));
}
