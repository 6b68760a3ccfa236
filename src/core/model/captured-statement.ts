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
