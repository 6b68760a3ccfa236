import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { messageOf } from '../../model/errors.ts';
import type { ChangeRead, ChangeScope, ChangeTracker } from './change-scope.ts';
import { everyOwnerOfKind, ownerKey } from './change-scope.ts';
import type { PartRow } from './postgres-catalog-query.ts';
import { SCOPE_SETTING, SCOPED_CATALOG_GROUPS } from './postgres-catalog-query.ts';
import { displayName, TRACKER_EVENT_TRIGGER_PREFIX, TRACKER_SCHEMA } from './postgres-names.ts';
import { scopedSnapshotFromRows } from './postgres-snapshot.ts';
import { buildSnapshot } from './snapshot.ts';
import type { SchemaSnapshot } from './snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from './snapshotter.ts';

const DDL_TRIGGER = `${TRACKER_EVENT_TRIGGER_PREFIX}ddl`;
/** The catalogs of objects a snapshot records, as an SQL array of their oids. */
const RECORDED_CATALOGS = `array[${[
  'pg_class',
  'pg_type',
  'pg_proc',
  'pg_namespace',
  'pg_extension',
  'pg_event_trigger',
  'pg_constraint',
  'pg_trigger',
  'pg_attrdef',
  'pg_rewrite',
]
  .map((catalog) => `'${catalog}'::regclass`)
  .join(', ')}]::oid[]`;
const DROP_TRIGGER = `${TRACKER_EVENT_TRIGGER_PREFIX}drop`;

/**
 * The tracker's catalog side. Owner keys are computed at event time, while the objects still
 * exist, under search_path `public` so that they name objects exactly as the snapshot does.
 *
 * - `touched`: owner keys of objects a statement created, altered, commented or renamed, with
 *   the old key of a renamed one, and the owners whose printed definitions mention a renamed
 *   object (a view on a renamed table, a foreign key to a renamed column).
 * - `dropped`: what `sql_drop` reports; the TS side resolves it, with the snapshot from before
 *   the step where the catalog no longer can (the table of a dropped index).
 * - `unknown`: why a statement cannot be traced to owners; the step is then re-read whole.
 * - `known`: the owner key each object had after the last statement that touched it (seeded at
 *   install), since a rename reports only the new name, and a dropped function only its oid
 *   and a spelling of its argument types the snapshot does not use.
 */
