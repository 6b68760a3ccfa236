import type { Kysely } from 'kysely';
import type { SchemaSnapshot } from './snapshot.ts';

/** Options every snapshotter honours. */
export interface SnapshotOptions {
  /**
   * Tables left out of the snapshot, with everything that belongs to them: the migration
   * bookkeeping tables (`kysely_migration`, `kysely_migration_lock`, ...), whose rows change
   * with every step by design.
   */
  readonly excludeTables: readonly string[];
}

/** Reads a database's catalog into a {@link SchemaSnapshot}. One class per dialect. */
export interface SchemaSnapshotter {
  /** Snapshots the schema visible on `db`, which may be a transaction. */
  take(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot>;
}
