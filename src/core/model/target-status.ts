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