const INSTALL = `
drop event trigger if exists ${DDL_TRIGGER};
drop event trigger if exists ${DROP_TRIGGER};
drop schema if exists ${TRACKER_SCHEMA} cascade;
create schema ${TRACKER_SCHEMA};
-- Unlogged: the log is scratch, and WAL for it would only slow every DDL statement down.
create unlogged table ${TRACKER_SCHEMA}.touched (owner text primary key);
create unlogged table ${TRACKER_SCHEMA}.dropped (
  catalog text, object_type text, schema_name text, object_name text, address_names text[], owner text,
  guess text
);
create unlogged table ${TRACKER_SCHEMA}.unknown (reason text not null);
create unlogged table ${TRACKER_SCHEMA}.known (
  classid oid not null, objid oid not null, owner text not null, primary key (classid, objid)
);

create function ${TRACKER_SCHEMA}.display(namespace oid, name name) returns text
language sql stable as $fn$
  select case when n.nspname = 'public' then $2::text else n.nspname || '.' || $2 end
  from pg_namespace n where n.oid = $1
$fn$;

-- The owner key of an object as the snapshot would key its owner; '' for an object no snapshot
-- records nor names (a cast, a policy); null when the object is gone or of an unknown catalog.
create function ${TRACKER_SCHEMA}.owner_of(cls oid, obj oid) returns text
language plpgsql stable as $fn$
declare
  result text;
begin
  if cls is null or obj is null then
    return null;
  end if;
  case (select relname::text from pg_class where oid = cls)
  when 'pg_class' then
    select case
        when c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') then 'relation:' || ${TRACKER_SCHEMA}.display(c.relnamespace, c.relname)
        when c.relkind = 'c' then 'type:' || ${TRACKER_SCHEMA}.display(c.relnamespace, c.relname)
        when c.relkind in ('i', 'I') then
          (select ${TRACKER_SCHEMA}.owner_of(cls, x.indrelid) from pg_index x where x.indexrelid = c.oid)
        when c.relkind = 't' then
          coalesce((select ${TRACKER_SCHEMA}.owner_of(cls, o.oid) from pg_class o where o.reltoastrelid = c.oid), '')
      end
      into result from pg_class c where c.oid = obj;
  when 'pg_type' then
    select case
        -- A table's row type is the table; an array type is its element type.
        when t.typtype = 'c' and c.relkind <> 'c' then ${TRACKER_SCHEMA}.owner_of('pg_class'::regclass, t.typrelid)
        when t.typtype = 'b' and t.typcategory = 'A' and t.typelem <> 0 then ${TRACKER_SCHEMA}.owner_of(cls, t.typelem)
        else 'type:' || ${TRACKER_SCHEMA}.display(t.typnamespace, t.typname)
      end
      into result from pg_type t left join pg_class c on c.oid = t.typrelid where t.oid = obj;
  when 'pg_proc' then
    select case when p.prokind = 'p' then 'procedure:' else 'function:' end
        || ${TRACKER_SCHEMA}.display(p.pronamespace, p.proname) || '(' || oidvectortypes(p.proargtypes) || ')'
      into result from pg_proc p where p.oid = obj;
  when 'pg_namespace' then
    select 'schema:' || n.nspname into result from pg_namespace n where n.oid = obj;
  when 'pg_extension' then
    select 'extension:' || x.extname into result from pg_extension x where x.oid = obj;
  when 'pg_event_trigger' then
    select 'event:' || v.evtname into result from pg_event_trigger v where v.oid = obj;
  when 'pg_constraint' then
    select case when k.conrelid <> 0 then ${TRACKER_SCHEMA}.owner_of('pg_class'::regclass, k.conrelid)
        else ${TRACKER_SCHEMA}.owner_of('pg_type'::regclass, k.contypid) end
      into result from pg_constraint k where k.oid = obj;
  when 'pg_trigger' then
    select ${TRACKER_SCHEMA}.owner_of('pg_class'::regclass, g.tgrelid) into result from pg_trigger g where g.oid = obj;
  when 'pg_attrdef' then
    select ${TRACKER_SCHEMA}.owner_of('pg_class'::regclass, d.adrelid) into result from pg_attrdef d where d.oid = obj;
  when 'pg_rewrite' then
    select ${TRACKER_SCHEMA}.owner_of('pg_class'::regclass, w.ev_class) into result from pg_rewrite w where w.oid = obj;
  when 'pg_policy', 'pg_statistic_ext', 'pg_collation', 'pg_conversion', 'pg_cast', 'pg_language',
      'pg_transform', 'pg_am', 'pg_amop', 'pg_amproc', 'pg_opclass', 'pg_opfamily', 'pg_operator',
      'pg_ts_config', 'pg_ts_dict', 'pg_ts_parser', 'pg_ts_template', 'pg_foreign_data_wrapper',
      'pg_foreign_server', 'pg_user_mapping', 'pg_default_acl', 'pg_publication', 'pg_publication_rel',
      'pg_publication_namespace', 'pg_largeobject_metadata' then
    result := '';
  else
    result := null;
  end case;
  return result;
end
$fn$;

-- Logs an object's owner key, and its previous one when it changed (a rename, a move to another
-- schema); returns whether it changed. An object that cannot be traced makes the step unknown.
create function ${TRACKER_SCHEMA}.note(cls oid, obj oid) returns boolean
language plpgsql as $fn$
declare
  key text := ${TRACKER_SCHEMA}.owner_of(cls, obj);
  previous text;
begin
  if key is null then
    insert into ${TRACKER_SCHEMA}.unknown
      values (format('cannot tell what %s belongs to', coalesce(pg_describe_object(cls, obj, 0), 'an object')));
    return false;
  end if;
  if key = '' then
    return false;
  end if;
  insert into ${TRACKER_SCHEMA}.touched values (key) on conflict do nothing;
  select k.owner into previous from ${TRACKER_SCHEMA}.known k where k.classid = cls and k.objid = obj;
  if previous is distinct from key then
    insert into ${TRACKER_SCHEMA}.known values (cls, obj, key)
      on conflict (classid, objid) do update set owner = excluded.owner;
  end if;
  if previous is not null and previous <> key then
    insert into ${TRACKER_SCHEMA}.touched values (previous) on conflict do nothing;
    return true;
  end if;
  return false;
end
$fn$;

-- Logs the owners of everything that depends on an object, through the parts of it that come and
-- go with it (a table's row type, its array type): their printed definitions may name it.
create function ${TRACKER_SCHEMA}.note_dependents(cls oid, obj oid) returns void
language plpgsql as $fn$
declare
  d record;
begin
  for d in
    with recursive dependent (classid, objid, deptype, depth) as (
      select e.classid, e.objid, e.deptype, 1 from pg_depend e
      where e.refclassid = cls and e.refobjid = obj and e.deptype in ('n', 'a', 'i')
      union
      select e.classid, e.objid, e.deptype, p.depth + 1 from dependent p
      join pg_depend e on e.refclassid = p.classid and e.refobjid = p.objid
      where p.deptype in ('a', 'i') and p.depth < 4 and e.deptype in ('n', 'a', 'i')
    )
    select distinct classid, objid from dependent
  loop
    perform ${TRACKER_SCHEMA}.note(d.classid, d.objid);
  end loop;
end
$fn$;

-- Logs what a statement on a relation changes beyond it: a new or altered column reaches every
-- partition and inheriting table, and a table's sequences carry its name and column in their
-- ownership (an identity sequence even follows its column's type).
create function ${TRACKER_SCHEMA}.note_relation_parts(rel oid) returns void
language plpgsql as $fn$
declare
  part record;
begin
  for part in
    with recursive descendant (oid) as (
      select i.inhrelid from pg_inherits i where i.inhparent = rel
      union
      select i.inhrelid from descendant p join pg_inherits i on i.inhparent = p.oid
    )
    select oid from descendant
    union
    select d.objid from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S'
    where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
      and d.refobjid = rel and d.deptype in ('a', 'i')
  loop
    if ${TRACKER_SCHEMA}.note('pg_class'::regclass, part.oid) then
      perform ${TRACKER_SCHEMA}.note_dependents('pg_class'::regclass, part.oid);
    end if;
  end loop;
end
$fn$;

-- The owner keys of every object now in the database, as renames are detected against them.
create function ${TRACKER_SCHEMA}.remember_all() returns void
language plpgsql set search_path = public as $fn$
begin
  delete from ${TRACKER_SCHEMA}.known;
  -- Materialized: otherwise the filter on owner_of() is pushed below the schema filter and runs
  -- for every catalog row, pg_catalog's thousands of functions included.
  with candidate (classid, objid) as materialized (
    select 'pg_class'::regclass::oid, c.oid
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'f', 'v', 'm', 'S', 'c') and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
    union all
    select 'pg_type'::regclass::oid, t.oid
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
    union all
    select 'pg_proc'::regclass::oid, p.oid
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
    union all
    select 'pg_namespace'::regclass::oid, n.oid
    from pg_namespace n where n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
    union all
    select 'pg_extension'::regclass::oid, x.oid from pg_extension x
  ),
  keyed as materialized (
    select classid, objid, ${TRACKER_SCHEMA}.owner_of(classid, objid) as owner from candidate
  )
  insert into ${TRACKER_SCHEMA}.known (classid, objid, owner)
  select classid, objid, owner from keyed where owner is not null and owner <> '';
end
$fn$;

-- Security definer: a migration may SET ROLE to a user who cannot write the log.
create function ${TRACKER_SCHEMA}.on_ddl() returns event_trigger
language plpgsql security definer set search_path = public as $fn$
declare
  r record;
  renamed boolean;
begin
  for r in select * from pg_event_trigger_ddl_commands() loop
    if r.command_tag in ('GRANT', 'REVOKE', 'ALTER DEFAULT PRIVILEGES') then
      -- Privileges are not part of a snapshot.
      continue;
    end if;
    if r.command_tag in ('ALTER SCHEMA', 'ALTER EXTENSION') then
      -- A renamed schema renames everything in it, an updated extension may change its members
      -- and what depends on them: none of that is reported object by object.
      insert into ${TRACKER_SCHEMA}.unknown values (r.command_tag || ' changes objects it does not report');
      perform ${TRACKER_SCHEMA}.remember_all();
      continue;
    end if;
    if r.objid is null or r.objid = 0 then
      insert into ${TRACKER_SCHEMA}.unknown values (format('%s reports no object', r.command_tag));
      continue;
    end if;
    renamed := ${TRACKER_SCHEMA}.note(r.classid, r.objid);
    if r.classid = 'pg_class'::regclass then
      perform ${TRACKER_SCHEMA}.note_relation_parts(r.objid);
    end if;
    -- What else prints this object: after a rename (of it or, objsubid set, of a column), after
    -- ALTER TYPE (a renamed enum label prints differently in defaults and checks), and for
    -- objects no snapshot records but others print (a collation, an operator class).
    if not r.in_extension and (renamed
        or (r.objsubid <> 0 and r.command_tag <> 'COMMENT')
        or r.command_tag = 'ALTER TYPE'
        or (r.classid <> all (${RECORDED_CATALOGS}) and r.command_tag !~ '^CREATE')) then
      perform ${TRACKER_SCHEMA}.note_dependents(r.classid, r.objid);
    end if;
  end loop;
end
$fn$;

create function ${TRACKER_SCHEMA}.on_drop() returns event_trigger
language plpgsql security definer set search_path = public as $fn$
declare
  r record;
  key text;
  guess text;
begin
  for r in select * from pg_event_trigger_dropped_objects() loop
    key := null;
    if r.classid = 'pg_proc'::regclass then
      -- A dropped function names its argument types unlike the snapshot: its key is the known
      -- one. One never noted (a range type's constructor) is found by name in the TS side.
      select k.owner into key from ${TRACKER_SCHEMA}.known k where k.classid = r.classid and k.objid = r.objid;
    elsif r.object_type = 'domain constraint' then
      -- The domain is still there when only its constraint went (by CASCADE from a function).
      key := ${TRACKER_SCHEMA}.owner_of('pg_type'::regclass, to_regtype(r.address_names[1]));
    end if;
    -- A likely owner, for read_changes() to re-read along with the touched ones: the known key (it
    -- may be stale after a rename), else the table an object of a table is addressed by. Only a
    -- guess: the TS side resolves every dropped object itself and re-reads what was missed.
    select k.owner into guess from ${TRACKER_SCHEMA}.known k where k.classid = r.classid and k.objid = r.objid;
    if guess is null and cardinality(r.address_names) >= 2 and (r.object_type = 'table column'
        or r.classid in ('pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_attrdef'::regclass)) then
      guess := 'relation:' || case when r.address_names[1] = 'public' then r.address_names[2]
        else r.address_names[1] || '.' || r.address_names[2] end;
    end if;
    delete from ${TRACKER_SCHEMA}.known k where k.classid = r.classid and k.objid = r.objid;
    insert into ${TRACKER_SCHEMA}.dropped
      values ((select relname::text from pg_class where oid = r.classid), r.object_type, r.schema_name,
        r.object_name, r.address_names, key, coalesce(key, guess));
  end loop;
end
$fn$;

-- The log, read and cleared, and the objects of the owners it names (with the guessed owners of
-- dropped objects, and every event trigger), in one statement: one round trip and one implicit
-- transaction, so the scoped re-read after a step costs no BEGIN, settings nor COMMIT of its own.
-- Rows: 'touched', 'dropped', 'unknown' as in READ_LOG; then, unless a reason is unknown, 'read'
-- with the owner keys read, and 'catalog' rows of the scoped catalog query.
create function ${TRACKER_SCHEMA}.read_changes() returns table (source text, part text, data json)
language plpgsql set search_path = public set ${SCOPE_SETTING} = '[]' as $fn$
#variable_conflict use_column
declare
  touched_owners text[];
  dropped_rows json[];
  dropped_guesses text[];
  reasons text[];
  read_owners text[];
begin
  with d as (delete from ${TRACKER_SCHEMA}.touched returning owner)
    select coalesce(array_agg(d.owner), '{}') into touched_owners from d;
  with d as (delete from ${TRACKER_SCHEMA}.dropped returning *)
    select coalesce(array_agg(row_to_json(d)), '{}'),
        coalesce(array_agg(d.guess) filter (where d.guess <> ''), '{}')
      into dropped_rows, dropped_guesses from d;
  with d as (delete from ${TRACKER_SCHEMA}.unknown returning reason)
    select coalesce(array_agg(d.reason), '{}') into reasons from d;
  if (select count(*) from pg_event_trigger
      where evtname in ('${DDL_TRIGGER}', '${DROP_TRIGGER}') and evtenabled = 'A') <> 2 then
    reasons := reasons || 'the change tracker''s event triggers are gone or disabled'::text;
  end if;
  return query
    select 'touched'::text, null::text, to_json(o) from unnest(touched_owners) o
    union all select 'dropped', null, x from unnest(dropped_rows) x
    union all select 'unknown', null, to_json(r) from unnest(reasons) r;
  if cardinality(reasons) > 0 then
    return;
  end if;
  read_owners := array(select distinct o from unnest('{event:*}' || touched_owners || dropped_guesses) o);
  -- Local to this function: its SET clause names the same setting.
  perform set_config('${SCOPE_SETTING}', to_json(read_owners)::text, true);
  return query select 'read'::text, null::text, to_json(read_owners);
  -- Static SQL without parameters: planned once per session, then run by its cached generic plan.
  ${SCOPED_CATALOG_GROUPS.map(
    ({ prefixes, sql: query }) => `if exists (select from unnest(read_owners) o
      where split_part(o, ':', 1) in (${prefixes.map((prefix) => `'${prefix}'`).join(', ')})) then
    return query select 'catalog'::text, q.part, q.data from (${query}) q;
  end if;`,
  ).join('\n  ')}
end
$fn$;

create event trigger ${DDL_TRIGGER} on ddl_command_end execute function ${TRACKER_SCHEMA}.on_ddl();
create event trigger ${DROP_TRIGGER} on sql_drop execute function ${TRACKER_SCHEMA}.on_drop();
-- ALWAYS: a migration that sets session_replication_role to replica (to skip triggers in a bulk
-- load) would otherwise silence the tracker.
alter event trigger ${DDL_TRIGGER} enable always;
alter event trigger ${DROP_TRIGGER} enable always;
select ${TRACKER_SCHEMA}.remember_all();
-- Proves that event triggers fire on this engine and session.
create table ${TRACKER_SCHEMA}.install_probe ();
drop table ${TRACKER_SCHEMA}.install_probe;
`;

