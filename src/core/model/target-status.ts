import type { TargetRowCheck, TargetTableSize } from './target-rows.ts';

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
  /**
   * The pending migrations' demands on existing rows (NOT NULL, UNIQUE, ...) counted on the
   * target; absent when nothing pending makes one.
   */
  readonly rowChecks?: readonly TargetRowCheck[];
  /** The sizes of the existing tables pending migrations change. */
  readonly tables?: readonly TargetTableSize[];
  /** Why the target could not be read or compared, when it could not. */
  readonly error?: string;
}
