import type { DialectName } from '../../model/dialect.ts';
import type { ChangeTracker } from './change-scope.ts';
import { MysqlChangeTracker } from './mysql-change-tracker.ts';
import { MysqlSnapshotter } from './mysql-snapshot.ts';
import { PostgresChangeTracker } from './postgres-change-tracker.ts';
import { PostgresSnapshotter } from './postgres-snapshot.ts';
import type { SchemaSnapshotter } from './snapshotter.ts';

/** The snapshotter of a dialect (PGlite is Postgres). */
export function createSnapshotter(dialect: DialectName): SchemaSnapshotter {
  return dialect === 'postgres' ? new PostgresSnapshotter() : new MysqlSnapshotter();
}

/** The change tracker of a dialect, so snapshots after a step re-read only what it touched. */
export function createChangeTracker(dialect: DialectName): ChangeTracker {
  return dialect === 'postgres' ? new PostgresChangeTracker() : new MysqlChangeTracker();
}
