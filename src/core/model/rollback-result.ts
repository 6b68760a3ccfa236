import type { CapturedStatement } from './captured-statement.ts';
import type { DialectName } from './dialect.ts';
import type { BackupRecord } from './backup-record.ts';
import type { ApplyFailure, AppliedMigration, ApplyRefusal } from './apply-result.ts';

/**
 * How a rollback ended. These words are a public contract (JSON output, action outputs):
 * never rename them. `planned`: a dry run passed every guard and the rehearsal, and changed nothing.
 */
export type RollbackOutcome = 'rolled-back' | 'nothing-to-do' | 'planned' | 'refused' | 'failed';

/** One down the rollback runs, with the SQL it sent on the throwaway rehearsal. */
export interface PlannedDown {
  readonly name: string;
  readonly statements: readonly CapturedStatement[];
}

/** The whole outcome of a `rollback`. */
export interface RollbackResult {
  readonly ok: boolean;
  readonly outcome: RollbackOutcome;
  readonly dialect: DialectName;
  /** The target, without credentials. */
  readonly database: string;
  /** The downs to run, newest first, rehearsed on a throwaway. */
  readonly plan: readonly PlannedDown[];
  /** Migrations this run rolled back, in the order their downs ran. */
  readonly rolledBack: readonly string[];
  /** Their downs on the target, timed. */
  readonly migrations: readonly AppliedMigration[];
  /** The last applied migration after the run; undefined when none is. */
  readonly current: string | undefined;
  readonly durationMs: number;
  readonly backup?: BackupRecord;
  /** Why nothing was changed; `reason` `proof` also covers a missing down. */
  readonly refusal?: ApplyRefusal;
  readonly failure?: ApplyFailure;
  /** Present, and true, on a dry run: the target was only read. */
  readonly dryRun?: true;
  /** A dry run's words for the backup a real run would take first. */
  readonly plannedBackup?: string;
}
