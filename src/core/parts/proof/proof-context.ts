import { relative } from 'node:path';
import { redactSecrets } from '../database/connection-url.ts';
import { messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { locateMigrationError } from '../migrations/locate-error.ts';
import type { Migration } from '../migrations/migration.ts';
import { MigrationPlan } from '../plan/migration-plan.ts';
import type { StatementRecorder } from '../plan/statement-recorder.ts';
import type { SchemaDiff } from '../schema/diff.ts';
import { describeChange, describeObject, diffSnapshots } from '../schema/diff.ts';
import type { ChangeTracker } from '../schema/change-scope.ts';
import { mergeSnapshot } from '../schema/change-scope.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { SchemaSnapshotter } from '../schema/snapshotter.ts';
import { SCRATCH_PREFIX } from '../throwaway/scratch-name.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';
import { CreatorIndex, creatorHint, quotedNames } from './creators.ts';
import type {
  MigrationResult,
  MigrationStatus,
  ReplayResult,
  StepTimings,
} from '../../model/migration-result.ts';
import { replayBatches, runBatch } from '../migrations/replay-batch.ts';
import type { Direction, StepObserver, StepOutcome } from '../migrations/run-step.ts';
import { runStep, runsInTransaction } from '../migrations/run-step.ts';

/** What a proof needs from its caller. */
export interface ProofOptions {
  readonly migrations: readonly Migration[];
  readonly throwaway: ThrowawayDatabase;
  readonly snapshotter: SchemaSnapshotter;
  /**
   * Learns what each step touched so the snapshot after it re-reads only that. Without one,
   * every snapshot reads the whole catalog.
   */
  readonly tracker?: ChangeTracker;
  /** Bookkeeping tables left out of snapshots. */
  readonly excludeTables: readonly string[];
  /** Which migrations are under proof; the others are replayed once. */
  readonly isUnderProof: (migration: Migration) => boolean;
  readonly logger: Logger;
  /** Directory file paths in results are relative to. */
  readonly cwd: string;
  /** Called with each result as soon as it is known, for progress output. */
  readonly onResult?: (result: MigrationResult) => void;
  /** Sees the throwaway's queries (its log hook): captures the SQL of migrations under proof. */
  readonly recorder?: StatementRecorder;
}

/**
 * The state and the shared moves of a proof: running steps, snapshotting, restoring the
 * database after a failure by replaying a fresh one, and putting failures into words.
 */
export class ProofContext {
  readonly options: ProofOptions;
  readonly creators = new CreatorIndex();
  /** Migrations whose up has run on the current database, in order. */
  readonly applied: Migration[] = [];
  /** Hints that need the whole history (a later migration may create the object). */
  readonly #pendingHints: { index: number; migration: Migration; names: string[] }[] = [];

  constructor(options: ProofOptions) {
    this.options = options;
  }

  get dialect() {
    return this.options.throwaway.dialect;
  }

  /** Whether the tracker is installed on the current database; undefined until the first tracked step. */
  #tracking: boolean | undefined;
  /** Whether exactly one tracked step ran since the tracker was last started. */
  #trackedStep = false;

  /**
   * Starts tracking anew on the current database; call after every reset. The tracker is
   * installed right before the first tracked step, so replaying merged migrations never pays
   * for it (on Postgres its event triggers run for every DDL statement).
   */
  startTracking(): void {
    this.#tracking = undefined;
    this.#trackedStep = false;
  }

  async #installTracker(): Promise<boolean> {
    const tracker = this.options.tracker;
    const installed = tracker === undefined ? false : await tracker.install(this.options.throwaway.db);
    if (tracker !== undefined && !installed) {
      this.options.logger.debug(
        'change tracking is not possible on this database: every snapshot reads the whole catalog',
      );
    }
    return installed;
  }

  /**
   * The snapshot after the step that just ran, given the snapshot from right before it:
   * re-reads only what the step touched when the tracker knows, else the whole catalog.
   */
  async snapshotAfterStep(before: SchemaSnapshot): Promise<SchemaSnapshot> {
    const tracker = this.options.tracker;
    if (tracker === undefined || !this.#tracking || !this.#trackedStep) return this.snapshot();
    this.#trackedStep = false;
    const db = this.options.throwaway.db;
    if (tracker.changesWithSnapshot !== undefined) {
      const read = await tracker.changesWithSnapshot(db, before, this.options.snapshotter, {
        excludeTables: this.options.excludeTables,
      });
      if (read.everything) {
        this.options.logger.debug(`full snapshot: ${read.reason}`);
        return this.snapshot();
      }
      return mergeSnapshot(before, read.reread, read.owners);
    }
    const scope = await tracker.changes(db, before);
    if (scope.everything) {
      this.options.logger.debug(`full snapshot: ${scope.reason}`);
      return this.snapshot();
    }
    if (scope.owners.size === 0) return before;
    const reread = await this.options.snapshotter.take(db, {
      excludeTables: this.options.excludeTables,
      owners: scope.owners,
    });
    return mergeSnapshot(before, reread, scope.owners);
  }

  /** A snapshot of the whole catalog. */
  snapshot(): Promise<SchemaSnapshot> {
    return this.options.snapshotter.take(this.options.throwaway.db, {
      excludeTables: this.options.excludeTables,
    });
  }

  /**
   * Runs a step under proof: tracked, so the snapshot after it may re-read only what it
   * touched, and watched by `observer` when given (the plan's capture of a first up or down).
   */
  async run(migration: Migration, direction: Direction, observer?: StepObserver): Promise<StepOutcome> {
    this.#tracking ??= await this.#installTracker();
    if (this.#tracking) await this.options.tracker?.start(this.options.throwaway.db);
    const outcome = await this.#apply(migration, direction, observer);
    this.#trackedStep = this.#tracking;
    return outcome;
  }

  /** Runs a step without the tracker; the next snapshot after a step is a full one. */
  async #apply(migration: Migration, direction: Direction, observer?: StepObserver): Promise<StepOutcome> {
    this.#trackedStep = false;
    const outcome = await runStep(this.options.throwaway.db, this.dialect, migration, direction, observer);
    if (direction === 'up' && outcome.ok) this.applied.push(migration);
    if (direction === 'down' && outcome.ok) this.#forget(migration);
    return outcome;
  }

  /** The plan of a migration under proof: its SQL, facts of its first up, its risks. */
  plan(migration: Migration): MigrationPlan {
    return new MigrationPlan({
      migration,
      dialect: this.dialect,
      serverVersion: this.options.throwaway.serverVersion,
      ...(this.options.recorder === undefined ? {} : { recorder: this.options.recorder }),
    });
  }

  /** Whether a failed step left the database as it was before the step. */
  rolledBack(migration: Migration): boolean {
    return runsInTransaction(this.dialect, migration);
  }

  /**
   * Brings the database to the state after the ups of `target` (in order), on a fresh
   * database: the way back after a step that failed half-way or left residue.
   */
  async restore(target: readonly Migration[]): Promise<void> {
    this.options.logger.debug(`restoring the throwaway database by replaying ${target.length} migration(s)`);
    await this.options.throwaway.reset();
    this.startTracking();
    this.applied.length = 0;
    for (const batch of replayBatches(this.dialect, target)) {
      if (batch.length > 1 && (await runBatch(this.options.throwaway.db, batch)).ok) {
        this.applied.push(...batch);
        continue;
      }
      for (const migration of batch) {
        const outcome = await this.#apply(migration, 'up');
        if (!outcome.ok) {
          throw new Error(
            `could not restore the throwaway database: up of ${migration.name} failed on replay: ${messageOf(outcome.error)}`,
          );
        }
      }
    }
  }

  #forget(migration: Migration): void {
    const at = this.applied.lastIndexOf(migration);
    if (at >= 0) this.applied.splice(at, 1);
  }

  /** The source file of a migration, relative to the working directory. */
  fileOf(migration: Migration, direction: Direction = 'up'): string {
    const path =
      direction === 'down' ? (migration.source.downPath ?? migration.source.path) : migration.source.path;
    return this.#relative(path);
  }

  #relative(path: string): string {
    return relative(this.options.cwd, path) || path;
  }

  /**
   * Replays merged migrations once, without proof nor tracker, in as few transactions as
   * correct (see replay-batch.ts). A failure is reported against its migration, and the run
   * goes on without it.
   */
  async replayAll(migrations: readonly Migration[]): Promise<ReplayResult[]> {
    const results: ReplayResult[] = [];
    for (const batch of replayBatches(this.dialect, migrations))
      results.push(...(await this.#replayBatch(batch)));
    return results;
  }

  async #replayBatch(batch: readonly Migration[]): Promise<ReplayResult[]> {
    if (batch.length === 1) return [await this.#replayOne(batch[0]!)];
    const outcome = await runBatch(this.options.throwaway.db, batch);
    if (outcome.ok) {
      this.applied.push(...batch);
      return batch.map((migration, index) => ({
        name: migration.name,
        file: this.fileOf(migration),
        status: 'applied',
        durationMs: outcome.ms[index]!,
      }));
    }
    // Rolled back whole. The ones before the failure are replayed again, then each suspect
    // alone, in its own transaction, as it runs without batches: sharing one transaction can
    // make a migration fail that passes alone (e.g. using an enum value a previous one added).
    const { from, to } = outcome;
    const results = from > 0 ? await this.#replayBatch(batch.slice(0, from)) : [];
    for (const suspect of batch.slice(from, to)) results.push(await this.#replayOne(suspect));
    if (to < batch.length) results.push(...(await this.#replayBatch(batch.slice(to))));
    return results;
  }

  /** Replays one migration in its own step; a failure is reported and the run goes on. */
  async #replayOne(migration: Migration): Promise<ReplayResult> {
    const outcome = await this.#apply(migration, 'up');
    const base = { name: migration.name, file: this.fileOf(migration), durationMs: outcome.ms };
    if (outcome.ok) return { ...base, status: 'applied' };
    const failed = this.failure(migration, 'error', 'up failed on replay', outcome.error, {});
    if (!this.rolledBack(migration)) await this.restore([...this.applied]);
    return {
      ...base,
      status: 'error',
      message: failed.message ?? messageOf(outcome.error),
      ...(failed.line === undefined ? {} : { line: failed.line }),
    };
  }

  /** A failed result, located at the file and line the error points to. */
  failure(
    migration: Migration,
    status: MigrationStatus,
    what: string,
    error: unknown,
    timings: StepTimings,
    extra: Partial<MigrationResult> = {},
  ): MigrationResult {
    const location = locateMigrationError(error, migration);
    const hint = this.options.throwaway.explainError(error);
    const message = `${what}: ${withoutScratchNames(redactSecrets(messageOf(error)))}${hint === undefined ? '' : ` (${hint})`}`;
    return {
      name: migration.name,
      status,
      file: this.#relative(location.file),
      ...(location.line === undefined ? {} : { line: location.line }),
      message,
      timings,
      ...extra,
    };
  }

  /** Remembers an error's quoted names, to be explained once every creator is known. */
  deferCreatorHint(index: number, migration: Migration, error: unknown): void {
    this.#pendingHints.push({ index, migration, names: quotedNames(messageOf(error)) });
  }

  /** The creator hint for a deferred error, now that the whole history has run. */
  resolveCreatorHint(migration: Migration): string | undefined {
    const pending = this.#pendingHints.find((hint) => hint.migration === migration);
    if (pending === undefined) return undefined;
    for (const name of pending.names) {
      const creator = this.creators.byName(name);
      // The object's own name: MySQL quotes it with the scratch database's ('db.payments').
      const objectName = creator?.object.name ?? name;
      const hint = creatorHint({ name: migration.name, index: pending.index }, objectName, creator);
      if (hint !== undefined) return hint;
    }
    return undefined;
  }

  /**
   * The residue of a down in words: what it left, what it dropped that existed before (with
   * the migration that creates it), and what it changed.
   */
  describeResidue(migration: Migration, index: number, diff: SchemaDiff): string[] {
    return diff.changes.map((change) => {
      if (change.type === 'added') return `left ${describeObject(change.object)}`;
      if (change.type === 'removed') {
        const creator = this.creators.byKey(change.key);
        const hint = creatorHint({ name: migration.name, index }, change.object.name, creator);
        return hint ?? `dropped ${describeObject(change.object)}, which existed before the up`;
      }
      return `did not restore ${describeChange(change)}`;
    });
  }

  /** Differences outside the verdict, in words. */
  describeNotes(before: SchemaSnapshot, after: SchemaSnapshot): string[] {
    return diffSnapshots(before, after).notes.map(
      (change) => `${describeChange(change)} (not part of the verdict)`,
    );
  }

  /** Reports a result to the caller's progress hook and returns it. */
  emit(result: MigrationResult): MigrationResult {
    this.options.onResult?.(result);
    return result;
  }
}

/**
 * Drops the scratch database's name where MySQL qualifies a table with it
 * (`'migration_gate_20261121_ab12cd34.invoices'`): it changes every run and means nothing to
 * the reader.
 */
export function withoutScratchNames(message: string): string {
  return message.replace(new RegExp(`${SCRATCH_PREFIX}\\d{14}_[0-9a-f]{8}\\.`, 'g'), '');
}

/**
 * The verdict on a migration whose down is not run: declared irreversible on purpose, or
 * missing its down. Undefined when it has a down to prove.
 */
export function verdictWithoutDown(
  migration: Migration,
): Pick<MigrationResult, 'status' | 'reason' | 'message'> | undefined {
  if (migration.irreversible !== undefined)
    return { status: 'declared-irreversible', reason: migration.irreversible };
  if (migration.down !== undefined) return undefined;
  return {
    status: 'missing-down',
    message: `${migration.name} has no down; write one, or declare it irreversible with a reason`,
  };
}

/** Which directions of a migration are empty SQL files. */
export function emptyDirections(migration: Migration): ('up' | 'down')[] {
  return (['up', 'down'] as const).filter((direction) => migration.empty[direction]);
}
