import type { Logger } from '../../model/logger.ts';
import type { ChangeTracker } from '../schema/change-scope.ts';
import { mergeSnapshot } from '../schema/change-scope.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { SchemaSnapshotter } from '../schema/snapshotter.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';

/** What the snapshots of a proof are taken with. */
export interface SnapshotSource {
  readonly throwaway: ThrowawayDatabase;
  readonly snapshotter: SchemaSnapshotter;
  /** Without one, every snapshot reads the whole catalog. */
  readonly tracker?: ChangeTracker;
  readonly excludeTables: readonly string[];
  readonly logger: Logger;
}

/**
 * The snapshots of a proof's throwaway database: after a tracked step, only what the step
 * touched is re-read (when the tracker knows) and merged into the snapshot from before it.
 */
export class TrackedSnapshots {
  readonly #source: SnapshotSource;
  /** Whether the tracker is installed on the current database; undefined until the first tracked step. */
  #tracking: boolean | undefined;
  /** Whether exactly one tracked step ran since the tracker was last started. */
  #trackedStep = false;

  constructor(source: SnapshotSource) {
    this.#source = source;
  }

  /**
   * Starts tracking anew on the current database; call after every reset. The tracker is
   * installed right before the first tracked step, so replaying merged migrations never pays
   * for it (on Postgres its event triggers run for every DDL statement).
   */
  reset(): void {
    this.#tracking = undefined;
    this.#trackedStep = false;
  }

  /** Runs a step tracked, when the tracker can be installed on this database. */
  async track<T>(step: () => Promise<T>): Promise<T> {
    this.#tracking ??= await this.#installTracker();
    if (this.#tracking) await this.#source.tracker?.start(this.#source.throwaway.db);
    const result = await step();
    this.#trackedStep = this.#tracking;
    return result;
  }

  /** Notes a step run without the tracker: the next snapshot after a step is a full one. */
  untracked(): void {
    this.#trackedStep = false;
  }

  async #installTracker(): Promise<boolean> {
    const tracker = this.#source.tracker;
    const installed = tracker === undefined ? false : await tracker.install(this.#source.throwaway.db);
    if (tracker !== undefined && !installed) {
      this.#source.logger.debug(
        'change tracking is not possible on this database: every snapshot reads the whole catalog',
      );
    }
    return installed;
  }

  /**
   * The snapshot after the step that just ran, given the snapshot from right before it:
   * re-reads only what the step touched when the tracker knows, else the whole catalog.
   */
  async afterStep(before: SchemaSnapshot): Promise<SchemaSnapshot> {
    const tracker = this.#source.tracker;
    if (tracker === undefined || !this.#tracking || !this.#trackedStep) return this.full();
    this.#trackedStep = false;
    const db = this.#source.throwaway.db;
    if (tracker.changesWithSnapshot !== undefined) {
      const read = await tracker.changesWithSnapshot(db, before, this.#source.snapshotter, {
        excludeTables: this.#source.excludeTables,
      });
      if (read.everything) {
        this.#source.logger.debug(`full snapshot: ${read.reason}`);
        return this.full();
      }
      return mergeSnapshot(before, read.reread, read.owners);
    }
    const scope = await tracker.changes(db, before);
    if (scope.everything) {
      this.#source.logger.debug(`full snapshot: ${scope.reason}`);
      return this.full();
    }
    if (scope.owners.size === 0) return before;
    const reread = await this.#source.snapshotter.take(db, {
      excludeTables: this.#source.excludeTables,
      owners: scope.owners,
    });
    return mergeSnapshot(before, reread, scope.owners);
  }

  /** A snapshot of the whole catalog. */
  full(): Promise<SchemaSnapshot> {
    return this.#source.snapshotter.take(this.#source.throwaway.db, {
      excludeTables: this.#source.excludeTables,
    });
  }
}
