import type { DialectName } from '../dialect.ts';

/**
 * The verdict on one migration. These words are a public contract (JSON output, users'
 * scripts, later commands): never rename them.
 */
export type MigrationStatus =
  'reversible' | 'not-reversible' | 'missing-down' | 'declared-irreversible' | 'error';

/** Every status, in the order reports list them. */
export const MIGRATION_STATUSES: readonly MigrationStatus[] = [
  'reversible',
  'declared-irreversible',
  'not-reversible',
  'missing-down',
  'error',
];

/** Statuses that pass the gate. */
export const PASSING_STATUSES: ReadonlySet<MigrationStatus> = new Set([
  'reversible',
  'declared-irreversible',
]);

/** How long each step of a migration took on the throwaway database, in milliseconds. */
export interface StepTimings {
  up?: number;
  down?: number;
  upAgain?: number;
}

/** The outcome of proving one migration. */
export interface MigrationResult {
  readonly name: string;
  readonly status: MigrationStatus;
  /** The source file, relative to the working directory. */
  readonly file: string;
  /** The line the failure points at, when known. */
  readonly line?: number;
  /** Why it failed, in one sentence; absent when it passed. */
  readonly message?: string;
  /** What the down left different from before the up, in words. */
  readonly residue?: readonly string[];
  /** Differences that are not part of the verdict (e.g. column order). */
  readonly notes?: readonly string[];
  /** The reason a migration gave for declaring itself irreversible. */
  readonly reason?: string;
  /** What the up changed in the schema, in words. */
  readonly changes?: readonly string[];
  /** Directions that are empty SQL files (legitimate no-ops). */
  readonly empty?: readonly ('up' | 'down')[];
  readonly timings: StepTimings;
  /** The SQL each direction executed on the throwaway database, in order (first run of each). */
  readonly statements?: CapturedStatements;
  /** Risky operations the up performs, found by the risk rules (see `core/plan/`). */
  readonly risks?: readonly Risk[];
}

/** One SQL statement a step executed on the throwaway database. */
export interface CapturedStatement {
  /** The statement as sent, with parameter placeholders (values are never recorded). */
  readonly sql: string;
  readonly durationMs: number;
  /** For a SQL migration: the 1-based line of the statement in its file (the down's file for the down). */
  readonly line?: number;
  /** True for a statement the database refused: the step stopped there (or the migration caught it). */
  readonly failed?: boolean;
}

/** The statements of a migration under proof, per direction. */
export interface CapturedStatements {
  readonly up: readonly CapturedStatement[];
  readonly down: readonly CapturedStatement[];
}

/**
 * How bad a risk is. `error`: loses data or blocks a busy table for long (fails the gate
 * with `fail-on: error`); `warning`: worth a look (fails it with `fail-on: warning`).
 */
export type RiskSeverity = 'error' | 'warning';

/** A risky operation a migration performs, found by one rule. */
export interface Risk {
  /** The rule's stable id (e.g. `create-index-blocking`); acknowledgements name it. */
  readonly rule: string;
  readonly severity: RiskSeverity;
  /** What the migration does, e.g. "drops column users.email". */
  readonly what: string;
  /** Why it is risky, in one line. */
  readonly why: string;
  /** The safer way to do it, in one line. */
  readonly instead: string;
  /** Index of the statement to blame in the up's captured statements, when there is one. */
  readonly statement?: number;
  /** Facts observed on the throwaway database that show it (e.g. "rewrote table orders"). */
  readonly evidence?: readonly string[];
  /** The migration's reason, when it acknowledges this risk on purpose. */
  readonly acknowledged?: string;
}

/** A migration replayed once (already merged), without the per-step proof. */
export interface ReplayResult {
  readonly name: string;
  readonly file: string;
  readonly status: 'applied' | 'error';
  readonly line?: number;
  readonly message?: string;
  /** Time of its up; SQL migrations replayed together in one round trip share theirs equally. */
  readonly durationMs: number;
}

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
}

/** One way a change set edits the history that Kysely's Migrator would refuse or miss. */
export interface HistoryProblem {
  readonly kind: 'modified' | 'deleted' | 'out-of-order';
  readonly name: string;
  /** The file, relative to the working directory. */
  readonly file: string;
  /** In one sentence, e.g. "0003_x was already merged; write a new migration instead". */
  readonly message: string;
  /** For `out-of-order`: a name that sorts after every merged migration. */
  readonly suggestedName?: string;
}

/** A target database as `check` sees it: read only, never changed. */
export interface TargetStatus {
  /** The target in words, without credentials (e.g. "PostgreSQL 16.4 at db.example.com/app"). */
  readonly database: string;
  /** Migrations the target's migration table lists as applied, in order. */
  readonly applied: readonly string[];
  /** Migrations of the folder the target has not applied, in order. */
  readonly pending: readonly string[];
  /** Applied on the target but absent from the folder. */
  readonly unknown: readonly string[];
  /**
   * How the target's schema differs from its applied migrations replayed on the throwaway,
   * in words; empty when it does not drift, absent when it could not be compared.
   */
  readonly drift?: readonly string[];
  /** Why the target could not be read or compared, when it could not. */
  readonly error?: string;
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
