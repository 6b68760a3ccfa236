import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { buildSnapshot } from './snapshot.ts';
import type { AttributeValue, SchemaObject, SchemaObjectKind, SchemaSnapshot } from './snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from './snapshotter.ts';

/**
 * The schema the Postgres change tracker keeps its log in; it and everything in it are never part
 * of a snapshot, since they are the tool's own and not the migration's.
 */
export const TRACKER_SCHEMA = 'migration_gate';

/** The prefix of the change tracker's event triggers, left out of every snapshot for the same reason. */
export const TRACKER_EVENT_TRIGGER_PREFIX = 'migration_gate_';

/**
 * Reads a Postgres catalog (servers 13 and later, and PGlite) into a snapshot. Objects in
 * `public` carry bare names, others `schema.name`; `public` itself is not listed, since every
 * database has it. An extension is listed, its member objects are not; nor are copies the server
 * derives from a parent (a partition's cloned indexes, foreign keys and triggers), nor the change
 * tracker's own schema and event triggers. OIDs, owners, grants, tablespaces, statistics and
 * sequence values are never recorded; column position only as a note. Not covered: policies,
 * rules, statistics objects, operators, casts, aggregates.
 *
 * With `owners`, only the objects of those owners are read, filtered inside the catalog query.
 * The catalog query is one statement, prepared once per session: planning it cost several times
 * what running it does, and a scoped read should cost little more than its three round trips.
 */
export class PostgresSnapshotter implements SchemaSnapshotter {
  async take(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot> {
    const scope = readScope(options.owners);
    // Nothing to read (an empty owner set, or only keys no object can have): no round trip at all.
    if (!scope.full && !ALL_KINDS.some((kind) => wantsKind(scope, kind)))
      return buildSnapshot('postgres', []);
    // A kind wanted whole (other than the few event triggers) is most of a full read anyway: the
    // full query is run and the objects picked here, keeping the scoped query to name lookups.
    const byName = !scope.full && [...scope.everyKind].every((kind) => kind === 'event');
    const query = byName ? SCOPED_QUERY : FULL_QUERY;
    const setup = [`select set_config('search_path', 'public', true)`];
    if (byName)
      setup.push(
        `select set_config('${SCOPE_SETTING}', ${dollarQuoted(scopeJson(options.owners ?? new Set()))}, true)`,
      );
    const found = db.isTransaction
      ? await inCallerTransaction(db, [...setup, query.prepareIfMissing], query.name)
      : await db.connection().execute((connection) => inOwnTransaction(connection, setup, query));
    return buildSnapshot('postgres', assemble(found, scope, options.excludeTables));
  }
}

/** A row of the catalog query: one object's part of the read, as JSON. */
export interface PartRow {
  readonly part: Part;
  readonly data: unknown;
}

/**
 * The snapshot of the objects of `owners` from rows {@link SCOPED_CATALOG_GROUPS} returned for them;
 * undefined when those owners cannot be read by name (a kind wanted whole, other than event
 * triggers), so that the rows do not stand for them.
 */
export function scopedSnapshotFromRows(
  rows: readonly PartRow[],
  owners: ReadonlySet<string>,
  excludeTables: readonly string[],
): SchemaSnapshot | undefined {
  const scope = readScope(owners);
  if (![...scope.everyKind].every((kind) => kind === 'event')) return undefined;
  return buildSnapshot('postgres', assemble(rows, scope, excludeTables));
}

/**
 * Runs the catalog query in a read-only transaction of its own on one pinned session: the
 * transaction gives one consistent view, and keeps the settings it makes local to it.
 */
async function inOwnTransaction(
  db: Kysely<any>,
  setup: readonly string[],
  query: PreparedQuery,
): Promise<PartRow[]> {
  // Most reads find the statement prepared by an earlier one on the same session; sending the
  // prepare (the whole catalog query) every time cost more than the read itself.
  try {
    return await readInTransaction(db, setup, query.name);
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNDEFINED_PREPARED_STATEMENT) throw error;
    return await readInTransaction(db, [...setup, query.prepareIfMissing], query.name);
  }
}

/** SQLSTATE invalid_sql_statement_name: this session has not prepared the statement yet. */
const UNDEFINED_PREPARED_STATEMENT = '26000';

