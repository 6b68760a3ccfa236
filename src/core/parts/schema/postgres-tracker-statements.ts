// The SQL the Postgres change tracker sends: its catalog side (postgres-change-tracker.sql,
// installed once per database) and the short statements that start, probe and read its log.
import { readFileSync } from 'node:fs';
import { SCOPED_CATALOG_GROUPS } from './postgres-catalog-query.ts';
import { TRACKER_EVENT_TRIGGER_PREFIX, TRACKER_SCHEMA } from './postgres-names.ts';

const DDL_TRIGGER = `${TRACKER_EVENT_TRIGGER_PREFIX}ddl`;
const DROP_TRIGGER = `${TRACKER_EVENT_TRIGGER_PREFIX}drop`;

/** Where postgres-change-tracker.sql leaves room for the scoped catalog query's groups. */
const CATALOG_READS_MARKER = '-- {{scoped catalog reads}}';

let installProgram: string | undefined;

/**
 * The program that installs the tracker's schema, log tables, functions and event triggers
 * (see postgres-change-tracker.sql), read on first use: runs that never install the tracker
 * (on MySQL, or any command but check) do not read it.
 */
export function trackerInstallProgram(): string {
  // A literal `new URL(..., import.meta.url)`: the bundler recognises it and ships the file.
  installProgram ??= withCatalogReads(
    readFileSync(new URL('./postgres-change-tracker.sql', import.meta.url), 'utf8'),
  );
  return installProgram;
}

/**
 * The program with its marker replaced by one `if` per group of the scoped catalog query, which
 * `read_changes()` runs when the owners it read have one of the group's prefixes.
 */
function withCatalogReads(program: string): string {
  if (!program.includes(CATALOG_READS_MARKER))
    throw new Error(`postgres-change-tracker.sql lacks its marker ${CATALOG_READS_MARKER}`);
  const reads = SCOPED_CATALOG_GROUPS.map(
    ({ prefixes, sql: query }) => `if exists (select from unnest(read_owners) o
      where split_part(o, ':', 1) in (${prefixes.map((prefix) => `'${prefix}'`).join(', ')})) then
    return query select 'catalog'::text, q.part, q.data from (${query}) q;
  end if;`,
  ).join('\n  ');
  // A function, not a string: the query's `$` must not be read as a replacement pattern.
  return program.replace(CATALOG_READS_MARKER, () => reads);
}

const LOG_TABLES = ['touched', 'dropped', 'unknown'].map((table) => `${TRACKER_SCHEMA}.${table}`);

/**
 * Empties the log. DELETE, not TRUNCATE: truncating an unlogged table gives it new files and an
 * init fork, which cost several milliseconds per step, while the log holds a handful of rows.
 */
export const CLEAR = LOG_TABLES.map((table) => `delete from ${table}`).join(';\n');

/** Empties the log and drops its dead rows, which DELETE leaves (PGlite runs no autovacuum). */
export const CLEAR_FULLY = `truncate ${LOG_TABLES.join(', ')}`;

/** Whether the DDL at the end of the install program was logged, i.e. event triggers fire here. */
export const PROBE_FIRED = `select exists (select from ${TRACKER_SCHEMA}.touched
  where owner = 'relation:${TRACKER_SCHEMA}.install_probe') as fired`;

/**
 * The whole log in one round trip, with a row of its own when the event triggers are gone or
 * disabled (a step may have done either; then nothing it did since is known).
 */
export const READ_LOG = `with touched as (delete from ${TRACKER_SCHEMA}.touched returning owner),
    dropped as (delete from ${TRACKER_SCHEMA}.dropped returning *),
    unknown as (delete from ${TRACKER_SCHEMA}.unknown returning reason)
  select 'touched' as source, to_json(owner) as data from touched
  union all select 'dropped', row_to_json(d) from dropped d
  union all select 'unknown', to_json(reason) from unknown
  union all select 'unknown', to_json('the change tracker''s event triggers are gone or disabled'::text)
    where (select count(*) from pg_event_trigger
      where evtname in ('${DDL_TRIGGER}', '${DROP_TRIGGER}') and evtenabled = 'A') <> 2`;

/** The log and the scoped re-read in one statement (see `read_changes` in the install program). */
export const READ_CHANGES = `select source, part, data from ${TRACKER_SCHEMA}.read_changes()`;