const LOG_TABLES = ['touched', 'dropped', 'unknown'].map((table) => `${TRACKER_SCHEMA}.${table}`);

/**
 * Empties the log. DELETE, not TRUNCATE: truncating an unlogged table gives it new files and an
 * init fork, which cost several milliseconds per step, while the log holds a handful of rows.
 */
const CLEAR = LOG_TABLES.map((table) => `delete from ${table}`).join(';\n');

/** Empties the log and drops its dead rows, which DELETE leaves (PGlite runs no autovacuum). */
const CLEAR_FULLY = `truncate ${LOG_TABLES.join(', ')}`;

/** How many steps' dead log rows may pile up before {@link CLEAR_FULLY} sweeps them. */
const STEPS_BETWEEN_SWEEPS = 200;

/** Whether the DDL at the end of {@link INSTALL} was logged, i.e. event triggers fire here. */
const PROBE_FIRED = `select exists (select from ${TRACKER_SCHEMA}.touched
  where owner = 'relation:${TRACKER_SCHEMA}.install_probe') as fired`;

/**
 * The whole log in one round trip, with a row of its own when the event triggers are gone or
 * disabled (a step may have done either; then nothing it did since is known).
 */
const READ_LOG = `with touched as (delete from ${TRACKER_SCHEMA}.touched returning owner),
    dropped as (delete from ${TRACKER_SCHEMA}.dropped returning *),
    unknown as (delete from ${TRACKER_SCHEMA}.unknown returning reason)
  select 'touched' as source, to_json(owner) as data from touched
  union all select 'dropped', row_to_json(d) from dropped d
  union all select 'unknown', to_json(reason) from unknown
  union all select 'unknown', to_json('the change tracker''s event triggers are gone or disabled'::text)
    where (select count(*) from pg_event_trigger
      where evtname in ('${DDL_TRIGGER}', '${DROP_TRIGGER}') and evtenabled = 'A') <> 2`;