async function readInTransaction(
  db: Kysely<any>,
  setup: readonly string[],
  name: string,
): Promise<PartRow[]> {
  // BEGIN and the setup go in one round trip (a statement list without parameters is sent with
  // the simple protocol), since round trips are most of what a scoped read costs.
  await sql.raw(['start transaction read only', ...setup].join(';\n')).execute(db);
  let found: PartRow[];
  try {
    found = (await sql.raw<PartRow>(`execute ${name}`).execute(db)).rows;
  } catch (error) {
    // The first error is the one worth reporting; a rollback on a broken session fails too.
    await sql`rollback`.execute(db).catch(() => {});
    throw error;
  }
  await sql`commit`.execute(db);
  return found;
}

/**
 * Runs the catalog query in the caller's transaction, so the snapshot sees its uncommitted DDL,
 * and puts the caller's search_path back afterwards (the setting is transaction-local).
 */
async function inCallerTransaction(
  db: Kysely<any>,
  setup: readonly string[],
  name: string,
): Promise<PartRow[]> {
  const saved = (await sql<{ path: string }>`select current_setting('search_path') as path`.execute(db)).rows;
  const restore = sql`select set_config('search_path', ${sql.lit(saved[0]?.path ?? '')}, true)`;
  let found: PartRow[];
  try {
    await sql.raw(setup.join(';\n')).execute(db);
    found = (await sql.raw<PartRow>(`execute ${name}`).execute(db)).rows;
  } catch (error) {
    // After a failed query the transaction is aborted and refuses the restore too; the first
    // error is the one worth reporting.
    await restore.execute(db).catch(() => {});
    throw error;
  }
  await restore.execute(db);
  return found;
}

/**
 * `text` as a dollar-quoted SQL literal. The tag is one whose first occurrence in text plus
 * closing tag is the closing tag itself: text merely not containing it is not enough, since text
 * ending in `$mg` would close `$mg$` early.
 */
function dollarQuoted(text: string): string {
  for (let tag = 'mg'; ; tag += '_') {
    const quote = `$${tag}$`;
    if ((text + quote).indexOf(quote) === text.length) return `${quote}${text}${quote}`;
  }
}

// ---------------------------------------------------------------------------------------------
// What to read

const ALL_KINDS: readonly SchemaObjectKind[] = [
  'schema',
  'extension',
  'table',
  'column',
  'constraint',
  'index',
  'view',
  'materialized view',
  'sequence',
  'type',
  'function',
  'procedure',
  'trigger',
  'event',
];

/** The kinds whose objects belong to a relation (`relation:<name>` owner keys). */
const RELATION_OWNED_KINDS: readonly SchemaObjectKind[] = [
  'table',
  'view',
  'materialized view',
  'sequence',
  'column',
  'constraint',
  'index',
  'trigger',
];

/** What one take reads: per kind, every object or only those of some owner names. */
interface ReadScope {
  /** True for a full snapshot. */
  readonly full: boolean;
  /** Kinds whose every object is wanted (`kind:*` owner keys). */
  readonly everyKind: ReadonlySet<string>;
  /** Owner names by owner prefix: `relation`, `type`, `function`, `procedure`, ... */
  readonly names: ReadonlyMap<string, readonly string[]>;
}

function readScope(owners: ReadonlySet<string> | undefined): ReadScope {
  if (owners === undefined) return { full: true, everyKind: new Set(), names: new Map() };
  const everyKind = new Set<string>();
  const names = new Map<string, string[]>();
  for (const owner of owners) {
    // Kinds never contain a colon, names may: the first colon ends the prefix.
    const colon = owner.indexOf(':');
    if (colon < 0) continue;
    const prefix = owner.slice(0, colon);
    const name = owner.slice(colon + 1);
    // `type:*` is every type (which includes one named `*`); `relation` is no kind, so
    // `relation:*` can only be a relation named `*`.
    if (name === '*' && prefix !== 'relation') everyKind.add(prefix);
    else {
      const list = names.get(prefix) ?? [];
      list.push(name);
      names.set(prefix, list);
    }
  }
  return { full: false, everyKind, names };
}

/** Whether any object of `kind` may be read. */
function wantsKind(scope: ReadScope, kind: SchemaObjectKind): boolean {
  if (scope.full || scope.everyKind.has(kind)) return true;
  return (scope.names.get(ownerPrefixOf(kind)) ?? []).length > 0;
}

/** Whether an object of `kind` owned by `name` (its relation, or itself) is wanted. */
function wantsObject(scope: ReadScope, kind: SchemaObjectKind, name: string): boolean {
  if (scope.full || scope.everyKind.has(kind)) return true;
  return (scope.names.get(ownerPrefixOf(kind)) ?? []).includes(name);
}

function ownerPrefixOf(kind: SchemaObjectKind): string {
  return RELATION_OWNED_KINDS.includes(kind) ? 'relation' : kind;
}

