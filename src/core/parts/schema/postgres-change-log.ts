// From the Postgres change tracker's log to the owners a step changed.
import { everyOwnerOfKind, ownerKey } from './change-scope.ts';
import type { ChangeScope } from './change-scope.ts';
import { displayName, TRACKER_SCHEMA } from './postgres-names.ts';
import type { SchemaSnapshot } from './snapshot.ts';

/** A row of `migration_gate.dropped`: one object `sql_drop` reported. */
export interface DroppedRow {
  readonly catalog: string | null;
  readonly object_type: string | null;
  readonly schema_name: string | null;
  readonly object_name: string | null;
  readonly address_names: readonly string[] | null;
  /** The owner key the trigger could tell (a function's, a domain constraint's), else null. */
  readonly owner: string | null;
}

/** A row of the tracker's log (READ_LOG, or `read_changes()`'s first rows). */
export type LogRow =
  | { readonly source: 'touched'; readonly data: string }
  | { readonly source: 'dropped'; readonly data: DroppedRow }
  | { readonly source: 'unknown'; readonly data: string };

/** Catalogs whose objects no snapshot records: dropping one changes nothing a snapshot shows. */
const UNRECORDED_CATALOGS: ReadonlySet<string> = new Set([
  'pg_policy',
  'pg_statistic_ext',
  'pg_collation',
  'pg_conversion',
  'pg_cast',
  'pg_language',
  'pg_transform',
  'pg_am',
  'pg_amop',
  'pg_amproc',
  'pg_opclass',
  'pg_opfamily',
  'pg_operator',
  'pg_ts_config',
  'pg_ts_dict',
  'pg_ts_parser',
  'pg_ts_template',
  'pg_foreign_data_wrapper',
  'pg_foreign_server',
  'pg_user_mapping',
  'pg_default_acl',
  'pg_publication',
  'pg_publication_rel',
  'pg_publication_namespace',
  'pg_largeobject_metadata',
  // Event triggers are always re-read (everyOwnerOfKind('event')).
  'pg_event_trigger',
]);

/** Catalogs of objects that belong to a table, dropped objects addressed as [schema, table, name]. */
const TABLE_PART_CATALOGS: ReadonlySet<string> = new Set([
  'pg_constraint',
  'pg_trigger',
  'pg_attrdef',
  'pg_rewrite',
]);

/**
 * The owners a step touched, from its log, with `before` (the snapshot from before the step) for
 * what the catalog no longer tells: always every event trigger, which no event trigger reports.
 */
export function scopeOfLog(rows: readonly LogRow[], before: SchemaSnapshot): ChangeScope {
  const owners = new Set<string>([everyOwnerOfKind('event')]);
  for (const row of rows) {
    if (row.source === 'unknown') return { everything: true, reason: row.data };
    if (row.source === 'touched') owners.add(row.data);
    else {
      const resolved = droppedOwners(row.data, before);
      if (resolved === undefined) {
        return {
          everything: true,
          reason: `cannot tell the owner of a dropped ${row.data.object_type ?? 'object'}`,
        };
      }
      for (const owner of resolved) owners.add(owner);
    }
  }
  addFormerChildren(owners, before);
  return { everything: false, owners };
}

/** Object types in `pg_class` whose dropped row is part of a relation rather than one itself. */
const RELATION_PART_TYPES: ReadonlySet<string> = new Set(['table column', 'index', 'toast table']);

/**
 * The owners the log shows dropped themselves (not a part of them): relations, types, schemas,
 * extensions, and functions known by their key. A function found only by name stands for every
 * overload, some of which may remain, so it is not among them.
 */
export function goneOwners(rows: readonly LogRow[], before: SchemaSnapshot): Set<string> {
  const gone = new Set<string>();
  for (const row of rows) {
    if (row.source !== 'dropped') continue;
    const { catalog, object_type: type, owner } = row.data;
    const itself =
      (catalog === 'pg_class' && !RELATION_PART_TYPES.has(type ?? '')) ||
      catalog === 'pg_type' ||
      catalog === 'pg_namespace' ||
      catalog === 'pg_extension' ||
      (catalog === 'pg_proc' && owner !== null);
    if (!itself) continue;
    for (const key of droppedOwners(row.data, before) ?? []) gone.add(key);
  }
  return gone;
}

