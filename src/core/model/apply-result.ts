import type { CapturedStatement } from './captured-statement.ts';
import type { CheckResult } from './check-result.ts';
import type { DialectName } from './dialect.ts';
import type { BackupRecord } from './backup-record.ts';
import type { ChecksumMismatch } from './checksum-mismatch.ts';
import type { ChangeFailure } from './change-failure.ts';
import type { Refusal } from './refusal.ts';
import type { Risk } from './risk.ts';

/**
 * How an apply ended. These words are a public contract (JSON output, action outputs):
 * never rename them. `planned`: a dry run passed every guard and changed nothing.
 */
export type ApplyOutcome = 'applied' | 'up-to-date' | 'planned' | 'refused' | 'failed';

/**
 * Why apply (or rollback) refused before changing anything. `locked`: another session held
 * Kysely's migration lock for the whole wait. `half-applied`: a migration run outside a
 * transaction stopped half-way earlier, and a person must decide how to go on.
 */
export type ApplyRefusalReason =
  'checksum' | 'drift' | 'proof' | 'missing-down' | 'replay' | 'backup' | 'locked' | 'half-applied';

/** A refusal of apply or rollback: nothing on the target was changed. */
export type ApplyRefusal = Refusal<ApplyRefusalReason>;

/** One migration applied on the target. */
export interface AppliedMigration {
  readonly name: string;
  /** Time of its own statements on the target, in milliseconds. */
  readonly durationMs: number;
  /** More than 1 when a lock timeout was retried. */
  readonly attempts: number;
  /** The SQL it sent to the target, in order (values never recorded). */
  readonly statements: readonly CapturedStatement[];
}

/** One up a dry run would run, with the SQL it sent on the throwaway and the risks found there. */
export interface PlannedUp {
  readonly name: string;
  readonly statements: readonly CapturedStatement[];
  /** Absent when the proof did not run (require-reversible false): no risk was judged. */
  readonly risks?: readonly Risk[];
}

/**
 * A migration that failed on the target, and what it left behind; `message` is the database's
 * error, credentials redacted.
 */
export interface ApplyFailure extends ChangeFailure {
  readonly migration: string;
  /** The refused statement, 1-based among those the migration sent. */
  readonly statement?: { readonly index: number; readonly sql: string };
  /** True when the engine rolled the migration back whole. */
  readonly transactional: boolean;
  /** Statements of the failed migration that ran and stay applied (none when transactional). */
  readonly ranStatements: readonly string[];
  /**
   * When some ran and stay: its statements that did not run (the refused one first), as
   * rehearsed on the throwaway; absent when not rehearsed.
   */
  readonly notRunStatements?: readonly string[];
}

/** The whole outcome of an `apply`. */
export interface ApplyResult {
  readonly ok: boolean;
  readonly outcome: ApplyOutcome;
  readonly dialect: DialectName;
  /** The target, without credentials. */
  readonly database: string;
  /** Migrations this run applied, in order. */
  readonly applied: readonly string[];
  /** Migrations still pending after the run. */
  readonly pendingCount: number;
  /** The last applied migration after the run; undefined when none is. */
  readonly current: string | undefined;
  readonly durationMs: number;
  readonly migrations: readonly AppliedMigration[];
  /** Applied earlier by Kysely's Migrator alone: their checksums were recorded by this run. */
  readonly adopted: readonly string[];
  readonly checksumMismatches: readonly ChecksumMismatch[];
  /** How the target drifted from its migrations; absent when not compared (allow-drift). */
  readonly drift?: readonly string[];
  /** The proof of the pending migrations, when it ran. */
  readonly proof?: CheckResult;
  readonly backup?: BackupRecord;
  readonly refusal?: ApplyRefusal;
  readonly failure?: ApplyFailure;
  /** Present, and true, on a dry run: the target was only read. */
  readonly dryRun?: true;
  /** A dry run's plan: the ups it would run, in order, as rehearsed on the throwaway. */
  readonly plan?: readonly PlannedUp[];
  /** A dry run's words for the backup a real run would take first. */
  readonly plannedBackup?: string;
}
