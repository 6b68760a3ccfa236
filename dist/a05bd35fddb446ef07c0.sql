-- The Postgres change tracker's catalog side, installed by PostgresChangeTracker.install() in one
-- transaction (replacing any earlier installation). Owner keys are computed at event time, while
-- the objects still exist, under search_path public so that they name objects exactly as the
-- snapshot does.
--
-- - touched: owner keys of objects a statement created, altered, commented or renamed, with the
--   old key of a renamed one, and the owners whose printed definitions mention a renamed object
--   (a view on a renamed table, a foreign key to a renamed column).
-- - dropped: what sql_drop reports; the TypeScript side resolves it, with the snapshot from
--   before the step where the catalog no longer can (the table of a dropped index).
-- - unknown: why a statement cannot be traced to owners; the step is then re-read whole.
-- - known: the owner key each object had after the last statement that touched it (seeded at
--   install), since a rename reports only the new name, and a dropped function only its oid and
--   a spelling of its argument types the snapshot does not use.
--
-- The names are the TypeScript side's: the schema migration_gate (TRACKER_SCHEMA), the event
-- triggers migration_gate_ddl and migration_gate_drop (TRACKER_EVENT_TRIGGER_PREFIX), the setting
-- migration_gate.snapshot_scope (SCOPE_SETTING). The marker in read_changes() is replaced by the
-- scoped catalog query when the program is loaded (postgres-tracker-statements.ts).

drop event trigger if exists migration_gate_ddl;
drop event trigger if exists migration_gate_drop;
drop schema if exists migration_gate cascade;
create schema migration_gate;
-- Unlogged: the log is scratch, and WAL for it would only slow every DDL statement down.
create unlogged table migration_gate.touched (owner text primary key);
create unlogged table migration_gate.dropped (
  catalog text, object_type text, schema_name text, object_name text, address_names text[], owner text,
  guess text
);
create unlogged table migration_gate.unknown (reason text not null);
create unlogged table migration_gate.known (
  classid oid not null, objid oid not null, owner text not null, primary key (classid, objid)
);

create function migration_gate.display(namespace oid, name name) returns text
language sql stable as $fn$
  select case when n.nspname = 'public' then $2::text else n.nspname || '.' || $2 end
  from pg_namespace n where n.oid = $1
$fn$;

-- The owner key of an object as the snapshot would key its owner; '' for an object no snapshot
-- records nor names (a cast, a policy); null when the object is gone or of an unknown catalog.
create function migration_gate.owner_of(cls oid, obj oid) returns text
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
        when c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') then 'relation:' || migration_gate.display(c.relnamespace, c.relname)
        when c.relkind = 'c' then 'type:' || migration_gate.display(c.relnamespace, c.relname)
        when c.relkind in ('i', 'I') then
          (select migration_gate.owner_of(cls, x.indrelid) from pg_index x where x.indexrelid = c.oid)
        when c.relkind = 't' then
          coalesce((select migration_gate.owner_of(cls, o.oid) from pg_class o where o.reltoastrelid = c.oid), '')
      end
      into result from pg_class c where c.oid = obj;
  when 'pg_type' then
    select case
        -- A table's row type is the table; an array type is its element type.
        when t.typtype = 'c' and c.relkind <> 'c' then migration_gate.owner_of('pg_class'::regclass, t.typrelid)
        when t.typtype = 'b' and t.typcategory = 'A' and t.typelem <> 0 then migration_gate.owner_of(cls, t.typelem)
        else 'type:' || migration_gate.display(t.typnamespace, t.typname)
      end
      into result from pg_type t left join pg_class c on c.oid = t.typrelid where t.oid = obj;
  when 'pg_proc' then
    select case when p.prokind = 'p' then 'procedure:' else 'function:' end
        || migration_gate.display(p.pronamespace, p.proname) || '(' || oidvectortypes(p.proargtypes) || ')'
      into result from pg_proc p where p.oid = obj;
  when 'pg_namespace' then
    select 'schema:' || n.nspname into result from pg_namespace n where n.oid = obj;
  when 'pg_extension' then
    select 'extension:' || x.extname into result from pg_extension x where x.oid = obj;
  when 'pg_event_trigger' then
    select 'event:' || v.evtname into result from pg_event_trigger v where v.oid = obj;
  when 'pg_constraint' then
    select case when k.conrelid <> 0 then migration_gate.owner_of('pg_class'::regclass, k.conrelid)
        else migration_gate.owner_of('pg_type'::regclass, k.contypid) end
      into result from pg_constraint k where k.oid = obj;
  when 'pg_trigger' then
    select migration_gate.owner_of('pg_class'::regclass, g.tgrelid) into result from pg_trigger g where g.oid = obj;
  when 'pg_attrdef' then
    select migration_gate.owner_of('pg_class'::regclass, d.adrelid) into result from pg_attrdef d where d.oid = obj;
  when 'pg_rewrite' then
    select migration_gate.owner_of('pg_class'::regclass, w.ev_class) into result from pg_rewrite w where w.oid = obj;
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
create function migration_gate.note(cls oid, obj oid) returns boolean
language plpgsql as $fn$
declare
  key text := migration_gate.owner_of(cls, obj);
  previous text;
