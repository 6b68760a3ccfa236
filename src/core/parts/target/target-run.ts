import type { Kysely } from 'kysely';
import type { CapturedStatement } from '../../model/captured-statement.ts';
import type { DialectName } from '../../model/dialect.ts';
import type { Outcome } from '../../model/outcome.ts';
import type { Direction } from '../migrations/run-step.ts';
import type { Migration } from '../migrations/migration.ts';
import type { StatementRecorder } from '../plan/statement-recorder.ts';
import type { SessionLimits } from './session-limits.ts';

/**
 * How a run's migrations are grouped into transactions on an engine with transactional DDL:
 * `per-migration` (each commits alone, so a failure keeps those before it) or `all` (one
 * transaction for the run: all or nothing, as Kysely's own Migrator runs on Postgres).
 */
export const TRANSACTION_MODES = ['per-migration', 'all'] as const;
export type TransactionMode = (typeof TRANSACTION_MODES)[number];

/** What running migrations on the target needs. */
export interface TargetMigratorOptions {
  /** A writable connection pool on the target, its `log` hook feeding {@link recorder}. */
  readonly db: Kysely<any>;
  readonly dialect: DialectName;
  /** MariaDB bounds statements differently from MySQL. */
  readonly mariadb: boolean;
  /** The folder's migrations: what Kysely's Migrator would check the target's rows against. */
  readonly migrations: readonly Migration[];
  readonly recorder: StatementRecorder;
  readonly limits: SessionLimits;
  /** Kysely's migration table; its lock table is `<table>_lock`, as the CLI's check assumes. */
  readonly migrationTable?: string;
  /** The SQL checksum each TypeScript migration's up emitted on the throwaway. */
  readonly sqlChecksums: ReadonlyMap<string, string>;
  /** Recorded in the checksum table as who applied it. */
  readonly appliedBy: string;
  /** Attempts per migration when the failure is a lock timeout (default 3). */
  readonly attempts?: number;
  /** Waits between attempts; injected so tests never sleep (default: 500 ms, doubling). */
  readonly backoff?: (attempt: number) => Promise<void>;
  /** Default `per-migration`; `all` only where the caller checked it can hold. */
  readonly transaction?: TransactionMode;
  /**
   * The statements each migration is expected to send (rehearsed on a throwaway), so that
   * one stopped half-way outside a transaction says which did not run.
   */
  readonly plannedStatements?: ReadonlyMap<string, readonly string[]>;
  /** The backup taken before the run, named by a migration stopped half-way. */
  readonly backupPath?: string;
  /** Told of each migration done, as soon as it is committed. */
  readonly onStep?: (step: StepRecord) => void;
}

/** What running one migration on the target did, whether it worked or not. */
export interface StepRecord {
  readonly name: string;
  readonly direction: Direction;
  /** Time of the step's own statements, in milliseconds (the last attempt). */
  readonly durationMs: number;
  readonly attempts: number;
  /** What it sent to the target, in order, the refused one marked `failed`. */
  readonly statements: readonly CapturedStatement[];
  /** Whether it ran inside a transaction, so that a failure left nothing of it. */
  readonly transactional: boolean;
}

/** A migration that failed on the target, with what the target or the migration threw. */
export interface StepFailure extends StepRecord {
  readonly error: unknown;
}

/** One migration run on the target: done, or failed. */
export type TargetStep = Outcome<StepRecord, StepFailure>;

/** What a run did: the migrations done, in order, and the one that failed, if any. */
export interface TargetRun {
  readonly done: readonly StepRecord[];
  readonly failed?: StepFailure;
  /** The failure rolled back every migration of the run, not only its own (`transaction: all`). */
  readonly wholeRunUndone?: boolean;
}