/**
 * The scope as the scoped query reads it from {@link SCOPE_SETTING}: the owner keys themselves,
 * which the query splits by prefix (so that the change tracker's server side, which knows only
 * owner keys, can set the same scope).
 */
function scopeJson(owners: ReadonlySet<string>): string {
  return JSON.stringify([...owners]);
}

// ---------------------------------------------------------------------------------------------
// The catalog query

/**
 * Where the scoped query finds its owners: a transaction-local setting rather than parameters,
 * because a prepared statement without parameters always runs its one generic plan.
 */
export const SCOPE_SETTING = 'migration_gate.snapshot_scope';

type Mode = 'full' | 'scoped';

/** A catalog query, and the statement that prepares it in a session that lacks it. */
interface PreparedQuery {
  readonly name: string;
  readonly prepareIfMissing: string;
}

function preparedQuery(mode: Mode): PreparedQuery {
  const text = catalogQuery(mode);
  // The hash in the name keeps a session from running a statement an older version prepared.
  const name = `migration_gate_snapshot_${mode}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  // PREPARE has no IF NOT EXISTS; a DO block checks, in the same round trip as BEGIN.
  const prepare = `prepare ${name} as ${text}`;
  return {
    name,
    prepareIfMissing: `do ${dollarQuoted(`begin
      if not exists (select from pg_prepared_statements where name = '${name}') then
        execute ${dollarQuoted(prepare)};
      end if;
    end`)}`,
  };
}

/**
 * A value of the scoped read's scope (see {@link scopeJson}). The cast matters: without it,
 * `= any((select ...))` would compare with each row of the subquery rather than the array's elements.
 */
function scoped(key: string, type = 'text[]'): string {
  return `(select ${key} from scope)::${type}`;
}

/**
 * The scope, parsed once per execution from the owner keys in {@link SCOPE_SETTING}, and the
 * relations it names, resolved once by the pg_class name index for all the branches that read
 * objects of relations. Kinds never contain a colon, names may: the first colon ends the prefix.
 * Besides the owner names, the bare catalog names they may stand for (see {@link bareNamesSql}),
 * so that the branches can look them up by the catalogs' name indexes; the owner names decide.
 */
const SCOPED_PROLOGUE = `with owner_key as materialized (
    select split_part(k, ':', 1) as prefix, substr(k, strpos(k, ':') + 1) as name
    from jsonb_array_elements_text(current_setting('${SCOPE_SETTING}')::jsonb) k
    where strpos(k, ':') > 0
  ),
  scope as materialized (
    select ${['relation', 'type', 'function', 'procedure', 'schema', 'extension']
      .map((key) => `array(select name from owner_key where prefix = '${key}') as ${key}`)
      .join(',\n      ')},
      array(select name from owner_key where prefix = 'event' and name <> '*') as event,
      exists (select from owner_key where prefix = 'event' and name = '*') as every_event,
      array(select distinct b.name from owner_key o, ${bareNamesSql('o.name')} b
        where o.prefix = 'relation')::name[] as relname,
      array(select distinct b.name from owner_key o, ${bareNamesSql('o.name')} b
        where o.prefix = 'type')::name[] as typname,
      -- A signature's name ends at one of its parentheses (names may contain them too).
      array(select distinct b.name from owner_key o,
          generate_series(1, length(o.name)) paren,
          ${bareNamesSql('left(o.name, paren - 1)')} b
        where o.prefix in ('function', 'procedure') and substr(o.name, paren, 1) = '(')::name[] as proname
    from (select 1) one
  ),
  rel as materialized (
    select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relname = any(${scoped('relname', 'name[]')})
      and ${displaySql('n.nspname', 'c.relname')} = any(${scoped('relation')})
  )
`;

/**
 * Every catalog name the display name `display` may stand for, as a lateral table of `name`: itself
 * (in `public`) and whatever follows each dot (in a schema; names may contain dots, so each split
 * is a candidate).
 */
function bareNamesSql(display: string): string {
  return `lateral (select substr(${display}, dot + 1) as name from generate_series(0, length(${display})) dot
    where dot = 0 or substr(${display}, dot, 1) = '.') `;
}

/** The condition keeping a relation-owned branch to the named relations (`c` the relation). */
function relationConditions(mode: Mode): string[] {
  return mode === 'full' ? [] : ['c.oid in (select oid from rel)'];
}

/** `where` with the conditions joined by `and`. */
function where(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `where ${conditions.join('\n      and ')}`;
}

/**
 * Schemas users own; names starting with `pg_` are reserved, so this also covers toast and temp.
 * The change tracker's schema is the tool's, not the migration's.
 */
function userSchema(alias: string): string {
  return `(${alias}.nspname <> 'information_schema' and ${alias}.nspname !~ '^pg_' and ${alias}.nspname <> '${TRACKER_SCHEMA}')`;
}

/** How a reader names an object in SQL: bare in `public`, qualified elsewhere (as {@link displayName}). */
function displaySql(schema: string, name: string): string {
  return `(case when ${schema} = 'public' then ${name}::text else ${schema} || '.' || ${name} end)`;
}

/** How a snapshot names an object of a schema: bare in `public`, `schema.name` elsewhere. */
export function displayName(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`;
}