/** The log and the scoped re-read in one statement (see `read_changes` in {@link INSTALL}). */
const READ_CHANGES = `select source, part, data from ${TRACKER_SCHEMA}.read_changes()`;

/** A row of {@link READ_CHANGES}: a {@link LogRow}, the owner keys read, or a catalog row. */
interface ReadChangesRow {
  readonly source: 'touched' | 'dropped' | 'unknown' | 'read' | 'catalog';
  readonly part: string | null;
  readonly data: unknown;
}

/** A row of `migration_gate.dropped`: one object `sql_drop` reported. */
interface DroppedRow {
  readonly catalog: string | null;
  readonly object_type: string | null;
  readonly schema_name: string | null;
  readonly object_name: string | null;
  readonly address_names: readonly string[] | null;
  /** The owner key the trigger could tell (a function's, a domain constraint's), else null. */
  readonly owner: string | null;
}

type LogRow =
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
 * Learns what a step changed from Postgres event triggers: `ddl_command_end` names every object
 * a statement created or altered (and the trigger resolves its owner while it exists), `sql_drop`
 * every object dropped, cascades included. Statements in a transaction that rolled back leave
 * no trace, rightly so. CREATE/ALTER/DROP EVENT TRIGGER fire no event trigger, so event triggers
 * are always re-read. Needs a superuser; otherwise {@link install} says no and every snapshot is
 * a full one.
 */
