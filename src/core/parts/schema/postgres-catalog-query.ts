import type { Part } from './postgres-catalog-parts.ts';
import { ALL_PARTS, PART_SQL } from './postgres-catalog-parts.ts';
import type { Mode } from './postgres-catalog-sql.ts';
import { bareNamesSql, displaySql, scoped } from './postgres-catalog-sql.ts';

/**
 * Where the scoped query finds its owners: a transaction-local setting rather than parameters,
 * because a prepared statement without parameters always runs its one generic plan.
 */
export const SCOPE_SETTING = 'migration_gate.snapshot_scope';

/**
 * The scope, parsed once per execution from the owner keys in {@link SCOPE_SETTING}, and the
 * relations it names, resolved once by the pg_class name index for all the branches that read
 * objects of relations. Kinds never contain a colon, names may: the first colon ends the prefix.
 * Besides the owner names, the bare catalog names they may stand for (see `bareNamesSql`),
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

/** A row of the catalog query: one object's part of the read, as JSON. */
export interface PartRow {
  readonly part: Part;
  readonly data: unknown;
}

/**
 * The whole read as one statement: a union of one branch per part, rows as JSON, since a round
 * trip per part cost more than the catalog work of a scoped read.
 */
export function catalogQuery(mode: Mode, parts: readonly Part[] = ALL_PARTS): string {
  const union = parts
    .map((part) => `select '${part}'::text as part, row_to_json(q) as data from (${PART_SQL[part](mode)}) q`)
    .join('\nunion all\n');
  return mode === 'full' ? union : SCOPED_PROLOGUE + union;
}

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
