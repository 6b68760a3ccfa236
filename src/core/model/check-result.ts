import type { DialectName } from './dialect.ts';
import type { EngineVersion, ProofEngine } from './engine-version.ts';
import type { HistoryProblem } from './history-problem.ts';
import type { MigrationResult, MigrationStatus, ReplayResult } from './migration-result.ts';
import type { TargetStatus } from './target-status.ts';

/** The whole outcome of a `check`. */
export interface CheckResult {
  /** True when every proven migration is reversible or declared irreversible and every replay ran. */
  readonly ok: boolean;
  readonly mode: ProofMode;
  readonly dialect: DialectName;
  /** The throwaway database it ran on, in words (never credentials). */
  readonly database: string;
  /** Migrations under proof, in order. */
  readonly migrations: readonly MigrationResult[];
  /** Migrations replayed once without proof (with --base), in order. */
  readonly replayed: readonly ReplayResult[];
  readonly summary: CheckSummary;
  readonly durationMs: number;
  /**
   * How the change set edits the history, when a base was given: a merged migration modified
   * or deleted, a new one that sorts before the newest merged one. Each fails the gate.
   */
  readonly historyProblems?: readonly HistoryProblem[];
  /** What the target database says, when a target URL was given (read only). */
  readonly target?: TargetStatus;
  /** The engine and release the proof ran on, read from the throwaway database. */
  readonly provenOn?: ProofEngine;
  /** The engine and release the target runs, when it could be read before the proof. */
  readonly targetEngine?: EngineVersion;
}

/** Counts per status. */
export type CheckSummary = Readonly<Record<MigrationStatus, number>> & {
  readonly proven: number;
  readonly replayed: number;
};

/**
 * `step`: each migration proven on its own (up, down, up). `sequence`: all ups, all downs
 * in reverse, all ups again, compared at the ends.
 */
export type ProofMode = 'step' | 'sequence';

/** All proof modes, for argument validation. */
export const PROOF_MODES: readonly ProofMode[] = ['step', 'sequence'];