/** Whether a schema is one no snapshot reads (the server's own, or the tracker's). */
function isSystemSchema(schema: string | null): boolean {
  return (
    schema !== null &&
    (schema === 'information_schema' || schema.startsWith('pg_') || schema === TRACKER_SCHEMA)
  );
}

/**
 * The owners a dropped object belonged to; undefined when it cannot be told (then the whole
 * snapshot is re-read). Objects of tables are addressed by their table's schema and name, which
 * `sql_drop` still gives; a dropped index only by its own, so its table is looked up in `before`.
 */
function droppedOwners(row: DroppedRow, before: SchemaSnapshot): readonly string[] | undefined {
  if (row.owner !== null) return [row.owner];
  const catalog = row.catalog ?? '';
  if (UNRECORDED_CATALOGS.has(catalog) || isSystemSchema(row.schema_name)) return [];
  const address = row.address_names ?? [];
  const [first, second] = address;
  const tableOwner = (): readonly string[] | undefined =>
    first === undefined || second === undefined ? undefined : [`relation:${displayName(first, second)}`];
  const named = (prefix: string): readonly string[] | undefined =>
    row.schema_name === null || row.object_name === null
      ? undefined
      : [`${prefix}:${displayName(row.schema_name, row.object_name)}`];
  switch (catalog) {
    case 'pg_class':
      if (row.object_type === 'table column') return tableOwner();
      if (row.object_type === 'index') return indexOwners(row, before);
      if (row.object_type === 'toast table') return [];
      if (row.object_type === 'composite type') return named('type');
      return named('relation');
    case 'pg_type':
      return named('type');
    case 'pg_namespace':
      return row.object_name === null ? undefined : [`schema:${row.object_name}`];
    case 'pg_extension':
      return row.object_name === null ? undefined : [`extension:${row.object_name}`];
    case 'pg_proc':
      return functionOwners(row, before);
    default:
      // A domain's constraint whose domain went too: the domain's own row covers it.
      if (row.object_type === 'domain constraint') return [];
      if (TABLE_PART_CATALOGS.has(catalog)) return tableOwner();
      return undefined;
  }
}

/**
 * The owners of a dropped index: the tables in `before` with an index of that name in that
 * schema (index names are unique per schema). None when `before` had no such index: it was
 * created by the step itself, whose creation is logged, or belongs to a table left out.
 */
function indexOwners(row: DroppedRow, before: SchemaSnapshot): readonly string[] {
  const owners: string[] = [];
  for (const object of Object.values(before.objects)) {
    if (object.kind !== 'index' || object.name !== row.object_name || object.table === undefined) continue;
    // A display name is bare in public; a table name with a dot in public could look qualified,
    // so public matches any table: an extra owner costs a little, a missing one hides residue.
    if (row.schema_name !== 'public' && !object.table.startsWith(`${row.schema_name}.`)) continue;
    owners.push(ownerKey(object));
  }
  return owners;
}

/**
 * The owners of a dropped function the trigger never noted (one created as part of another
 * object, such as a range type's constructor): every overload in `before` with its schema and
 * name, since the argument types `sql_drop` gives are spelled unlike the snapshot's. None when
 * `before` has no function of that name: then no snapshot recorded it.
 */
function functionOwners(row: DroppedRow, before: SchemaSnapshot): readonly string[] | undefined {
  const [schema, name] = row.address_names ?? [];
  if (schema === undefined || name === undefined) return undefined;
  const prefix = `${displayName(schema, name)}(`;
  return Object.values(before.objects)
    .filter(
      (object) =>
        (object.kind === 'function' || object.kind === 'procedure') && object.name.startsWith(prefix),
    )
    .map(ownerKey);
}

/**
 * Adds the tables that were partitions or children of a touched relation in `before`: DETACH
 * PARTITION and a parent's DROP report only the parent, yet the child's `partitionOf` changes.
 */
function addFormerChildren(owners: Set<string>, before: SchemaSnapshot): void {
  const parents = new Set<string>();
  for (const owner of owners) if (owner.startsWith('relation:')) parents.add(owner.slice('relation:'.length));
  if (parents.size === 0) return;
  for (const object of Object.values(before.objects)) {
    if (object.kind !== 'table') continue;
    const partitionOf = object.attributes['partitionOf'];
    const inherits = object.attributes['inherits'];
    const children =
      (typeof partitionOf === 'string' && parents.has(partitionOf)) ||
      (typeof inherits === 'string' && inherits.split(', ').some((parent) => parents.has(parent)));
    if (children) owners.add(ownerKey(object));
  }
}
