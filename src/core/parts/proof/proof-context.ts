import { relative } from 'node:path';
import { redactSecrets } from '../database/redaction.ts';
import { messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { locateMigrationError } from '../migrations/locate-error.ts';
import { optional } from '../../model/optional.ts';
import type { Migration } from '../migrations/migration.ts';
import { MigrationPlan } from '../plan/migration-plan.ts';
import type { StatementRecorder } from '../plan/statement-recorder.ts';
import type { ChangeTracker } from '../schema/change-scope.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { SchemaSnapshotter } from '../schema/snapshotter.ts';
import { withoutScratchNames } from '../throwaway/scratch-name.ts';
import type { StateCache } from '../throwaway/state-cache.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';
import { CreatorIndex, creatorHint, quotedNames } from './creators.ts';
import type { MigrationResult, MigrationStatus, StepTimings } from '../../model/migration-result.ts';
import { replayBatches, runBatch } from '../migrations/replay-batch.ts';
import type { Direction, StepObserver, StepOutcome } from '../migrations/run-step.ts';
import { runStep, runsInTransaction } from '../migrations/run-step.ts';
import { TrackedSnapshots } from './tracked-snapshots.ts';
import type { RiskSettings } from '../../model/risk-settings.ts';
import type { UserSeed } from '../rows/user-seed.ts';
import { SeededRows } from './seeded-rows.ts';

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
  /** The project's rule settings, for the risks of the migrations under proof. */
  readonly riskSettings?: RiskSettings;
  /**
   * The data-aware proof (step mode): rows in the tables before each migration under proof,
   * failures that only rows cause, rows compared through the round trip.
   */
  readonly seedRows?: boolean;
  /** The project's own rows, run once before the first migration under proof. */
  readonly userSeed?: UserSeed;
  /**
   * Where the state after the leading merged migrations is kept between runs, so a check
   * restores it instead of replaying them (see merged-cache.ts); without one, they are replayed.
   */
  readonly mergedCache?: StateCache;
}

/**
 * The state and the shared moves of a proof: running steps, snapshotting (see
 * tracked-snapshots.ts), restoring the database after a failure by replaying a fresh one, and
 * putting failures into words.
 */
