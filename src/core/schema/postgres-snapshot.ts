import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import { buildSnapshot } from './snapshot.ts';
import type { AttributeValue, SchemaObject, SchemaSnapshot } from './snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from './snapshotter.ts';

/**
 * Reads a Postgres catalog (servers 13 and later, and PGlite) into a snapshot. Objects in
 * `public` carry bare names, others `schema.name`; `public` itself is not listed, since every
 * database has it. An extension is listed, its member objects are not; nor are copies the server
 * derives from a parent (a partition's cloned indexes, foreign keys and triggers). OIDs, owners,
 * grants, tablespaces, statistics and sequence values are never recorded; column position only
 * as a note. Not covered: policies, rules, statistics objects, operators, casts, aggregates.
 */
export class PostgresSnapshotter implements SchemaSnapshotter {
  async take(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot> {
    // One transaction gives one session (a pool may otherwise hand each query another
    // connection) and one consistent view; a caller's transaction is used as it is, so the
    // snapshot sees its uncommitted DDL.
    if (db.isTransaction) return withPinnedSearchPath(db, options);
    return db
      .transaction()
      .setAccessMode('read only')
      .execute((trx) => withPinnedSearchPath(trx, options));
  }
}

async function withPinnedSearchPath(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot> {
  // The deparsers qualify names that are not on the search path, so the same schema would print
  // differently under another session setting. The setting is transaction-local and restored,
  // because the transaction may be the caller's.
  const saved = await rows<{ path: string }>(db, sql`select current_setting('search_path') as path`);
  const restore = sql`select set_config('search_path', ${sql.lit(saved[0]?.path ?? '')}, true)`;
  await sql`select set_config('search_path', 'public', true)`.execute(db);
  let snapshot: SchemaSnapshot;
  try {
    snapshot = await readCatalog(db, options);
  } catch (error) {
    // After a failed query the transaction is aborted and refuses the restore too; the first
    // error is the one worth reporting.
    await restore.execute(db).catch(() => {});
    throw error;
  }
  await restore.execute(db);
  return snapshot;
}

async function rows<R>(db: Kysely<any>, query: RawBuilder<unknown>): Promise<R[]> {
  return (await (query as RawBuilder<R>).execute(db)).rows;
}

/** Schemas users own; names starting with `pg_` are reserved, so this also covers toast and temp. */
const USER_SCHEMA = sql`(n.nspname <> 'information_schema' and n.nspname !~ '^pg_')`;

/** True when the object (row `oid` of `catalog`) was created by an extension. */
function extensionMember(catalog: string, oid: string): RawBuilder<unknown> {
  return sql`exists (select from pg_depend e where e.classid = ${sql.lit(catalog)}::regclass
    and e.objid = ${sql.raw(oid)} and e.deptype = 'e')`;
}

/** How a reader names an object: bare in `public`, qualified elsewhere. */
function displayName(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`;
}

interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  kind: string;
  persistence: string;
  rls: boolean;
  force_rls: boolean;
  replica_identity: string;
  options: string | null;
  comment: string | null;
  partition_key: string | null;
  partition_bound: string | null;
  parents: string | null;
  definition: string | null;
  owner_relation: string | null;
  owner_column: string | null;
  in_extension: boolean;
}

interface Relation extends RelationRow {
  readonly display: string;
}

const TABLE_KINDS: Readonly<Record<string, string>> = {
  r: 'table',
  p: 'partitioned table',
  f: 'foreign table',
};

const REPLICA_IDENTITY: Readonly<Record<string, string>> = {
  d: 'default',
  n: 'nothing',
  f: 'full',
  i: 'index',
};

const FOREIGN_KEY_ACTIONS: Readonly<Record<string, string>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const CONSTRAINT_TYPES: Readonly<Record<string, string>> = {
  p: 'primary key',
  u: 'unique',
  c: 'check',
  f: 'foreign key',
  x: 'exclusion',
};

const TRIGGER_ENABLED: Readonly<Record<string, string>> = {
  O: 'enabled',
  D: 'disabled',
  R: 'replica',
  A: 'always',
};

async function readCatalog(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot> {
  const objects: SchemaObject[] = [];
  // Sequential on purpose: the embedded engine and a transaction are a single session.
  objects.push(...(await readSchemas(db)));
  objects.push(...(await readExtensions(db)));
  const relations = await readRelations(db);
  const included = includedRelations(relations, options.excludeTables);
  objects.push(...relationObjects(relations, included));
  objects.push(...(await readColumns(db, included)));
  objects.push(...(await readConstraints(db, included)));
  objects.push(...(await readIndexes(db, included)));
  objects.push(...(await readSequences(db, relations, included)));
  objects.push(...(await readTypes(db)));
  objects.push(...(await readFunctions(db)));
  objects.push(...(await readTriggers(db, included)));
  objects.push(...(await readEventTriggers(db)));
  return buildSnapshot('postgres', objects);
}

async function readSchemas(db: Kysely<any>): Promise<SchemaObject[]> {
  const found = await rows<{ name: string; comment: string | null }>(
    db,
    sql`select n.nspname as name, obj_description(n.oid, 'pg_namespace') as comment
      from pg_namespace n
      where ${USER_SCHEMA} and n.nspname <> 'public' and not ${extensionMember('pg_namespace', 'n.oid')}`,
  );
  return found.map((row) => ({ kind: 'schema', name: row.name, attributes: { comment: row.comment } }));
}

async function readExtensions(db: Kysely<any>): Promise<SchemaObject[]> {
  const found = await rows<{ name: string; version: string; schema: string }>(
    db,
    sql`select x.extname as name, x.extversion as version, n.nspname as schema
      from pg_extension x join pg_namespace n on n.oid = x.extnamespace`,
  );
  return found.map((row) => ({
    kind: 'extension',
    name: row.name,
    attributes: { version: row.version, schema: row.schema },
  }));
}

async function readRelations(db: Kysely<any>): Promise<Map<string, Relation>> {
  const found = await rows<RelationRow>(
    db,
    sql`select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind,
        c.relpersistence::text as persistence, c.relrowsecurity as rls, c.relforcerowsecurity as force_rls,
        c.relreplident::text as replica_identity,
        nullif(array_to_string(array(select o from unnest(c.reloptions) o order by o), ', '), '') as options,
        obj_description(c.oid, 'pg_class') as comment,
        case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partition_key,
        case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as partition_bound,
        (select string_agg(i.inhparent::text, ',' order by i.inhseqno)
          from pg_inherits i where i.inhrelid = c.oid) as parents,
        case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end as definition,
        owner.relation as owner_relation, owner.column_name as owner_column,
        ${extensionMember('pg_class', 'c.oid')} as in_extension
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join lateral (
        -- The column a sequence belongs to: 'a' for serial and OWNED BY, 'i' for identity.
        select d.refobjid::text as relation, a.attname as column_name
        from pg_depend d
        join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
        where c.relkind = 'S' and d.classid = 'pg_class'::regclass and d.objid = c.oid
          and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0 and d.deptype in ('a', 'i')
        limit 1
      ) owner on true
      where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S')`,
  );
  return new Map(found.map((row) => [row.oid, { ...row, display: displayName(row.schema, row.name) }]));
}

/**
 * The relations whose objects are recorded: not an extension's, not excluded, and for a
 * sequence not owned by a table that is left out.
 */
function includedRelations(
  relations: ReadonlyMap<string, Relation>,
  excludeTables: readonly string[],
): Map<string, Relation> {
  const excluded = new Set(excludeTables);
  const isExcluded = (relation: Relation): boolean =>
    relation.in_extension ||
    excluded.has(relation.display) ||
    excluded.has(`${relation.schema}.${relation.name}`);
  const included = new Map<string, Relation>();
  for (const [oid, relation] of relations) {
    if (isExcluded(relation)) continue;
    if (relation.owner_relation !== null) {
      const owner = relations.get(relation.owner_relation);
      if (owner === undefined || isExcluded(owner)) continue;
    }
    included.set(oid, relation);
  }
  return included;
}

function relationObjects(
  relations: ReadonlyMap<string, Relation>,
  included: ReadonlyMap<string, Relation>,
): SchemaObject[] {
  const objects: SchemaObject[] = [];
  const nameOf = (oid: string): string => relations.get(oid)?.display ?? '?';
  for (const relation of included.values()) {
    const tableKind = TABLE_KINDS[relation.kind];
    if (tableKind !== undefined) {
      const parents = relation.parents?.split(',').map(nameOf) ?? [];
      const isPartition = relation.partition_bound !== null;
      objects.push({
        kind: 'table',
        name: relation.display,
        attributes: {
          kind: tableKind,
          persistence: relation.persistence === 'u' ? 'unlogged' : 'permanent',
          partitionKey: relation.partition_key,
          partitionOf: isPartition ? (parents[0] ?? null) : null,
          partitionBound: relation.partition_bound,
          inherits: !isPartition && parents.length > 0 ? parents.join(', ') : null,
          rowLevelSecurity: relation.rls,
          forceRowLevelSecurity: relation.force_rls,
          replicaIdentity: REPLICA_IDENTITY[relation.replica_identity] ?? relation.replica_identity,
          options: relation.options,
          comment: relation.comment,
        },
      });
    } else if (relation.kind === 'v' || relation.kind === 'm') {
      objects.push({
        kind: relation.kind === 'v' ? 'view' : 'materialized view',
        name: relation.display,
        attributes: { definition: relation.definition, options: relation.options, comment: relation.comment },
      });
    }
    // Sequences are recorded by readSequences, which reads their parameters.
  }
  return objects;
}

interface ColumnRow {
  relation: string;
  name: string;
  type: string;
  not_null: boolean;
  default_value: string | null;
  generated: string | null;
  generated_kind: string;
  identity: string;
  collation: string | null;
  comment: string | null;
  position: number;
}

async function readColumns(
  db: Kysely<any>,
  included: ReadonlyMap<string, Relation>,
): Promise<SchemaObject[]> {
  const found = await rows<ColumnRow>(
    db,
    sql`select a.attrelid::text as relation, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
        a.attnotnull as not_null,
        case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default_value,
        case when a.attgenerated <> '' then pg_get_expr(ad.adbin, ad.adrelid) end as generated,
        a.attgenerated::text as generated_kind, a.attidentity::text as identity,
        -- Only a collation other than the type's own is a choice the migration made.
        case when a.attcollation <> t.typcollation then a.attcollation::regcollation::text end as collation,
        col_description(a.attrelid, a.attnum) as comment,
        (row_number() over (partition by a.attrelid order by a.attnum))::int as position
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_type t on t.oid = a.atttypid
      left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
      where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'f') and a.attnum > 0 and not a.attisdropped`,
  );
  const objects: SchemaObject[] = [];
  for (const row of found) {
    const table = included.get(row.relation)?.display;
    if (table === undefined) continue;
    objects.push({
      kind: 'column',
      name: `${table}.${row.name}`,
      table,
      attributes: {
        type: row.type,
        nullable: !row.not_null,
        default: row.default_value,
        identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
        generated: row.generated,
        generatedStorage:
          row.generated_kind === 's' ? 'stored' : row.generated_kind === 'v' ? 'virtual' : null,
        collation: row.collation,
        comment: row.comment,
      },
      notes: { position: row.position },
    });
  }
  return objects;
}

interface ConstraintRow {
  relation: string;
  name: string;
  type: string;
  definition: string;
  validated: boolean;
  deferrable: boolean;
  deferred: boolean;
  on_update: string;
  on_delete: string;
  comment: string | null;
}

async function readConstraints(
  db: Kysely<any>,
  included: ReadonlyMap<string, Relation>,
): Promise<SchemaObject[]> {
  // Not-null constraints (catalogued from Postgres 18) are the columns' nullability; constraint
  // triggers are recorded as triggers; and a constraint with a parent is the server's copy of
  // that parent on a partition (or per referenced partition, under the same name).
  const found = await rows<ConstraintRow>(
    db,
    sql`select k.conrelid::text as relation, k.conname as name, k.contype::text as type,
        pg_get_constraintdef(k.oid) as definition, k.convalidated as validated,
        k.condeferrable as deferrable, k.condeferred as deferred,
        k.confupdtype::text as on_update, k.confdeltype::text as on_delete,
        obj_description(k.oid, 'pg_constraint') as comment
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and k.contype in ('p', 'u', 'c', 'f', 'x') and k.conparentid = 0`,
  );
  const objects: SchemaObject[] = [];
  for (const row of found) {
    const table = included.get(row.relation)?.display;
    if (table === undefined) continue;
    const attributes: Record<string, AttributeValue> = {
      type: CONSTRAINT_TYPES[row.type] ?? row.type,
      definition: row.definition,
      validated: row.validated,
      deferrable: row.deferrable
        ? row.deferred
          ? 'deferrable initially deferred'
          : 'deferrable initially immediate'
        : 'not deferrable',
      comment: row.comment,
    };
    if (row.type === 'f') {
      attributes['onDelete'] = FOREIGN_KEY_ACTIONS[row.on_delete] ?? row.on_delete;
      attributes['onUpdate'] = FOREIGN_KEY_ACTIONS[row.on_update] ?? row.on_update;
    }
    objects.push({ kind: 'constraint', name: row.name, table, attributes });
  }
  return objects;
}

interface IndexRow {
  relation: string;
  name: string;
  definition: string;
  unique: boolean;
  method: string;
  predicate: string | null;
  valid: boolean;
  comment: string | null;
}

async function readIndexes(
  db: Kysely<any>,
  included: ReadonlyMap<string, Relation>,
): Promise<SchemaObject[]> {
  // An index behind a primary key, unique or exclusion constraint is that constraint's; an index
  // that is a partition of another is the server's copy of its parent.
  const found = await rows<IndexRow>(
    db,
    sql`select x.indrelid::text as relation, ic.relname as name, pg_get_indexdef(x.indexrelid) as definition,
        x.indisunique as unique, am.amname as method, pg_get_expr(x.indpred, x.indrelid) as predicate,
        x.indisvalid as valid, obj_description(x.indexrelid, 'pg_class') as comment
      from pg_index x
      join pg_class ic on ic.oid = x.indexrelid
      join pg_am am on am.oid = ic.relam
      join pg_namespace n on n.oid = ic.relnamespace
      where ${USER_SCHEMA} and not ic.relispartition
        and not exists (select from pg_constraint k where k.conindid = x.indexrelid
          and k.conrelid = x.indrelid and k.contype in ('p', 'u', 'x'))`,
  );
  const objects: SchemaObject[] = [];
  for (const row of found) {
    const table = included.get(row.relation)?.display;
    if (table === undefined) continue;
    objects.push({
      kind: 'index',
      name: row.name,
      table,
      attributes: {
        definition: row.definition,
        unique: row.unique,
        method: row.method,
        predicate: row.predicate,
        valid: row.valid,
        comment: row.comment,
      },
    });
  }
  return objects;
}

interface SequenceRow {
  relation: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
}

async function readSequences(
  db: Kysely<any>,
  relations: ReadonlyMap<string, Relation>,
  included: ReadonlyMap<string, Relation>,
): Promise<SchemaObject[]> {
  // Parameters only: last_value and is_called live in the sequence itself and move with every
  // insert. Text, because bigint bounds do not fit a JavaScript number.
  const found = await rows<SequenceRow>(
    db,
    sql`select s.seqrelid::text as relation, format_type(s.seqtypid, null) as type,
        s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min,
        s.seqmax::text as max, s.seqcache::text as cache, s.seqcycle as cycle
      from pg_sequence s`,
  );
  const objects: SchemaObject[] = [];
  for (const row of found) {
    const sequence = included.get(row.relation);
    if (sequence === undefined) continue;
    const owner = sequence.owner_relation === null ? undefined : relations.get(sequence.owner_relation);
    objects.push({
      kind: 'sequence',
      name: sequence.display,
      attributes: {
        type: row.type,
        start: row.start,
        increment: row.increment,
        min: row.min,
        max: row.max,
        cache: row.cache,
        cycle: row.cycle,
        ownedBy: owner === undefined ? null : `${owner.display}.${sequence.owner_column ?? '?'}`,
        comment: sequence.comment,
      },
    });
  }
  return objects;
}

interface TypeRow {
  schema: string;
  name: string;
  type: string;
  labels: string | null;
  base_type: string | null;
  default_value: string | null;
  not_null: boolean;
  checks: string | null;
  collation: string | null;
  fields: string | null;
  subtype: string | null;
  subtype_opclass: string | null;
  subtype_diff: string | null;
  canonical: string | null;
  comment: string | null;
}

async function readTypes(db: Kysely<any>): Promise<SchemaObject[]> {
  // Enum, domain, standalone composite and range types: base types need C code, and array,
  // row and multirange types come with the type or table they belong to.
  const found = await rows<TypeRow>(
    db,
    sql`select n.nspname as schema, t.typname as name, t.typtype::text as type,
        (select string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder)
          from pg_enum e where e.enumtypid = t.oid) as labels,
        case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base_type,
        t.typdefault as default_value, t.typnotnull as not_null,
        (select string_agg(quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), ', ' order by k.conname)
          from pg_constraint k where k.contypid = t.oid and k.contype = 'c') as checks,
        case when t.typtype = 'd' and t.typcollation <> b.typcollation then t.typcollation::regcollation::text end
          as collation,
        (select string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', '
            order by a.attnum)
          from pg_attribute a where t.typtype = 'c' and a.attrelid = t.typrelid and a.attnum > 0
            and not a.attisdropped) as fields,
        format_type(r.rngsubtype, null) as subtype,
        (select o.opcname from pg_opclass o where o.oid = r.rngsubopc) as subtype_opclass,
        nullif(r.rngsubdiff::regproc::text, '-') as subtype_diff,
        nullif(r.rngcanonical::regproc::text, '-') as canonical,
        obj_description(t.oid, 'pg_type') as comment
      from pg_type t
      join pg_namespace n on n.oid = t.typnamespace
      left join pg_type b on b.oid = t.typbasetype
      left join pg_range r on r.rngtypid = t.oid
      where ${USER_SCHEMA} and t.typtype in ('e', 'd', 'c', 'r')
        and (t.typtype <> 'c' or exists (select from pg_class c where c.oid = t.typrelid and c.relkind = 'c'))
        and not ${extensionMember('pg_type', 't.oid')}`,
  );
  return found.map((row): SchemaObject => {
    const name = displayName(row.schema, row.name);
    const comment = row.comment;
    switch (row.type) {
      case 'e':
        return { kind: 'type', name, attributes: { type: 'enum', labels: row.labels ?? '', comment } };
      case 'd':
        return {
          kind: 'type',
          name,
          attributes: {
            type: 'domain',
            baseType: row.base_type,
            default: row.default_value,
            notNull: row.not_null,
            checks: row.checks,
            collation: row.collation,
            comment,
          },
        };
      case 'c':
        return {
          kind: 'type',
          name,
          attributes: { type: 'composite', fields: row.fields ?? '', comment },
        };
      default:
        return {
          kind: 'type',
          name,
          attributes: {
            type: 'range',
            subtype: row.subtype,
            subtypeOpclass: row.subtype_opclass,
            subtypeDiff: row.subtype_diff,
            canonical: row.canonical,
            comment,
          },
        };
    }
  });
}

async function readFunctions(db: Kysely<any>): Promise<SchemaObject[]> {
  // Aggregates are left out: pg_get_functiondef cannot print them. So are functions that are part
  // of another object (a range type's constructors), which come and go with it. The argument
  // types in the name tell overloads apart, as Postgres itself does.
  const found = await rows<{
    schema: string;
    name: string;
    args: string;
    kind: string;
    definition: string;
    comment: string | null;
  }>(
    db,
    sql`select n.nspname as schema, p.proname as name, oidvectortypes(p.proargtypes) as args,
        p.prokind::text as kind, pg_get_functiondef(p.oid) as definition,
        obj_description(p.oid, 'pg_proc') as comment
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
      where ${USER_SCHEMA} and p.prokind in ('f', 'p', 'w') and not ${extensionMember('pg_proc', 'p.oid')}
        and not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid
          and d.deptype = 'i')`,
  );
  return found.map((row) => ({
    kind: row.kind === 'p' ? 'procedure' : 'function',
    name: `${displayName(row.schema, row.name)}(${row.args})`,
    attributes: { definition: row.definition, comment: row.comment },
  }));
}

async function readTriggers(
  db: Kysely<any>,
  included: ReadonlyMap<string, Relation>,
): Promise<SchemaObject[]> {
  // Internal triggers implement foreign keys, already recorded as constraints; a trigger with
  // a parent is the server's copy of a partitioned table's trigger on one partition.
  const found = await rows<{ relation: string; name: string; definition: string; enabled: string }>(
    db,
    sql`select g.tgrelid::text as relation, g.tgname as name, pg_get_triggerdef(g.oid) as definition,
        g.tgenabled::text as enabled
      from pg_trigger g
      join pg_class c on c.oid = g.tgrelid
      join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and not g.tgisinternal and g.tgparentid = 0`,
  );
  const objects: SchemaObject[] = [];
  for (const row of found) {
    const table = included.get(row.relation)?.display;
    if (table === undefined) continue;
    objects.push({
      kind: 'trigger',
      name: row.name,
      table,
      attributes: { definition: row.definition, enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled },
    });
  }
  return objects;
}

async function readEventTriggers(db: Kysely<any>): Promise<SchemaObject[]> {
  const found = await rows<{
    name: string;
    event: string;
    function: string;
    tags: string | null;
    enabled: string;
  }>(
    db,
    sql`select v.evtname as name, v.evtevent as event, v.evtfoid::regprocedure::text as function,
        nullif(array_to_string(array(select tag from unnest(v.evttags) tag order by tag), ', '), '') as tags,
        v.evtenabled::text as enabled
      from pg_event_trigger v
      where not ${extensionMember('pg_event_trigger', 'v.oid')}`,
  );
  return found.map((row) => ({
    kind: 'event',
    name: row.name,
    attributes: {
      event: row.event,
      function: row.function,
      tags: row.tags,
      enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled,
    },
  }));
}
