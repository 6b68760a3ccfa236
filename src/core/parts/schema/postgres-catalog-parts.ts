import { TRACKER_EVENT_TRIGGER_PREFIX } from './postgres-names.ts';
import type { Mode } from './postgres-catalog-sql.ts';
import {
  description,
  displaySql,
  extensionMember,
  relationConditions,
  scoped,
  shortType,
  userSchema,
  where,
} from './postgres-catalog-sql.ts';

/** The parts of the catalog query, each a union branch with rows of its own shape. */
export type Part =
  | 'schema'
  | 'extension'
  | 'relation'
  | 'column'
  | 'constraint'
  | 'index'
  | 'type'
  | 'function'
  | 'trigger'
  | 'event';

/** The SQL of each part's branch, as the full or the scoped query reads it. */
export const PART_SQL: Readonly<Record<Part, (mode: Mode) => string>> = {
  schema: schemasSql,
  extension: extensionsSql,
  relation: relationsSql,
  column: columnsSql,
  constraint: constraintsSql,
  index: indexesSql,
  type: typesSql,
  function: functionsSql,
  trigger: triggersSql,
  event: eventTriggersSql,
};

/** Every part, in the order the catalog query reads them. */
export const ALL_PARTS = Object.keys(PART_SQL) as Part[];

function schemasSql(mode: Mode): string {
  return `select n.nspname as name, ${description('pg_namespace', 'n.oid')} as comment
    from pg_namespace n
    ${where([
      userSchema('n'),
      `n.nspname <> 'public'`,
      `not ${extensionMember('pg_namespace', 'n.oid')}`,
      ...(mode === 'full' ? [] : [`n.nspname::text = any(${scoped('schema')})`]),
    ])}`;
}

function extensionsSql(mode: Mode): string {
  return `select x.extname as name, x.extversion as version, n.nspname as schema
    from pg_extension x join pg_namespace n on n.oid = x.extnamespace
    ${where(mode === 'full' ? [] : [`x.extname::text = any(${scoped('extension')})`])}`;
}

function relationsSql(mode: Mode): string {
  // The sequence owner is resolved here, not by looking it up among the relations read, since a
  // scoped read holds only the sequence; so are the parents' names of an inheriting table.
  return `select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind,
      c.relpersistence::text as persistence, c.relrowsecurity as rls, c.relforcerowsecurity as force_rls,
      c.relreplident::text as replica_identity,
      nullif(array_to_string(array(select o from unnest(c.reloptions) o order by o), ', '), '') as options,
      ${description('pg_class', 'c.oid')} as comment,
      case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partition_key,
      case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as partition_bound,
      array(select case when pc.oid is null then '?' else ${displaySql('pn.nspname', 'pc.relname')} end
        from pg_inherits i
        left join pg_class pc on pc.oid = i.inhparent and pc.relkind in ('r', 'p', 'f', 'v', 'm', 'S')
        left join pg_namespace pn on pn.oid = pc.relnamespace
        where i.inhrelid = c.oid order by i.inhseqno) as parents,
      case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end as definition,
      ${extensionMember('pg_class', 'c.oid')} as in_extension,
      owner.relation as owner_relation, owner.found as owner_found, owner.schema as owner_schema,
      owner.name as owner_name, owner.in_extension as owner_in_extension, owner.column_name as owner_column,
      format_type(s.seqtypid, null) as seq_type, s.seqstart::text as seq_start,
      s.seqincrement::text as seq_increment, s.seqmin::text as seq_min, s.seqmax::text as seq_max,
      s.seqcache::text as seq_cache, s.seqcycle as seq_cycle
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_sequence s on s.seqrelid = c.oid
    left join lateral (
      -- The column a sequence belongs to: 'a' for serial and OWNED BY, 'i' for identity.
      select d.refobjid::text as relation, a.attname as column_name,
        (oc.relkind in ('r', 'p', 'f', 'v', 'm', 'S') and ${userSchema('o')}) as found,
        o.nspname as schema, oc.relname as name, ${extensionMember('pg_class', 'oc.oid')} as in_extension
      from pg_depend d
      join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
      join pg_class oc on oc.oid = d.refobjid
      join pg_namespace o on o.oid = oc.relnamespace
      where c.relkind = 'S' and d.classid = 'pg_class'::regclass and d.objid = c.oid
        and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0 and d.deptype in ('a', 'i')
      limit 1
    ) owner on true
    ${where([userSchema('n'), `c.relkind in ('r', 'p', 'f', 'v', 'm', 'S')`, ...relationConditions(mode)])}`;
}