/**
 * A type as `format_type` prints it, in the short forms a person writes and reads in a residue
 * ("varchar(255) became varchar(100)"): varchar(n), char(n), timestamp, timestamptz, time,
 * timetz, varbit(n), keeping the typmod and an array's []. Only unquoted built-in spellings at the
 * start match, so a user type named alike (quoted, or schema-qualified) stays as it is.
 */
function shortType(formatted: string): string {
  const rules: [string, string][] = [
    ['^character varying', 'varchar'],
    ['^character(?=\\(|\\[|$)', 'char'],
    ['^bit varying', 'varbit'],
    ['^timestamp(\\(\\d+\\))? without time zone', 'timestamp\\1'],
    ['^timestamp(\\(\\d+\\))? with time zone', 'timestamptz\\1'],
    ['^time(\\(\\d+\\))? without time zone', 'time\\1'],
    ['^time(\\(\\d+\\))? with time zone', 'timetz\\1'],
  ];
  // The cheap prefix test keeps the common types (integer, text) out of the regular expressions.
  const replaced = rules.reduce(
    (expression, [pattern, replacement]) => `regexp_replace(${expression}, '${pattern}', '${replacement}')`,
    'f.t',
  );
  return `(select case when f.t ~ '^(character|bit varying|time)' then ${replaced} else f.t end
    from (select ${formatted} as t) f)`;
}

/** True when the object (row `oid` of `catalog`) was created by an extension. */
function extensionMember(catalog: string, oid: string): string {
  return `exists (select from pg_depend e where e.classid = '${catalog}'::regclass
    and e.objid = ${oid} and e.deptype = 'e')`;
}

/**
 * The comment on an object. A plain subquery rather than obj_description(): that is a SQL
 * function the planner cannot inline, and calling it once per column cost more than the rest of
 * the column query together.
 */
function description(catalog: string, oid: string, subId = '0'): string {
  return `(select d.description from pg_description d where d.objoid = ${oid}
    and d.classoid = '${catalog}'::regclass and d.objsubid = ${subId})`;
}

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

/**
 * The whole read as one statement: a union of one branch per part, rows as JSON, since a round
 * trip per part cost more than the catalog work of a scoped read.
 */
function catalogQuery(mode: Mode, parts: readonly Part[] = ALL_PARTS): string {
  const union = parts
    .map((part) => `select '${part}'::text as part, row_to_json(q) as data from (${PART_SQL[part](mode)}) q`)
    .join('\nunion all\n');
  return mode === 'full' ? union : SCOPED_PROLOGUE + union;
}

const PART_SQL: Readonly<Record<Part, (mode: Mode) => string>> = {
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

const ALL_PARTS = Object.keys(PART_SQL) as Part[];

const FULL_QUERY = preparedQuery('full');
const SCOPED_QUERY = preparedQuery('scoped');

/**
 * The scoped catalog query in groups of parts, for the change tracker to run on the server side
 * right after reading its log: each group is a statement with rows of `part` and `data`, the
 * objects of the owner keys in {@link SCOPE_SETTING} read under search_path `public`, to be run
 * only when the scope has owners of one of its `prefixes`. A step usually touches relations
 * alone, and starting up the branches of a plan that find nothing cost a good part of a read.
 */
export const SCOPED_CATALOG_GROUPS: readonly CatalogGroup[] = (
  [
    [['relation'], ['relation', 'column', 'constraint', 'index', 'trigger']],
    [['type'], ['type']],
    [['function', 'procedure'], ['function']],
    [
      ['schema', 'extension'],
      ['schema', 'extension'],
    ],
    [['event'], ['event']],
  ] as const
).map(([prefixes, parts]) => ({ prefixes, sql: catalogQuery('scoped', parts) }));

/** A statement of the scoped catalog query, for owners with one of `prefixes`. */
export interface CatalogGroup {
  readonly prefixes: readonly string[];
  readonly sql: string;
}

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

// ---------------------------------------------------------------------------------------------
// From rows to objects

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
  parents: string[];
  definition: string | null;
  in_extension: boolean;
  owner_relation: string | null;
  owner_found: boolean | null;
  owner_schema: string | null;
  owner_name: string | null;
  owner_in_extension: boolean | null;
  owner_column: string | null;
  seq_type: string | null;
  seq_start: string | null;
  seq_increment: string | null;
  seq_min: string | null;
  seq_max: string | null;
  seq_cache: string | null;
  seq_cycle: boolean | null;
}