export class PostgresChangeTracker implements ChangeTracker {
  /**
   * Creates the `migration_gate` schema, its log tables and functions, and the two event
   * triggers, replacing any earlier installation. Returns false, leaving nothing behind, when
   * the user may not create event triggers or they do not fire here.
   */
  async install(db: Kysely<any>): Promise<boolean> {
    const notFiring = new Error('event triggers do not fire');
    try {
      await db.transaction().execute(async (trx) => {
        await sql.raw(INSTALL).execute(trx);
        const probe = await sql.raw<{ fired: boolean }>(PROBE_FIRED).execute(trx);
        if (probe.rows[0]?.fired !== true) throw notFiring;
        await sql.raw(CLEAR).execute(trx);
      });
      this.#logEmpty = true;
      return true;
    } catch (error) {
      // Both roll the installation back: nothing of it is left.
      if (error === notFiring || isInsufficientPrivilege(error)) return false;
      throw error;
    }
  }

  #startsSinceSweep = 0;
  /** Whether the log is known to be empty: {@link changes} read and cleared it in one statement. */
  #logEmpty = false;

  /** Empties the log, so that {@link changes} reports only the step that runs next. */
  async start(db: Kysely<any>): Promise<void> {
    this.#startsSinceSweep += 1;
    const sweep = this.#startsSinceSweep >= STEPS_BETWEEN_SWEEPS;
    if (sweep) this.#startsSinceSweep = 0;
    // In the proof's usual rhythm (step, changes, step, changes) the log is already empty: a
    // round trip per step saved.
    if (this.#logEmpty && !sweep) {
      this.#logEmpty = false;
      return;
    }
    this.#logEmpty = false;
    await sql.raw(sweep ? CLEAR_FULLY : CLEAR).execute(db);
  }

