import type { DialectName } from '../../model/dialect.ts';

/** The kinds of catalog objects a snapshot records. */
export type SchemaObjectKind =
  | 'schema'
  | 'extension'
  | 'table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'view'
  | 'materialized view'
  | 'sequence'
  | 'type'
  | 'function'
  | 'procedure'
  | 'trigger'
  | 'event';

/** A value recorded for an object; strings are normalized by the snapshotter. */
export type AttributeValue = string | number | boolean | null;

/** One catalog object, described by what decides its equality. */
export interface SchemaObject {
  readonly kind: SchemaObjectKind;
  /**
   * The name as a person reads it: `posts`, `posts.title` for a column, `idx_posts_status` for an
   * index. Objects outside the default schema (`public` on Postgres) carry their schema: `audit.log`.
   */
  readonly name: string;
  /** The table or view the object belongs to (columns, constraints, indexes, triggers). */
  readonly table?: string;
  /** What decides equality: two snapshots differ when any of these differ. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /**
   * What is worth showing but never part of the verdict, such as a column's position:
   * Postgres cannot put a re-added column back in its place.
   */
  readonly notes?: Readonly<Record<string, AttributeValue>>;
}

/**
 * A normalized, deterministic description of a database schema: equal schemas give
 * byte-identical JSON. Objects are keyed by {@link objectKey}; snapshots read from a database
 * store them in key order, merged ones (see change-scope.ts) may not.
 */
export interface SchemaSnapshot {
  readonly dialect: DialectName;
  readonly objects: Readonly<Record<string, SchemaObject>>;
}

/** The key of an object inside a snapshot: kind, owning table when any, and name. */
export function objectKey(object: Pick<SchemaObject, 'kind' | 'name' | 'table'>): string {
  const owner = object.table !== undefined && object.kind !== 'column' ? `${object.table}/` : '';
  return `${object.kind}:${owner}${object.name}`;
}

/**
 * Builds a snapshot from objects in any order: sorts keys and attribute names so that
 * equal schemas serialize identically, and refuses two objects with one key.
 */
export function buildSnapshot(dialect: DialectName, objects: Iterable<SchemaObject>): SchemaSnapshot {
  const byKey = new Map<string, SchemaObject>();
  for (const object of objects) {
    const key = objectKey(object);
    if (byKey.has(key)) throw new Error(`schema snapshot has two objects with key ${key}`);
    byKey.set(key, normalizeObject(object));
  }
  const sorted: Record<string, SchemaObject> = {};
  for (const key of [...byKey.keys()].sort()) sorted[key] = byKey.get(key)!;
  return { dialect, objects: sorted };
}

function normalizeObject(object: SchemaObject): SchemaObject {
  return {
    kind: object.kind,
    name: object.name,
    ...(object.table === undefined ? {} : { table: object.table }),
    attributes: sortRecord(object.attributes),
    ...(object.notes === undefined ? {} : { notes: sortRecord(object.notes) }),
  };
}

function sortRecord(record: Readonly<Record<string, AttributeValue>>): Record<string, AttributeValue> {
  const sorted: Record<string, AttributeValue> = {};
  for (const key of Object.keys(record).sort()) {
    const value = record[key];
    if (value !== undefined) sorted[key] = value;
  }
  return sorted;
}

/**
 * Whether two snapshots hold exactly the same objects, notes included, whatever order their
 * keys are in (merged snapshots are not re-sorted).
 */
export function sameSnapshot(a: SchemaSnapshot, b: SchemaSnapshot): boolean {
  const keys = Object.keys(a.objects);
  if (a.dialect !== b.dialect || keys.length !== Object.keys(b.objects).length) return false;
  return keys.every((key) => {
    const other = b.objects[key];
    return other !== undefined && JSON.stringify(a.objects[key]) === JSON.stringify(other);
  });
}
