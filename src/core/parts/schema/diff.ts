import type { AttributeValue, SchemaObject, SchemaSnapshot } from './snapshot.ts';

/** One attribute of an object that differs between two snapshots. */
export interface AttributeChange {
  readonly attribute: string;
  readonly before: AttributeValue | undefined;
  readonly after: AttributeValue | undefined;
}

/** One difference between two snapshots. */
export type SchemaChange =
  | { readonly type: 'added'; readonly key: string; readonly object: SchemaObject }
  | { readonly type: 'removed'; readonly key: string; readonly object: SchemaObject }
  | {
      readonly type: 'changed';
      readonly key: string;
      readonly before: SchemaObject;
      readonly after: SchemaObject;
      readonly attributes: readonly AttributeChange[];
    };

/** The differences between two snapshots. */
export interface SchemaDiff {
  /** Differences that matter for the verdict. */
  readonly changes: readonly SchemaChange[];
  /** Differences only in notes (e.g. column position): worth showing, never a failure. */
  readonly notes: readonly SchemaChange[];
}

/**
 * Compares two snapshots. Objects that belong to a table added or removed as a whole are
 * folded into that table, so a forgotten `drop table` reads as one difference, not twenty.
 */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDiff {
  const changes: SchemaChange[] = [];
  const notes: SchemaChange[] = [];
  for (const [key, old] of Object.entries(before.objects)) {
    const now = after.objects[key];
    // A merged snapshot keeps the very objects it did not re-read: nothing to compare.
    if (now === old) continue;
    if (now === undefined) {
      changes.push({ type: 'removed', key, object: old });
      continue;
    }
    const attributes = compareRecords(old.attributes, now.attributes);
    if (attributes.length > 0) changes.push({ type: 'changed', key, before: old, after: now, attributes });
    const noteChanges = compareRecords(old.notes ?? {}, now.notes ?? {});
    if (noteChanges.length > 0)
      notes.push({ type: 'changed', key, before: old, after: now, attributes: noteChanges });
  }
  for (const [key, now] of Object.entries(after.objects)) {
    if (before.objects[key] === undefined) changes.push({ type: 'added', key, object: now });
  }
  changes.sort(byKey);
  notes.sort(byKey);
  return { changes: foldIntoWholeTables(changes), notes };
}

function byKey(a: SchemaChange, b: SchemaChange): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** True when two snapshots describe the same schema, notes aside. */
export function sameSchema(before: SchemaSnapshot, after: SchemaSnapshot): boolean {
  return diffSnapshots(before, after).changes.length === 0;
}

function compareRecords(
  before: Readonly<Record<string, AttributeValue>>,
  after: Readonly<Record<string, AttributeValue>>,
): AttributeChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((attribute) => before[attribute] !== after[attribute])
    .map((attribute) => ({ attribute, before: before[attribute], after: after[attribute] }));
}

const TABLE_KINDS = new Set(['table', 'view', 'materialized view']);

function foldIntoWholeTables(changes: SchemaChange[]): SchemaChange[] {
  const whole = new Set(
    changes
      .filter((change) => change.type !== 'changed' && TABLE_KINDS.has(change.object.kind))
      .map((change) => `${change.type}:${(change as { object: SchemaObject }).object.name}`),
  );
  return changes.filter(
    (change) =>
      change.type === 'changed' ||
      change.object.table === undefined ||
      !whole.has(`${change.type}:${change.object.table}`),
  );
}

/** `index idx_posts_status on posts`, `column posts.title`, `table tags`. */
export function describeObject(object: SchemaObject): string {
  const owner = object.table !== undefined && object.kind !== 'column' ? ` on ${object.table}` : '';
  return `${object.kind} ${object.name}${owner}`;
}

/**
 * A difference in words a person understands, e.g.
 * `column profiles.display_name: varchar(255) became varchar(100)`.
 */
export function describeChange(change: SchemaChange): string {
  switch (change.type) {
    case 'added':
      return `${describeObject(change.object)} was added`;
    case 'removed':
      return `${describeObject(change.object)} was removed`;
    case 'changed':
      return `${describeObject(change.before)}: ${orderForReading(change.attributes).map(describeAttributeChange).join('; ')}`;
  }
}

/** `varchar(255) became varchar(100)`, `not null became nullable`, `default 0 became no default`. */
export function describeAttributeChange(change: AttributeChange): string {
  return `${describeValue(change.attribute, change.before)} became ${describeValue(change.attribute, change.after)}`;
}

/**
 * Specific attributes first, the whole definition last: "ON DELETE CASCADE became ON DELETE
 * NO ACTION" says more than two long constraint definitions that differ in one clause.
 */
function orderForReading(attributes: readonly AttributeChange[]): AttributeChange[] {
  return [...attributes].sort(
    (a, b) => Number(a.attribute === 'definition') - Number(b.attribute === 'definition'),
  );
}

/** Attributes named by the SQL clause they stand for. */
const CLAUSES: Readonly<Record<string, string>> = { onDelete: 'ON DELETE', onUpdate: 'ON UPDATE' };

function describeValue(attribute: string, value: AttributeValue | undefined): string {
  if (attribute === 'type') return value == null ? 'no type' : String(value);
  if (attribute === 'nullable') return value === true ? 'nullable' : 'not null';
  const clause = CLAUSES[attribute];
  if (clause !== undefined)
    return value == null ? `no ${clause}` : `${clause} ${String(value).toUpperCase()}`;
  if (value === undefined || value === null) return `no ${attribute}`;
  if (typeof value === 'boolean') return value ? attribute : `not ${attribute}`;
  return `${attribute} ${String(value)}`;
}