export class ProofContext {
  readonly options: ProofOptions;
  readonly creators = new CreatorIndex();
  /** Migrations whose up has run on the current database, in order. */
  readonly applied: Migration[] = [];
  /** Hints that need the whole history (a later migration may create the object). */
  readonly #pendingHints: {
    index: number;
    migration: Migration;
    names: string[];
    afterUp: SchemaSnapshot | undefined;
  }[] = [];
  readonly #snapshots: TrackedSnapshots;
  /** Why a migration ran outside a transaction it did not opt out of, by name: a note on its result. */
  readonly #outsideTransaction = new Map<string, string>();
  /** The throwaway's state after the leading merged migrations, when saved: where a restore starts. */
  #base: { readonly migrations: readonly Migration[]; readonly state: Uint8Array } | undefined;

  /** The seeded rows, when the proof is data-aware. */
  readonly rows: SeededRows | undefined;

  constructor(options: ProofOptions) {
    this.options = options;
    this.#snapshots = new TrackedSnapshots(options);
    this.rows =
      options.seedRows === true || options.userSeed !== undefined
        ? new SeededRows(options.throwaway.dialect, options.excludeTables, {
            generate: options.seedRows === true,
            ...optional('userSeed', options.userSeed),
          })
        : undefined;
  }

  get dialect() {
    return this.options.throwaway.dialect;
  }

  /** Starts tracking anew on the current database; call after every reset. */
  startTracking(): void {
    this.#snapshots.reset();
  }

  /**
   * The snapshot after the step that just ran, given the snapshot from right before it:
   * re-reads only what the step touched when the tracker knows, else the whole catalog.
   */
  snapshotAfterStep(before: SchemaSnapshot): Promise<SchemaSnapshot> {
    return this.#snapshots.afterStep(before);
  }

  /** A snapshot of the whole catalog. */
  snapshot(): Promise<SchemaSnapshot> {
    return this.#snapshots.full();
  }

  /**
   * Runs a step under proof: tracked, so the snapshot after it may re-read only what it
   * touched, and watched by `observer` when given (the plan's capture of a first up or down).
   */
  run(migration: Migration, direction: Direction, observer?: StepObserver): Promise<StepOutcome> {
    return this.#snapshots.track(() => this.runUntracked(migration, direction, observer));
  }

  /** Runs a step without the tracker; the next snapshot after a step is a full one. */
  async runUntracked(
    migration: Migration,
    direction: Direction,
    observer?: StepObserver,
  ): Promise<StepOutcome> {
    this.#snapshots.untracked();
    const outcome = await runStep(this.options.throwaway.db, this.dialect, migration, direction, observer);
    const outside =
      outcome.outsideTransaction ?? (this.dialect === 'postgres' ? migration.outsideTransaction : undefined);
    if (outside !== undefined) this.#outsideTransaction.set(migration.name, outside);
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
      ...optional('riskSettings', this.options.riskSettings),
    });
  }

  /** Whether this failed step of `migration` left the database as it was before the step. */
  rolledBack(migration: Migration, outcome: StepOutcome): boolean {
    return runsInTransaction(this.dialect, migration) && outcome.outsideTransaction === undefined;
  }

  /** Remembers the state after the leading merged `migrations`, so {@link restore} starts from it. */
  keepBase(migrations: readonly Migration[], state: Uint8Array): void {
    this.#base = { migrations: [...migrations], state };
  }

  /**
   * Brings the database to the state after the ups of `target` (in order), on a fresh
   * database: the way back after a step that failed half-way or left residue. The merged
   * migrations it starts with are loaded from their saved state when there is one.
   */
  async restore(target: readonly Migration[]): Promise<void> {
    this.rows?.reset();
    this.startTracking();
    this.applied.length = 0;
    const rest = target.slice(await this.#loadBase(target));
    this.options.logger.debug(`restoring the throwaway database: replaying ${rest.length} migration(s)`);
    for (const batch of replayBatches(this.dialect, rest)) {
      if (batch.length > 1 && (await runBatch(this.options.throwaway.db, batch)).ok) {
        this.applied.push(...batch);
        continue;
      }
      for (const migration of batch) {
        const outcome = await this.runUntracked(migration, 'up');
        if (!outcome.ok) {
          throw new Error(
            `could not restore the throwaway database: up of ${migration.name} failed on replay: ${messageOf(outcome.error)}`,
          );
        }
      }
    }
  }

  /**
   * Starts the database anew: from the merged state when `target` starts with its migrations
   * (it then counts as applied), else empty. Returns how many migrations of `target` it holds.
   */
  async #loadBase(target: readonly Migration[]): Promise<number> {
    const base = this.#base;
    const state = this.options.throwaway.state;
    if (base !== undefined && state !== undefined && base.migrations.every((m, i) => target[i] === m)) {
      try {
        await state.load(base.state);
        this.applied.push(...base.migrations);
        return base.migrations.length;
      } catch (error) {
        this.options.logger.debug(`could not load the merged state, replaying it: ${messageOf(error)}`);
        return 0;
      }
    }
    await this.options.throwaway.reset();
    return 0;
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

  /**
   * Remembers an error's quoted names, to be explained once every creator is known; `afterUp`
   * is the schema after the migration's up when its down failed (see creatorHint).
   */
  deferCreatorHint(
    index: number,
    migration: Migration,
    error: unknown,
    afterUp: SchemaSnapshot | undefined,
  ): void {
    this.#pendingHints.push({ index, migration, names: quotedNames(messageOf(error)), afterUp });
  }

  /** The creator hint for a deferred error, now that the whole history has run. */
  resolveCreatorHint(migration: Migration): string | undefined {
    const pending = this.#pendingHints.find((hint) => hint.migration === migration);
    if (pending === undefined) return undefined;
    for (const name of pending.names) {
      const creator = this.creators.byName(name);
      // The object's own name: MySQL quotes it with the scratch database's ('db.payments').
      const objectName = creator?.object.name ?? name;
      const hint = creatorHint(
        { name: migration.name, index: pending.index },
        objectName,
        creator,
        pending.afterUp,
      );
      if (hint !== undefined) return hint;
    }
    return undefined;
  }

  /**
   * Reports a result to the caller's progress hook and returns it, with what the migration
   * declares about itself, noting when it ran outside a transaction it did not opt out of.
   */
  emit(result: MigrationResult): MigrationResult {
    const outside = this.#outsideTransaction.get(result.name);
    const meta = this.options.migrations.find((migration) => migration.name === result.name)?.meta;
    const noted = {
      ...result,
      ...(outside === undefined
        ? {}
        : { notes: [`ran outside a transaction: ${outside}`, ...(result.notes ?? [])] }),
      ...optional('meta', meta),
    };
    this.options.onResult?.(noted);
    return noted;
  }
}