function columnsSql(mode: Mode): string {
  return `select a.attrelid::text as relation, a.attname as name,
      ${shortType('format_type(a.atttypid, a.atttypmod)')} as type, a.attnotnull as not_null,
      case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default_value,
      case when a.attgenerated <> '' then pg_get_expr(ad.adbin, ad.adrelid) end as generated,
      a.attgenerated::text as generated_kind, a.attidentity::text as identity,
      -- Only a collation other than the type's own is a choice the migration made.
      case when a.attcollation <> t.typcollation then a.attcollation::regcollation::text end as collation,
      ${description('pg_class', 'a.attrelid', 'a.attnum')} as comment,
      (row_number() over (partition by a.attrelid order by a.attnum))::int as position
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type t on t.oid = a.atttypid
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    ${where([
      userSchema('n'),
      `c.relkind in ('r', 'p', 'f') and a.attnum > 0 and not a.attisdropped`,
      ...relationConditions(mode),
    ])}`;
}

function constraintsSql(mode: Mode): string {
  // Not-null constraints (catalogued from Postgres 18) are the columns' nullability; constraint
  // triggers are recorded as triggers; and a constraint with a parent is the server's copy of
  // that parent on a partition (or per referenced partition, under the same name).
  return `select k.conrelid::text as relation, k.conname as name, k.contype::text as type,
      pg_get_constraintdef(k.oid) as definition, k.convalidated as validated,
      k.condeferrable as deferrable, k.condeferred as deferred,
      k.confupdtype::text as on_update, k.confdeltype::text as on_delete,
      ${description('pg_constraint', 'k.oid')} as comment
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    ${where([
      userSchema('n'),
      `k.contype in ('p', 'u', 'c', 'f', 'x') and k.conparentid = 0`,
      ...relationConditions(mode),
    ])}`;
}

function indexesSql(mode: Mode): string {
  // An index behind a primary key, unique or exclusion constraint is that constraint's; an index
  // that is a partition of another is the server's copy of its parent. An index lives in its
  // table's schema, so the table's namespace serves for both.
  return `select x.indrelid::text as relation, ic.relname as name,
      pg_get_indexdef(x.indexrelid) as definition, x.indisunique as unique, am.amname as method,
      pg_get_expr(x.indpred, x.indrelid) as predicate, x.indisvalid as valid,
      ${description('pg_class', 'x.indexrelid')} as comment
    from pg_index x
    join pg_class ic on ic.oid = x.indexrelid
    join pg_am am on am.oid = ic.relam
    join pg_class c on c.oid = x.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    ${where([
      userSchema('n'),
      `not ic.relispartition`,
      `not exists (select from pg_constraint k where k.conindid = x.indexrelid
        and k.conrelid = x.indrelid and k.contype in ('p', 'u', 'x'))`,
      ...relationConditions(mode),
    ])}`;
}

function triggersSql(mode: Mode): string {
  // Internal triggers implement foreign keys, already recorded as constraints; a trigger with
  // a parent is the server's copy of a partitioned table's trigger on one partition.
  return `select g.tgrelid::text as relation, g.tgname as name, pg_get_triggerdef(g.oid) as definition,
      g.tgenabled::text as enabled
    from pg_trigger g
    join pg_class c on c.oid = g.tgrelid
    join pg_namespace n on n.oid = c.relnamespace
    ${where([userSchema('n'), `not g.tgisinternal and g.tgparentid = 0`, ...relationConditions(mode)])}`;
}