begin
  if key is null then
    insert into migration_gate.unknown
      values (format('cannot tell what %s belongs to', coalesce(pg_describe_object(cls, obj, 0), 'an object')));
    return false;
  end if;
  if key = '' then
    return false;
  end if;
  insert into migration_gate.touched values (key) on conflict do nothing;
  select k.owner into previous from migration_gate.known k where k.classid = cls and k.objid = obj;
  if previous is distinct from key then
    insert into migration_gate.known values (cls, obj, key)
      on conflict (classid, objid) do update set owner = excluded.owner;
  end if;
  if previous is not null and previous <> key then
    insert into migration_gate.touched values (previous) on conflict do nothing;
    return true;
  end if;
  return false;
end
$fn$;

-- Logs the owners of everything that depends on an object, through the parts of it that come and
-- go with it (a table's row type, its array type): their printed definitions may name it.
create function migration_gate.note_dependents(cls oid, obj oid) returns void
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
    perform migration_gate.note(d.classid, d.objid);
  end loop;
end
$fn$;

-- Logs what a statement on a relation changes beyond it: a new or altered column reaches every
-- partition and inheriting table, and a table's sequences carry its name and column in their
-- ownership (an identity sequence even follows its column's type).
create function migration_gate.note_relation_parts(rel oid) returns void
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
    if migration_gate.note('pg_class'::regclass, part.oid) then
      perform migration_gate.note_dependents('pg_class'::regclass, part.oid);
    end if;
  end loop;
end
$fn$;

-- The owner keys of every object now in the database, as renames are detected against them.
create function migration_gate.remember_all() returns void
language plpgsql set search_path = public as $fn$
begin
  delete from migration_gate.known;
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
    select classid, objid, migration_gate.owner_of(classid, objid) as owner from candidate
  )
  insert into migration_gate.known (classid, objid, owner)
  select classid, objid, owner from keyed where owner is not null and owner <> '';
end
$fn$;

-- Security definer: a migration may SET ROLE to a user who cannot write the log.
create function migration_gate.on_ddl() returns event_trigger
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
      insert into migration_gate.unknown values (r.command_tag || ' changes objects it does not report');
      perform migration_gate.remember_all();
      continue;
    end if;
    if r.objid is null or r.objid = 0 then
      insert into migration_gate.unknown values (format('%s reports no object', r.command_tag));
      continue;
    end if;
    renamed := migration_gate.note(r.classid, r.objid);
    if r.classid = 'pg_class'::regclass then
      perform migration_gate.note_relation_parts(r.objid);
    end if;
    -- What else prints this object: after a rename (of it or, objsubid set, of a column), after
    -- ALTER TYPE (a renamed enum label prints differently in defaults and checks), and for
    -- objects no snapshot records but others print (a collation, an operator class).
    if not r.in_extension and (renamed
        or (r.objsubid <> 0 and r.command_tag <> 'COMMENT')
        or r.command_tag = 'ALTER TYPE'
        -- The catalogs of the objects a snapshot records:
        or (r.classid <> all (array['pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass,
            'pg_namespace'::regclass, 'pg_extension'::regclass, 'pg_event_trigger'::regclass,
            'pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_attrdef'::regclass,
            'pg_rewrite'::regclass]::oid[])
          and r.command_tag !~ '^CREATE')) then
      perform migration_gate.note_dependents(r.classid, r.objid);
    end if;
  end loop;
end
$fn$;

create function migration_gate.on_drop() returns event_trigger
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
      select k.owner into key from migration_gate.known k where k.classid = r.classid and k.objid = r.objid;
    elsif r.object_type = 'domain constraint' then
      -- The domain is still there when only its constraint went (by CASCADE from a function).
      key := migration_gate.owner_of('pg_type'::regclass, to_regtype(r.address_names[1]));
    end if;
    -- A likely owner, for read_changes() to re-read along with the touched ones: the known key (it
    -- may be stale after a rename), else the table an object of a table is addressed by. Only a
    -- guess: the TS side resolves every dropped object itself and re-reads what was missed.
    select k.owner into guess from migration_gate.known k where k.classid = r.classid and k.objid = r.objid;
    if guess is null and cardinality(r.address_names) >= 2 and (r.object_type = 'table column'
        or r.classid in ('pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_attrdef'::regclass)) then
      guess := 'relation:' || case when r.address_names[1] = 'public' then r.address_names[2]
        else r.address_names[1] || '.' || r.address_names[2] end;
    end if;
    delete from migration_gate.known k where k.classid = r.classid and k.objid = r.objid;
    insert into migration_gate.dropped
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
create function migration_gate.read_changes() returns table (source text, part text, data json)
language plpgsql set search_path = public set migration_gate.snapshot_scope = '[]' as $fn$
#variable_conflict use_column
declare
  touched_owners text[];
  dropped_rows json[];
  dropped_guesses text[];
  reasons text[];
  read_owners text[];
begin
  with d as (delete from migration_gate.touched returning owner)
    select coalesce(array_agg(d.owner), '{}') into touched_owners from d;
  with d as (delete from migration_gate.dropped returning *)
    select coalesce(array_agg(row_to_json(d)), '{}'),
        coalesce(array_agg(d.guess) filter (where d.guess <> ''), '{}')
      into dropped_rows, dropped_guesses from d;
  with d as (delete from migration_gate.unknown returning reason)
    select coalesce(array_agg(d.reason), '{}') into reasons from d;
  if (select count(*) from pg_event_trigger
      where evtname in ('migration_gate_ddl', 'migration_gate_drop') and evtenabled = 'A') <> 2 then
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
  perform set_config('migration_gate.snapshot_scope', to_json(read_owners)::text, true);
  return query select 'read'::text, null::text, to_json(read_owners);
  -- One `if` per group of the scoped catalog query (SCOPED_CATALOG_GROUPS), each returning its
  -- 'catalog' rows when the owners read have one of its prefixes. Static SQL without parameters:
  -- planned once per session, then run by its cached generic plan.
  -- {{scoped catalog reads}}
end
$fn$;

create event trigger migration_gate_ddl on ddl_command_end execute function migration_gate.on_ddl();
create event trigger migration_gate_drop on sql_drop execute function migration_gate.on_drop();
-- ALWAYS: a migration that sets session_replication_role to replica (to skip triggers in a bulk
-- load) would otherwise silence the tracker.
alter event trigger migration_gate_ddl enable always;
alter event trigger migration_gate_drop enable always;
select migration_gate.remember_all();
-- Proves that event triggers fire on this engine and session.
create table migration_gate.install_probe ();
drop table migration_gate.install_probe;
