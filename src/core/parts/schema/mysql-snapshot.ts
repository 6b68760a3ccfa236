import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { ownedBy } from './change-scope.ts';
import type { Catalog } from './mysql-catalog.ts';
import { probeOptionalColumns, rows, text, textOr } from './mysql-catalog.ts';
import { readColumns } from './mysql-catalog-columns.ts';
import { readEvents, readRoutines, readTriggers, readViews } from './mysql-catalog-definitions.ts';
import { readChecks, readForeignKeys, readIndexes, uniqueKeys } from './mysql-catalog-keys.ts';
import { readSequences, readTables } from './mysql-catalog-tables.ts';
import { mysqlFlavorOf, stripDatabaseQualifier } from './mysql-catalog-values.ts';
import { ReadPlan } from './mysql-read-plan.ts';
import { buildSnapshot } from './snapshot.ts';
import type { SchemaObject, SchemaSnapshot } from './snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from './snapshotter.ts';

/**
 * Snapshots a MySQL 8 or MariaDB 10.6+ database from information_schema: the current
 * database only, with its name stripped from everything the server qualifies with it.
 *
 * With `owners`, only the named relations, routines and events are read: every catalog
 * query is filtered by name, which MariaDB and MySQL answer by opening only the named
 * tables, and queries for kinds no owner needs are skipped. One instance serves a whole
 * run, so it keeps what it learned about the server (not about the database, which a
 * reset replaces).
 */
export class MysqlSnapshotter implements SchemaSnapshotter {
  /** The optional information_schema columns of each server version seen, as `TABLE.COLUMN`. */
  readonly #optionalColumns = new Map<string, ReadonlySet<string>>();

  /** Reads the catalog of the current database (`database()`) on `db`, one query at a time. */
  async take(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot> {
    const catalog = await this.#readCatalog(db, options);
    const plan = new ReadPlan(options.owners);
    const objects: SchemaObject[] = [];
    const tables = await readTables(catalog, plan, objects);
    const sequenceTypes = await readColumns(
      catalog,
      tables,
      plan.derive(tables.complete, tables.bound, 'column', 'sequence'),
      objects,
    );
    await readSequences(catalog, tables.sequences, sequenceTypes, objects);
    await readIndexes(catalog, plan.derive(tables.complete, tables.bound, 'index'), objects);
    const constraints: SchemaObject[] = [];
    const constraintFilter = plan.derive(tables.complete, tables.bound, 'constraint');
    await readForeignKeys(catalog, constraintFilter, constraints);
    await readChecks(catalog, constraintFilter, constraints);
    objects.push(...uniqueKeys(constraints));
    await readViews(catalog, plan.derive(tables.complete, tables.views, 'view'), objects);
    await readRoutines(catalog, plan.names('function'), plan.names('procedure'), objects);
    await readTriggers(catalog, plan.derive(tables.complete, tables.bound, 'trigger'), objects);
    await readEvents(catalog, plan.names('event'), objects);
    // The queries only narrow the reading down (name comparisons may ignore case); the
    // owners decide exactly, so that a merge replaces precisely what was re-read.
    const owners = options.owners;
    return buildSnapshot('mysql', owners === undefined ? objects : objects.filter((o) => ownedBy(o, owners)));
  }

  async #readCatalog(db: Kysely<any>, options: SnapshotOptions): Promise<Catalog> {
    const [identity] = await rows({ db }, sql`select database() as name, version() as version`);
    const database = text(identity?.['name']);
    if (database === null)
      throw new Error('cannot snapshot the schema: the connection has no current database');
    const version = textOr(identity?.['version'], '');
    let columns = this.#optionalColumns.get(version);
    if (columns === undefined) {
      columns = await probeOptionalColumns(db);
      this.#optionalColumns.set(version, columns);
    }
    const known = columns;
    return {
      db,
      database,
      flavor: mysqlFlavorOf(version),
      excluded: new Set(options.excludeTables),
      has: (table, column) => known.has(`${table}.${column}`),
      strip: (value) => (value === null ? null : stripDatabaseQualifier(value, database)),
    };
  }
}