function typesSql(mode: Mode): string {
  // Enum, domain, standalone composite and range types: base types need C code, and array,
  // row and multirange types come with the type or table they belong to.
  return `select n.nspname as schema, t.typname as name, t.typtype::text as type,
      (select string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder)
        from pg_enum e where e.enumtypid = t.oid) as labels,
      case when t.typtype = 'd' then ${shortType('format_type(t.typbasetype, t.typtypmod)')} end as base_type,
      t.typdefault as default_value, t.typnotnull as not_null,
      (select string_agg(quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), ', ' order by k.conname)
        from pg_constraint k where k.contypid = t.oid and k.contype = 'c') as checks,
      case when t.typtype = 'd' and t.typcollation <> b.typcollation then t.typcollation::regcollation::text end
        as collation,
      (select string_agg(quote_ident(a.attname) || ' ' || ${shortType('format_type(a.atttypid, a.atttypmod)')}, ', '
          order by a.attnum)
        from pg_attribute a where t.typtype = 'c' and a.attrelid = t.typrelid and a.attnum > 0
          and not a.attisdropped) as fields,
      ${shortType('format_type(r.rngsubtype, null)')} as subtype,
      (select o.opcname from pg_opclass o where o.oid = r.rngsubopc) as subtype_opclass,
      nullif(r.rngsubdiff::regproc::text, '-') as subtype_diff,
      nullif(r.rngcanonical::regproc::text, '-') as canonical,
      ${description('pg_type', 't.oid')} as comment
    from pg_type t
    join pg_namespace n on n.oid = t.typnamespace
    left join pg_type b on b.oid = t.typbasetype
    left join pg_range r on r.rngtypid = t.oid
    ${where([
      userSchema('n'),
      `t.typtype in ('e', 'd', 'c', 'r')`,
      `(t.typtype <> 'c' or exists (select from pg_class c where c.oid = t.typrelid and c.relkind = 'c'))`,
      `not ${extensionMember('pg_type', 't.oid')}`,
      ...(mode === 'full'
        ? []
        : [
            `t.typname = any(${scoped('typname', 'name[]')})`,
            `${displaySql('n.nspname', 't.typname')} = any(${scoped('type')})`,
          ]),
    ])}`;
}

function functionsSql(mode: Mode): string {
  // Aggregates are left out: pg_get_functiondef cannot print them. So are functions that are part
  // of another object (a range type's constructors), which come and go with it. The argument
  // types in the name tell overloads apart, as Postgres itself does.
  const signature = `(${displaySql('n.nspname', 'p.proname')} || '(' || oidvectortypes(p.proargtypes) || ')')`;
  return `select n.nspname as schema, p.proname as name, oidvectortypes(p.proargtypes) as args,
      p.prokind::text as kind, pg_get_functiondef(p.oid) as definition,
      ${description('pg_proc', 'p.oid')} as comment
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    ${where([
      userSchema('n'),
      `p.prokind in ('f', 'w', 'p')`,
      ...(mode === 'full'
        ? []
        : [
            `p.proname = any(${scoped('proname', 'name[]')})`,
            `((p.prokind <> 'p' and ${signature} = any(${scoped('function')}))
              or (p.prokind = 'p' and ${signature} = any(${scoped('procedure')})))`,
          ]),
      `not ${extensionMember('pg_proc', 'p.oid')}`,
      `not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid
        and d.deptype = 'i')`,
    ])}`;
}

function eventTriggersSql(mode: Mode): string {
  return `select v.evtname as name, v.evtevent as event, v.evtfoid::regprocedure::text as function,
      nullif(array_to_string(array(select tag from unnest(v.evttags) tag order by tag), ', '), '') as tags,
      v.evtenabled::text as enabled
    from pg_event_trigger v
    ${where([
      `not ${extensionMember('pg_event_trigger', 'v.oid')}`,
      `not starts_with(v.evtname, '${TRACKER_EVENT_TRIGGER_PREFIX}')`,
      ...(mode === 'full'
        ? []
        : [`(${scoped('every_event', 'boolean')} or v.evtname::text = any(${scoped('event')}))`]),
    ])}`;
}
