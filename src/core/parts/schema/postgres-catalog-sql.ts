// The SQL expressions the catalog query's branches are built from.
import { TRACKER_SCHEMA } from './postgres-names.ts';

/**
 * Which catalog query a branch belongs to: the full read, or the scoped one, which reads only
 * the objects of the owners in its scope (see postgres-catalog-query.ts).
 */
export type Mode = 'full' | 'scoped';

/**
 * A value of the scoped read's scope (see `scopeJson`). The cast matters: without it,
 * `= any((select ...))` would compare with each row of the subquery rather than the array's elements.
 */
export function scoped(key: string, type = 'text[]'): string {
  return `(select ${key} from scope)::${type}`;
}

/**
 * Every catalog name the display name `display` may stand for, as a lateral table of `name`: itself
 * (in `public`) and whatever follows each dot (in a schema; names may contain dots, so each split
 * is a candidate).
 */
export function bareNamesSql(display: string): string {
  return `lateral (select substr(${display}, dot + 1) as name from generate_series(0, length(${display})) dot
    where dot = 0 or substr(${display}, dot, 1) = '.') `;
}

/** The condition keeping a relation-owned branch to the named relations (`c` the relation). */
export function relationConditions(mode: Mode): string[] {
  return mode === 'full' ? [] : ['c.oid in (select oid from rel)'];
}

/** `where` with the conditions joined by `and`. */
export function where(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `where ${conditions.join('\n      and ')}`;
}

/**
 * Schemas users own; names starting with `pg_` are reserved, so this also covers toast and temp.
 * The change tracker's schema is the tool's, not the migration's.
 */
export function userSchema(alias: string): string {
  return `(${alias}.nspname <> 'information_schema' and ${alias}.nspname !~ '^pg_' and ${alias}.nspname <> '${TRACKER_SCHEMA}')`;
}

/** How a reader names an object in SQL: bare in `public`, qualified elsewhere (as `displayName`). */
export function displaySql(schema: string, name: string): string {
  return `(case when ${schema} = 'public' then ${name}::text else ${schema} || '.' || ${name} end)`;
}

/**
 * A type as `format_type` prints it, in the short forms a person writes and reads in a residue
 * ("varchar(255) became varchar(100)"): varchar(n), char(n), timestamp, timestamptz, time,
 * timetz, varbit(n), keeping the typmod and an array's []. Only unquoted built-in spellings at the
 * start match, so a user type named alike (quoted, or schema-qualified) stays as it is.
 */
export function shortType(formatted: string): string {
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
export function extensionMember(catalog: string, oid: string): string {
  return `exists (select from pg_depend e where e.classid = '${catalog}'::regclass
    and e.objid = ${oid} and e.deptype = 'e')`;
}

/**
 * The comment on an object. A plain subquery rather than obj_description(): that is a SQL
 * function the planner cannot inline, and calling it once per column cost more than the rest of
 * the column query together.
 */
export function description(catalog: string, oid: string, subId = '0'): string {
  return `(select d.description from pg_description d where d.objoid = ${oid}
    and d.classoid = '${catalog}'::regclass and d.objsubid = ${subId})`;
}