interface Relation extends RelationRow {
  readonly display: string;
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

interface FunctionRow {
  schema: string;
  name: string;
  args: string;
  kind: string;
  definition: string;
  comment: string | null;
}

interface TriggerRow {
  relation: string;
  name: string;
  definition: string;
  enabled: string;
}

interface EventTriggerRow {
  name: string;
  event: string;
  function: string;
  tags: string | null;
  enabled: string;
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

function assemble(
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

function relationObjects(relations: Iterable<Relation>): SchemaObject[] {
  const objects: SchemaObject[] = [];
  for (const relation of relations) {
    const tableKind = TABLE_KINDS[relation.kind];
    if (tableKind !== undefined) {
      const isPartition = relation.partition_bound !== null;
      objects.push({
        kind: 'table',
        name: relation.display,
        attributes: {
          kind: tableKind,
          persistence: relation.persistence === 'u' ? 'unlogged' : 'permanent',
          partitionKey: relation.partition_key,
          partitionOf: isPartition ? (relation.parents[0] ?? null) : null,
          partitionBound: relation.partition_bound,
          inherits: !isPartition && relation.parents.length > 0 ? relation.parents.join(', ') : null,
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
    } else if (relation.kind === 'S' && relation.seq_type !== null) {
      // Parameters only: last_value and is_called live in the sequence itself and move with every
      // insert. Text, because bigint bounds do not fit a JavaScript number.
      const owner =
        relation.owner_schema === null || relation.owner_name === null
          ? null
          : `${displayName(relation.owner_schema, relation.owner_name)}.${relation.owner_column ?? '?'}`;
      objects.push({
        kind: 'sequence',
        name: relation.display,
        attributes: {
          type: relation.seq_type,
          start: relation.seq_start,
          increment: relation.seq_increment,
          min: relation.seq_min,
          max: relation.seq_max,
          cache: relation.seq_cache,
          cycle: relation.seq_cycle,
          ownedBy: relation.owner_relation === null ? null : owner,
          comment: relation.comment,
        },
      });
    }
  }
  return objects;
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

function schemaObject(row: { name: string; comment: string | null }): SchemaObject {
  return { kind: 'schema', name: row.name, attributes: { comment: row.comment } };
}

function extensionObject(row: { name: string; version: string; schema: string }): SchemaObject {
  return { kind: 'extension', name: row.name, attributes: { version: row.version, schema: row.schema } };
}

function columnObject(row: ColumnRow, table: string): SchemaObject {
  return {
    kind: 'column',
    name: `${table}.${row.name}`,
    table,
    attributes: {
      type: row.type,
      nullable: !row.not_null,
      default: row.default_value,
      identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
      generated: row.generated,
      generatedStorage: row.generated_kind === 's' ? 'stored' : row.generated_kind === 'v' ? 'virtual' : null,
      collation: row.collation,
      comment: row.comment,
    },
    notes: { position: row.position },
  };
}

function constraintObject(row: ConstraintRow, table: string): SchemaObject {
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
  return { kind: 'constraint', name: row.name, table, attributes };
}

function indexObject(row: IndexRow, table: string): SchemaObject {
  return {
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
  };
}

function typeObject(row: TypeRow): SchemaObject {
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
      return { kind: 'type', name, attributes: { type: 'composite', fields: row.fields ?? '', comment } };
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
}

function functionObject(row: FunctionRow): SchemaObject {
  return {
    kind: row.kind === 'p' ? 'procedure' : 'function',
    name: `${displayName(row.schema, row.name)}(${row.args})`,
    attributes: { definition: row.definition, comment: row.comment },
  };
}

function triggerObject(row: TriggerRow, table: string): SchemaObject {
  return {
    kind: 'trigger',
    name: row.name,
    table,
    attributes: { definition: row.definition, enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled },
  };
}

function eventTriggerObject(row: EventTriggerRow): SchemaObject {
  return {
    kind: 'event',
    name: row.name,
    attributes: {
      event: row.event,
      function: row.function,
      tags: row.tags,
      enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled,
    },
  };
}
