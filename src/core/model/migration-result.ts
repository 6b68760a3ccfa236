import type { CapturedStatements } from './captured-statement.ts';
import type { DataFinding } from './data-finding.ts';
import type { MigrationMeta } from './migration-meta.ts';
import type { Risk } from './risk.ts';
import type { RowDemand } from './row-demand.ts';

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
  /**
   * What the up asks of rows already in existing tables (constraints it adds, types it
   * narrows), seen on the throwaway database: a target's rows are counted against these.
   */
  readonly rowDemands?: readonly RowDemand[];
  /** Existing tables the up changes: a target reports their sizes. */
  readonly touchedTables?: readonly string[];
  /** What the proof with rows in the tables found (see data-finding.ts). */
  readonly dataFindings?: readonly DataFinding[];
  /** What the migration declares about itself: description, breaking, estimated duration, tags. */
  readonly meta?: MigrationMeta;
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