  /**
   * The owners the statements since {@link start} touched, always with every event trigger;
   * `everything` when one of them cannot be traced to owners or the tracker was tampered with.
   */
  async changes(db: Kysely<any>, before: SchemaSnapshot): Promise<ChangeScope> {
    let rows: LogRow[];
    try {
      rows = (await sql.raw<LogRow>(READ_LOG).execute(db)).rows;
      this.#logEmpty = true;
    } catch (error) {
      // A step may have dropped the tracker's schema; then nothing it did since is known.
      return { everything: true, reason: `the change log cannot be read: ${messageOf(error)}` };
    }
    return scopeOfLog(rows, before);
  }

  /**
   * {@link changes} and the re-read of the owners it finds, in one round trip: the log is read
   * and cleared by a server-side function that also runs the scoped catalog query for the
   * touched owners and the likely owners of dropped objects. Owners only the snapshot from
   * before can tell (the table of a dropped index the log never saw created, the former
   * partitions of a touched table) are re-read by `snapshotter` in a second read, which is rare.
   */
  async changesWithSnapshot(
    db: Kysely<any>,
    before: SchemaSnapshot,
    snapshotter: SchemaSnapshotter,
    options: Omit<SnapshotOptions, 'owners'>,
  ): Promise<ChangeRead> {
    let rows: ReadChangesRow[];
    try {
      rows = (await sql.raw<ReadChangesRow>(READ_CHANGES).execute(db)).rows;
      this.#logEmpty = true;
    } catch (error) {
      return { everything: true, reason: `the change log cannot be read: ${messageOf(error)}` };
    }
    const log: LogRow[] = [];
    const catalog: PartRow[] = [];
    let readOwners: ReadonlySet<string> = new Set();
    for (const row of rows) {
      if (row.source === 'catalog') catalog.push({ part: row.part as PartRow['part'], data: row.data });
      else if (row.source === 'read') readOwners = new Set(row.data as string[]);
      else log.push({ source: row.source, data: row.data } as LogRow);
    }
    const scope = scopeOfLog(log, before);
    if (scope.everything) return scope;
    // Owner keys the rows cannot stand for (a type named `*` reads as every type) are read anew.
    const read = scopedSnapshotFromRows(catalog, readOwners, options.excludeTables);
    if (read === undefined) {
      const reread = await snapshotter.take(db, { ...options, owners: scope.owners });
      return { everything: false, owners: scope.owners, reread };
    }
    // An owner that was itself dropped (a table, with its row type) is gone unless the step made
    // it anew, which the log would show as touched and the rows hold: its objects in `before`
    // are merely removed by the merge, with no read.
    const gone = goneOwners(log, before);
    const missed = new Set([...scope.owners].filter((owner) => !readOwners.has(owner) && !gone.has(owner)));
    // The guessed owners that turn out not to be the step's were re-read all the same: that is
    // harmless (a re-read shows them as they are), so they join the owners to merge.
    const owners = new Set([...scope.owners, ...readOwners]);
    if (missed.size === 0) return { everything: false, owners, reread: read };
    const more = await snapshotter.take(db, { ...options, owners: missed });
    const objects = [...Object.values(read.objects), ...Object.values(more.objects)];
    return { everything: false, owners, reread: buildSnapshot('postgres', objects) };
  }

  /** Nothing to do: event triggers see every statement on the server side. */
  observe(_sql: string): void {}
}

/** The owners a step touched, from its log: always every event trigger (see the class). */
function scopeOfLog(rows: readonly LogRow[], before: SchemaSnapshot): ChangeScope {
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
function goneOwners(rows: readonly LogRow[], before: SchemaSnapshot): Set<string> {
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

function isInsufficientPrivilege(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '42501';
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
