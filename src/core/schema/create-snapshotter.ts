import type { DialectName } from '../dialect.ts';
import { MysqlSnapshotter } from './mysql-snapshot.ts';
import { PostgresSnapshotter } from './postgres-snapshot.ts';
import type { SchemaSnapshotter } from './snapshotter.ts';

/** The snapshotter of a dialect (PGlite is Postgres). */
export function createSnapshotter(dialect: DialectName): SchemaSnapshotter {
  return dialect === 'postgres' ? new PostgresSnapshotter() : new MysqlSnapshotter();
}
