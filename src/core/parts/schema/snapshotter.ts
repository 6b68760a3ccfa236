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
  /**
   * When given, read only the objects of these owners (see `ownerKey` in change-scope.ts):
   * the objects whose owner key, or whose kind's every-owner key, is in the set. Objects of
   * other owners must not appear, so the result can be merged into an earlier snapshot.
   */
  readonly owners?: ReadonlySet<string>;
}

/** Reads a database's catalog into a {@link SchemaSnapshot}. One class per dialect. */
export interface SchemaSnapshotter {
  /** Snapshots the schema visible on `db`, which may be a transaction. */
  take(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot>;
}
