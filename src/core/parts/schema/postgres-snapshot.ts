import type { Kysely } from 'kysely';
import { assemble } from './postgres-catalog-assembly.ts';
import type { PartRow } from './postgres-catalog-query.ts';
import { catalogQuery, SCOPE_SETTING } from './postgres-catalog-query.ts';
import { preparedQuery, readCatalog } from './postgres-catalog-session.ts';
import { readableByName, readScope, scopeJson, wantsNothing } from './postgres-snapshot-scope.ts';
import { buildSnapshot } from './snapshot.ts';
import type { SchemaSnapshot } from './snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from './snapshotter.ts';

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
    // Nothing to read: no round trip at all.
    if (wantsNothing(scope)) return buildSnapshot('postgres', []);
    // A kind wanted whole (other than the few event triggers) is most of a full read anyway: the
    // full query is run and the objects picked here, keeping the scoped query to name lookups.
    const found = readableByName(scope)
      ? await readCatalog<PartRow>(db, SCOPED_QUERY, {
          [SCOPE_SETTING]: scopeJson(options.owners ?? new Set()),
        })
      : await readCatalog<PartRow>(db, FULL_QUERY);
    return buildSnapshot('postgres', assemble(found, scope, options.excludeTables));
  }
}

/**
 * The snapshot of the objects of `owners` from rows `SCOPED_CATALOG_GROUPS` returned for them;
 * undefined when those owners cannot be read by name (a kind wanted whole, other than event
 * triggers), so that the rows do not stand for them.
 */
export function scopedSnapshotFromRows(
  rows: readonly PartRow[],
  owners: ReadonlySet<string>,
  excludeTables: readonly string[],
): SchemaSnapshot | undefined {
  const scope = readScope(owners);
  if (!readableByName(scope)) return undefined;
  return buildSnapshot('postgres', assemble(rows, scope, excludeTables));
}

const FULL_QUERY = preparedQuery('migration_gate_snapshot_full', catalogQuery('full'));
const SCOPED_QUERY = preparedQuery('migration_gate_snapshot_scoped', catalogQuery('scoped'));
